"""The Whoosh engine's raw readers: postings as numpy arrays, normalised section text as bytes.

Library trap (whoosh3 3.54): Whoosh reads postings one at a time in Python. We read whole blocks through
`W3LeafMatcher` internals (`_read_data`, `_data`, `_next_block`) and the `norm` column through
`VarBytesColumn.Reader` internals (`_dbfile._buf`, `_basepos`, `_offsets`, `_lengths`), and field lengths
from the per-document length column (`_perdoc._cached_reader`, one length byte per document). They are private,
which is why whoosh3 is pinned exactly; tests/search cover every path. Deleted documents are still in
their segment's postings: callers intersect with the live documents.
"""
from __future__ import annotations

from bisect import bisect_right

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def posting_arrays(reader, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(global docnums, weights) of `term` in `field`, over all segments."""
    id_parts, weight_parts = [], []
    for leaf, base in reader.leaf_readers():
        if (field, term) not in leaf:
            continue
        matcher = leaf.postings(field, term)
        matcher = getattr(matcher, "child", matcher)  # unwrap the deleted-docs filter
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, weights = matcher._data[0], matcher._data[1]
            ids = np.cumsum(np.asarray(deltas, dtype=np.int64)) + base  # block ids are delta-coded from 0
            id_parts.append(ids)
            if weights is None or isinstance(weights, float):  # minified: all 1.0, or all the same
                weight_parts.append(np.full(len(ids), 1.0 if weights is None else weights))
            else:
                weight_parts.append(np.asarray(weights, dtype=np.float64))
            matcher._next_block()
    if not id_parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    return np.concatenate(id_parts), np.concatenate(weight_parts)


def field_lengths(leaf, field: str, count: int) -> np.ndarray:
    """Token count of `field` for each of a segment's `count` documents (Whoosh stores it as one byte)."""
    perdoc = getattr(leaf, "_perdoc", None)
    column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN) if hasattr(perdoc, "_cached_reader") else None
    if column is None or not hasattr(column, "_count"):  # the public, per-document path
        return np.array([leaf.doc_field_length(d, field) or 0 for d in range(count)], dtype=np.float64)
    lengths = np.zeros(count)
    stored = min(count, column._count)
    raw = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
    lengths[:stored] = _LENGTH_OF_BYTE[raw]
    return lengths


def term_docs(reader, field: str, term: str) -> set[int]:
    """Docnums whose `field` holds `term`."""
    return set(posting_arrays(reader, field, term)[0].tolist())


class NormTexts:
    """Normalised section text (UTF-8) by docnum, read straight from the `norm` column's buffers."""

    def __init__(self, reader):
        self.bases, self.columns = [], []
        for leaf, base in reader.leaf_readers():
            if leaf.doc_count_all():
                self.bases.append(base)
                self.columns.append(leaf.column_reader("norm", translate=False))

    def containing(self, candidates, needle: bytes) -> set[int]:
        """The candidates whose text contains `needle` (UTF-8 is self-synchronising: bytes match = text match)."""
        found = set()
        bases, readers = self.bases, [_text_reader(column) for column in self.columns]
        for docnum in candidates:
            leaf = bisect_right(bases, docnum) - 1
            if needle in readers[leaf](docnum - bases[leaf]):
                found.add(docnum)
        return found


def _text_reader(column):
    """docnum → bytes for one segment's `norm` column: a slice of its memory map when there is one."""
    buffer = getattr(getattr(column, "_dbfile", None), "_buf", None)
    if buffer is None or not hasattr(column, "_offsets"):  # not memory-mapped: the public, slower path
        return column.__getitem__
    basepos, offsets, lengths = column._basepos, column._offsets, column._lengths

    def read(local: int) -> bytes:
        start = basepos + offsets[local]
        return bytes(buffer[start:start + lengths[local]])

    return read
