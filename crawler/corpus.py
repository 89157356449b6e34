"""The stored corpus: raw report files beside their fetch records (the contract with the indexer).

Layout, one folder per document:

    corpus/<portal>/<doc_id>/record.json      what was fetched: url, portal, time, type, hash, …
    corpus/<portal>/<doc_id>/original.<ext>   the bytes exactly as served

`doc_id` is derived from the URL, so refetching a URL lands in the same folder. Files are written
atomically (temp file + rename), record last, so a reader never sees a half-written document: a
folder without `record.json` is ignored.

When a report changes, the crawler first archives the current pair with `archive_version` into
`corpus/<portal>/<doc_id>/versions/<fetched_at>-<sha8>/` (a folder renamed into place, so all or
nothing), then writes the new one. `read_corpus` never looks below `<doc_id>/`, so it keeps
yielding exactly one document per URL: the latest. A report that disappears from its portal is kept
and marked with `gone_at` (`mark_gone`). Leftover `.tmp-*` files from a killed process are removed by
`sweep_temp_files`; a record whose `sha256` no longer matches its file (killed between the two
renames) fails `verify_document`, and the crawler fetches and writes that document again.

Confinement: a record may only name a regular file directly in its own folder (`original.pdf`). A name
with a separator or `..`, an absolute path, a symlink, a FIFO or a device, or a folder that resolves
outside the corpus is a `BadEntry` with its reason: `scan_corpus` yields it so `nianbao index` can say so,
and nothing outside the corpus is ever opened.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

RECORD_NAME = "record.json"
ORIGINAL_STEM = "original"
VERSIONS_DIR = "versions"
TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class StoredDocument:
    """One raw document in the corpus and what is known about where it came from."""

    doc_id: str
    portal: str
    url: str | None
    path: Path
    content_type: str
    sha256: str
    fetched_at: str
    link_title: str | None = None
    parent_url: str | None = None
    note: str | None = None
    content_hash: str | None = None
    gone_at: str | None = None

    def record(self) -> dict:
        """The JSON-able fetch record (paths are not part of it)."""
        data = asdict(self)
        data.pop("path")
        data["filename"] = self.path.name
        return data


@dataclass(frozen=True)
class BadEntry:
    """A corpus folder whose record cannot be used, and why (one line for people)."""

    folder: Path
    reason: str


class BadRecord(Exception):
    """A record that is unreadable or names something other than a regular file in its own folder."""


def doc_id_for(url: str) -> str:
    """Stable id of the document fetched from `url`."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def write_document(root: Path, portal: str, url: str, content: bytes, *, content_type: str, extension: str,
                   link_title: str | None = None, parent_url: str | None = None, note: str | None = None,
                   fetched_at: str | None = None, content_hash: str | None = None) -> StoredDocument:
    """Store `content` fetched from `url` for `portal`; returns its record."""
    doc_id = doc_id_for(url)
    folder = Path(root) / portal / doc_id
    folder.mkdir(parents=True, exist_ok=True)
    extension = extension.lower().lstrip(".") or "bin"
    path = folder / f"{ORIGINAL_STEM}.{extension}"
    stale = [p for p in folder.glob(f"{ORIGINAL_STEM}.*") if p != path]
    _write_atomic(path, content)
    document = StoredDocument(
        doc_id=doc_id, portal=portal, url=url, path=path, content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        fetched_at=fetched_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        link_title=link_title, parent_url=parent_url, note=note, content_hash=content_hash,
    )
    _write_record(document)
    for old in stale:  # the same URL now serves another type (e.g. .doc became .pdf); the old one is archived
        old.unlink(missing_ok=True)
    return document


def archive_version(document: StoredDocument) -> Path:
    """Copy `document` (record + file) into its `versions/` folder before it is replaced; idempotent."""
    stamp = "".join(ch for ch in document.fetched_at if ch.isdigit())
    target = document.path.parent / VERSIONS_DIR / f"{stamp}-{document.sha256[:8]}"
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=target.parent))
    shutil.copy2(document.path, staging / document.path.name)
    shutil.copy2(document.path.parent / RECORD_NAME, staging / RECORD_NAME)
    os.replace(staging, target)
    return target


