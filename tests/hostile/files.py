"""Hostile report files, generated at test time: each maker writes one file and returns the words its reason must hold.

The cases come from the security review (shared/reviews/security.md §1): a zip whose directory lies about its
sizes, a huge XML part, a wide table, deep nesting, a huge page, a FIFO, a link to a device, random bytes.
"""
from __future__ import annotations

import os
import random
import struct
import zipfile
import zlib
from pathlib import Path

CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="xml" ContentType="application/xml"/></Types>')


def lying_zip(path: Path) -> str:
    """200 MB document.xml (deflated to ~200 KB) whose directory says 900,000 bytes, with a CRC that fits the lie."""
    claimed = 900_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as part:
            part.write(b"<w:document>")
            for _ in range(200):
                part.write(b"\0" * 2**20)
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(b"<w:document>" + b"\0" * (claimed - 12))
    entry = zipfile.ZipFile(path).getinfo("word/document.xml")
    local = entry.header_offset
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, claimed)
    central = data.rindex(b"PK\x01\x02", 0, data.index(b"word/document.xml", local + 40))
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, claimed)
    path.write_bytes(bytes(data))
    return "DOCX"


def huge_xml_part(path: Path) -> str:
    """An honest DOCX whose document.xml is 62 MB of paragraphs (compressing ~5:1, so no ratio alarm)."""
    rng = random.Random(7)
    paragraphs = (f"<w:p><w:r><w:t>{rng.randrange(10**12)}件申请</w:t></w:r></w:p>" for _ in range(1_300_000))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document><w:body>" + "".join(paragraphs) + "</w:body></w:document>")
    return "document.xml unpacks to more than"


def wide_table(path: Path) -> str:
    """One table row of 300,000 cells (3 MB): the tree alone would take gigabytes."""
    path.write_text("<html><body><table><tr>" + "<td>1</td>" * 300_000 + "</tr></table></body></html>")
    return "表格单元格过多"


def deep_nesting(path: Path) -> str:
    """100,000 unclosed `<div><span>` pairs."""
    path.write_text("<html><body>" + "<div><span>" * 100_000 + "一、总体情况</body></html>")
    return "读取超时"


def huge_html(path: Path) -> str:
    """A 20 MB page of paragraphs."""
    path.write_text("<html><body>" + "<p>一、总体情况深化简政放权</p>" * 470_000 + "</body></html>")
    return "网页过大"


def fifo(path: Path) -> str:
    os.mkfifo(path)
    return "不是普通文件（命名管道）"


def device_link(path: Path) -> str:
    path.symlink_to("/dev/zero")
    return "不是普通文件（字符设备）"


def garbage_html(path: Path) -> str:
    path.write_bytes(random.Random(1).randbytes(200_000))
    return "不是报告"


def garbage_pdf(path: Path) -> str:
    path.write_bytes(random.Random(2).randbytes(200_000))
    return "not a valid .pdf"


MAKERS = {
    "lying.docx": lying_zip, "huge-xml.docx": huge_xml_part, "wide-table.html": wide_table,
    "deep-nesting.html": deep_nesting, "huge.html": huge_html, "fifo.pdf": fifo, "dev-zero.txt": device_link,
    "garbage.html": garbage_html, "garbage.pdf": garbage_pdf,
}


def make_hostile_files(folder: Path) -> dict[Path, str]:
    """Every hostile file in `folder`, with the words its failure reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    return {folder / name: make(folder / name) for name, make in MAKERS.items()}
