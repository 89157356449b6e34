"""The Whoosh engine's per-generation snapshot: facet columns, report ordinals and BM25 length terms as
numpy arrays indexed by docnum, built once per index generation and shared by every request."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

REPORT_FIELDS = ("agency", "year", "province", "city", "county")
RANK_FIELDS = {"words": 1.0, "title": 3.0, "heading": 2.0}
K1, B = 1.2, 0.75

_lock = threading.Lock()
_snapshots: dict[str, Snapshot] = {}


@dataclass
class Snapshot:
    """Columns of one index generation. Codes index into the matching `values` lists."""

    key: tuple
    live: frozenset            # non-deleted docnums
    report_of: np.ndarray      # docnum → report ordinal
    report_ids: list           # report ordinal → report_id
    section_no: list           # docnum → section number
    section_code: np.ndarray   # docnum → index into section_values
    section_values: list
    report_codes: dict         # facet field → report ordinal → index into report_values[field]
    report_values: dict        # facet field → distinct values
    by_value: dict             # filter field → value → docnums
    saturation: dict           # ranking field → docnum → k1·(1 − b + b·length/average length)


def snapshot(path: str, reader) -> Snapshot:
    """The cached snapshot of `reader`'s generation, built on first use."""
    # Segment ids are random: a rebuilt index whose generation number repeats still gets a new key.
    key = (reader.generation(), tuple((r.segment().segment_id() if r.segment() else None, r.doc_count(), base)
                                      for r, base in reader.leaf_readers()))
    with _lock:
        current = _snapshots.get(path)
        if current is None or current.key != key:
            current = _build(key, reader)
            _snapshots[path] = current
        return current


def _build(key: tuple, reader) -> Snapshot:
    live = frozenset(reader.all_doc_ids())
    total = reader.doc_count_all()
    names = ("report_id", "section_no", "section") + REPORT_FIELDS
    # An empty index has no columns at all (whoosh raises NotImplementedError).
    columns = {name: list(reader.column_reader(name)) if total else [] for name in names}
    ordinal: dict[str, int] = {}
    report_of = [ordinal.setdefault(rid, len(ordinal)) for rid in columns["report_id"]]
    report_codes, report_values = {}, {}
    for name in REPORT_FIELDS:
        per_report = [None] * len(ordinal)
        for docnum in live:
            per_report[report_of[docnum]] = columns[name][docnum]
        report_codes[name], report_values[name] = _encode(per_report)
    section_code, section_values = _encode(columns["section"])
    by_value: dict[str, dict] = {name: {} for name in REPORT_FIELDS + ("section",)}
    for name, values in by_value.items():
        for docnum in live:
            values.setdefault(columns[name][docnum], []).append(docnum)
    return Snapshot(key=key, live=live, report_of=np.asarray(report_of, dtype=np.int64),
                    report_ids=list(ordinal), section_no=columns["section_no"], section_code=section_code,
                    section_values=section_values, report_codes=report_codes, report_values=report_values,
                    by_value=by_value, saturation={name: _saturation(reader, name, live, total) for name in RANK_FIELDS})


def _encode(values: list) -> tuple[np.ndarray, list]:
    distinct: dict = {}
    codes = [distinct.setdefault(v, len(distinct)) for v in values]
    return np.asarray(codes, dtype=np.int64), list(distinct)


def _saturation(reader, field: str, live: frozenset, total: int) -> np.ndarray:
    lengths = np.zeros(total)
    for leaf, base in reader.leaf_readers():
        for local in range(leaf.doc_count_all()):
            lengths[base + local] = leaf.doc_field_length(local, field) or 0
    average = (lengths[list(live)].mean() if live else 0.0) or 1.0
    return K1 * (1 - B + B * lengths / average)