def read_versions(folder: Path) -> list[StoredDocument]:
    """Earlier versions of the document in `folder`, oldest first."""
    versions = Path(folder) / VERSIONS_DIR
    if not versions.is_dir():
        return []
    found = (read_document(v) for v in sorted(versions.iterdir()) if not v.name.startswith(TEMP_PREFIX))
    return [d for d in found if d is not None]


def mark_gone(document: StoredDocument, when: str | None = None, *, gone: bool = True) -> StoredDocument:
    """Record that the portal no longer serves `document` (the files stay), or, with gone=False, serves it again."""
    stamp = (when or datetime.now(timezone.utc).isoformat(timespec="seconds")) if gone else None
    updated = dataclasses.replace(document, gone_at=stamp)
    _write_record(updated)
    return updated


def verify_document(document: StoredDocument) -> bool:
    """True when the stored file still has the hash its record names."""
    try:
        return hashlib.sha256(document.path.read_bytes()).hexdigest() == document.sha256
    except OSError:
        return False


def sweep_temp_files(root: Path, portal: str) -> int:
    """Remove temp files and half-copied version folders a killed process left; returns how many."""
    removed = 0
    for leftover in Path(root, portal).glob(f"*/{TEMP_PREFIX}*"):
        leftover.unlink(missing_ok=True)
        removed += 1
    for leftover in Path(root, portal).glob(f"*/{VERSIONS_DIR}/{TEMP_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
        removed += 1
    return removed


def _write_record(document: StoredDocument) -> None:
    data = json.dumps(document.record(), ensure_ascii=False, indent=2).encode("utf-8")
    _write_atomic(document.path.parent / RECORD_NAME, data)


def read_corpus(root: Path) -> Iterator[StoredDocument]:
    """Every complete, well-formed document under `root`, in a stable order (see `scan_corpus` for the rest)."""
    return (entry for entry in scan_corpus(root) if isinstance(entry, StoredDocument))


def scan_corpus(root: Path) -> Iterator[StoredDocument | BadEntry]:
    """Every folder with a record under `root`, in a stable order: its document, or why it was skipped."""
    root = Path(root)
    if not root.is_dir():
        return
    real_root = root.resolve()
    for record_path in sorted(root.glob(f"*/*/{RECORD_NAME}")):
        folder = record_path.parent
        try:
            if not folder.resolve().is_relative_to(real_root):
                raise BadRecord(f"文件夹指向语料库之外：{folder.resolve()}")
            yield load_document(folder)
        except BadRecord as exc:
            yield BadEntry(folder, str(exc))


def read_document(folder: Path) -> StoredDocument | None:
    """The document stored in `folder`, or None when its record is missing, unreadable or out of bounds."""
    try:
        return load_document(folder)
    except BadRecord:
        return None


def load_document(folder: Path) -> StoredDocument:
    """The document stored in `folder`; `BadRecord` says why when there is none to read."""
    try:
        data = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
        name = data.pop("filename")
    except (OSError, ValueError) as exc:
        raise BadRecord(f"{RECORD_NAME} 无法读取：{exc}") from None
    except (KeyError, AttributeError, TypeError):
        raise BadRecord(f"{RECORD_NAME} 缺少 filename") from None
    path = folder / _plain_name(name)
    try:
        mode = path.lstat().st_mode
    except OSError:
        raise BadRecord(f"{RECORD_NAME} 所指的文件不存在：{name}") from None
    if stat.S_ISLNK(mode):
        raise BadRecord(f"{name} 是符号链接，未读取（只读取文件夹内的普通文件）")
    if not stat.S_ISREG(mode):
        raise BadRecord(f"{name} 不是普通文件（命名管道、设备等），未读取")
    known = {k: data.get(k) for k in StoredDocument.__dataclass_fields__ if k != "path"}
    return StoredDocument(path=path, **known)


def _plain_name(name) -> str:
    """`name` when it names a file directly in the record's folder; anything else is refused."""
    if not isinstance(name, str) or not name or name in (".", "..", RECORD_NAME) or "/" in name \
            or "\\" in name or "\0" in name:
        raise BadRecord(f"{RECORD_NAME} 的 filename 越出所在文件夹，已拒绝：{name!r}")
    return name


def _write_atomic(path: Path, content: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
