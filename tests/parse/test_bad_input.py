"""Bad input: every file gets a result or an error naming it and the reason; the batch goes on."""
from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from indexer.read.extract import MAX_BYTES, ExtractError, extract
from tests.conftest import SHARED, shared_file
from tests.test_config import run_cli

GOLDEN = Path(__file__).parent / "golden"


def _zip_bomb() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"\x00" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    real_pdf = SHARED / "real" / "pdf" / "hzq2023_working.pdf"
    pdf = real_pdf.read_bytes() if real_pdf.exists() else b"%PDF-1.4\n"  # the truncated case skips without it
    contents = {
        "empty.txt": b"",
        "truncated.pdf": pdf[: len(pdf) // 3],
        "garbage.pdf": bytes(range(256)) * 64,
        "bomb.docx": _zip_bomb(),
        "huge.txt": b"a" * (70 * 1024 * 1024),
        "notes.xls": b"\x09\x08\x10\x00binary",
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize("name, reason", [
    ("empty.txt", "empty file"),
    ("garbage.pdf", "not a valid .pdf"),
    ("bomb.docx", "zip bomb"),
    ("huge.txt", "file too large"),
    ("notes.xls", "unsupported format"),
])
def test_bad_file_gives_a_reason_in_words(bad_files, name, reason):
    with pytest.raises(ExtractError, match=reason):
        extract(bad_files[name].read_bytes(), name)


def test_truncated_pdf_reads_what_is_there_or_says_why(bad_files):
    shared_file("real", "pdf", "hzq2023_working.pdf")
    try:
        extracted = extract(bad_files["truncated.pdf"].read_bytes(), "truncated.pdf")
    except ExtractError as exc:
        assert "PDF" in str(exc)
    else:
        assert "政府信息公开" in extracted.text


def test_size_cap_is_below_the_70_mb_test_file_and_fits_a_50_mb_report():
    assert 50 * 1024 * 1024 < MAX_BYTES < 70 * 1024 * 1024


def test_deeply_nested_word_html_is_read():
    page = ("<html><body>" + "<div><font>" * 3000 + "<p>一、总体情况</p><p>深化简政放权。</p>"
            + "</font></div>" * 3000 + "</body></html>").encode()
    assert "深化简政放权" in extract(page, "a.html").text


def test_mixed_encodings_decode_line_by_line_with_a_warning():
    data = ("洪泽区人民政府2023年政府信息公开工作年度报告\n".encode()
            + "一、总体情况\n本年度深化简政放权。\n".encode("gbk"))
    extracted = extract(data, "mixed.txt")
    assert "深化简政放权" in extracted.text and "年度报告" in extracted.text
    assert any("mixed encodings" in w for w in extracted.warnings)


def test_cli_batch_goes_on_past_bad_files_and_names_each(bad_files):
    good = GOLDEN / "zhongning-spfwglj-2022.txt"
    done = run_cli("parse", "--json", str(good), *(str(p) for p in bad_files.values()), str(bad_files["empty.txt"].parent / "missing.txt"))
    assert done.returncode == 1
    reports = json.loads(done.stdout)
    assert [r["agency"] for r in reports] == ["中宁县审批服务管理局"]
    errors = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    for name in ["empty.txt", "garbage.pdf", "bomb.docx", "huge.txt", "notes.xls", "missing.txt"]:
        assert any(name in line for line in errors), name
