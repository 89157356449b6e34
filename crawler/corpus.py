"""The stored corpus: raw report files beside their fetch records (the contract with the indexer).

Layout, one folder per document:

    corpus/<portal>/<doc_id>/record.json      what was fetched: url, portal, time, type, hash, …
    corpus/<portal>/<doc_id>/original.<ext>   the bytes exactly as served

`doc_id` is derived from the URL, so refetching a URL lands in the same folder. Files are written
atomically (temp file + rename), record last, so a reader never sees a half-written document: a
folder without `record.json` is ignored.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

RECORD_NAME = "record.json"
ORIGINAL_STEM = "original"


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

    def record(self) -> dict:
        """The JSON-able fetch record (paths are not part of it)."""
        data = asdict(self)
        data.pop("path")
        data["filename"] = self.path.name
        return data


def doc_id_for(url: str) -> str:
    """Stable id of the document fetched from `url`."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def write_document(root: Path, portal: str, url: str, content: bytes, *, content_type: str, extension: str,
                   link_title: str | None = None, parent_url: str | None = None, note: str | None = None,
                   fetched_at: str | None = None) -> StoredDocument:
    """Store `content` fetched from `url` for `portal`; returns its record."""
    doc_id = doc_id_for(url)
    folder = Path(root) / portal / doc_id
    folder.mkdir(parents=True, exist_ok=True)
    extension = extension.lower().lstrip(".") or "bin"
    path = folder / f"{ORIGINAL_STEM}.{extension}"
    _write_atomic(path, content)
    document = StoredDocument(
        doc_id=doc_id, portal=portal, url=url, path=path, content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        fetched_at=fetched_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        link_title=link_title, parent_url=parent_url, note=note,
    )
    _write_atomic(folder / RECORD_NAME, json.dumps(document.record(), ensure_ascii=False, indent=2).encode("utf-8"))
    return document


def read_corpus(root: Path) -> Iterator[StoredDocument]:
    """Every complete document under `root`, in a stable order."""
    root = Path(root)
    if not root.is_dir():
        return
    for record_path in sorted(root.glob(f"*/*/{RECORD_NAME}")):
        document = read_document(record_path.parent)
        if document is not None:
            yield document


def read_document(folder: Path) -> StoredDocument | None:
    """The document stored in `folder`, or None when its record is missing or unreadable."""
    try:
        data = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
        path = folder / data.pop("filename")
    except (OSError, ValueError, KeyError):
        return None
    if not path.is_file():
        return None
    known = {k: data.get(k) for k in StoredDocument.__dataclass_fields__ if k != "path"}
    return StoredDocument(path=path, **known)


def _write_atomic(path: Path, content: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
