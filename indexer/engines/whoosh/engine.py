"""The Whoosh engine: pure-Python index in a folder (the design card's default).

Whoosh stores and reads the index; matching, ranking and facets are ours (whoosh_match), over a per-generation
snapshot (whoosh_snapshot), raw postings/column readers (whoosh_postings) and pooled searchers (whoosh_pool).
"""
from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError

from indexer import query as q, schema as vocabulary
from indexer.analysis import analysis_fingerprint, query_words
from indexer.engines.base import Engine, EngineError, EngineResult, IndexLocked, ReportHits, ReportRecord, SectionDoc
from indexer.engines.whoosh.match import Matcher, facet_counts, rank
from indexer.engines.whoosh.pool import POOL
from indexer.engines.whoosh.snapshot import snapshot
from indexer.engines.whoosh.tokenizers import BigramTokenizer, WordTokenizer
from indexer.normalize import normalize

# Report fields filtered on, from the vocabulary: text kept as ID terms, ranges as numbers (0: no value).
_TEXT_FIELDS = tuple(s.name for kind in ("contains", "exact") for s in vocabulary.indexed_fields(match=kind)
                     if s.level == "report")
_RANGE_FIELDS = tuple(s.name for s in vocabulary.indexed_fields(match="range"))
# Bump when the schema or the matching scheme changes: the manifest then asks for a rebuild.
FORMAT_VERSION = "4"


def _schema() -> Schema:
    filters = {name: ID(sortable=True) for name in _TEXT_FIELDS}
    filters.update({name: NUMERIC(sortable=True) for name in _RANGE_FIELDS})
    return Schema(
        doc_key=ID(stored=True, unique=True),
        report_id=ID(stored=True, sortable=True),
        section_no=NUMERIC(stored=True, sortable=True),
        section=ID(stored=True, sortable=True),
        heading=TEXT(analyzer=WordTokenizer(), stored=True, phrase=False, field_boost=2.0),
        title=TEXT(analyzer=WordTokenizer(), phrase=False, field_boost=3.0),
        fingerprint=ID(sortable=True),
        text=STORED(),
        values=STORED(),  # the section's report fields (JSON), as `SectionDoc.values`
        record=STORED(),  # the report record (JSON), on the report's first section only
        words=TEXT(analyzer=WordTokenizer(), phrase=False),
        # Bigrams only select candidates (no positions needed); `norm` confirms them (see whoosh_match).
        chars=TEXT(analyzer=BigramTokenizer(), phrase=False),
        norm=COLUMN(VarBytesColumn()),
        **filters,
    )


class WhooshEngine(Engine):
    """One index folder: one document per report section (see `_schema`)."""

    name = "whoosh"

    def __init__(self, path: Path, *, create: bool = False, writer_timeout: float = 2.0):
        super().__init__(path)
        self.writer_timeout = writer_timeout
        fingerprint = f"{analysis_fingerprint()}/{vocabulary.fingerprint()}/whoosh-{FORMAT_VERSION}"
        if create:
            path.mkdir(parents=True, exist_ok=True)
            self.index = whoosh_index.create_in(str(path), _schema())
            self.write_manifest(fingerprint)
        elif not whoosh_index.exists_in(str(path)):
            raise EngineError(f"no index at {path}: build it with `nianbao index`")
        else:
            self.check_manifest(fingerprint)
            self.index = whoosh_index.open_dir(str(path))

    def close(self) -> None:
        POOL.release(self.path)
        self.index.close()

    def replace_reports(self, reports: dict[str, list[SectionDoc]], delete: Iterable[str] = (),
                        records: dict[str, ReportRecord] | None = None) -> None:
        try:
            writer = self.index.writer(timeout=self.writer_timeout)
        except LockError:
            raise IndexLocked(f"the index at {self.path} is being written by another process; "
                              "try again when it has finished") from None
        try:
            for report_id in list(delete) + list(reports):
                writer.delete_by_term("report_id", report_id)
            for report_id, docs in reports.items():
                record = (records or {}).get(report_id) or ReportRecord.of_sections(docs)
                for doc in docs:
                    writer.add_document(**_fields(doc, record if doc is docs[0] else None))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise

    def fingerprints(self) -> dict[str, str]:
        with POOL.lend(self.index, self.path) as lent:
            reader = lent.searcher.reader()
            if not reader.doc_count_all():  # an empty index has no columns at all
                return {}
            report_ids, fingerprints = reader.column_reader("report_id"), reader.column_reader("fingerprint")
            return {report_ids[d]: fingerprints[d] for d in reader.all_doc_ids()}

    def report_sections(self, report_id: str) -> list[SectionDoc]:
        with POOL.lend(self.index, self.path) as lent:
            docs = [_doc(f) for f in lent.searcher.documents(report_id=report_id)]
        return sorted(docs, key=lambda d: d.section_no)

    def report_record(self, report_id: str) -> ReportRecord | None:
        with POOL.lend(self.index, self.path) as lent:
            for stored in lent.searcher.documents(report_id=report_id):
                if stored.get("record"):
                    return ReportRecord.from_json(json.loads(stored["record"]))
        return None

    def search(self, query: object, *, offset: int, limit: int, sort: str = "relevance",
               facets: bool = True) -> EngineResult:
        with POOL.lend(self.index, self.path) as lent:
            searcher = lent.searcher
            snap = snapshot(str(self.path), searcher.reader())
            matcher = Matcher(searcher, snap, lent.cache)
            docs = np.fromiter(matcher.docs(query), dtype=np.int64)
            ranked = rank(snap, docs, matcher.scores(docs, ranking_terms(query)), sort)
            page = [ReportHits(snap.report_ids[r], float(score),
                               tuple(_doc(searcher.stored_fields(d)) for d in ranked.sections_of(snap, r)))
                    for r, score in zip(ranked.reports[offset:offset + limit].tolist(),
                                        ranked.report_scores[offset:offset + limit].tolist())]
            return EngineResult(total_reports=len(ranked.reports), total_sections=len(docs), reports=tuple(page),
                                facets=facet_counts(snap, ranked) if facets else {})

    def matching_keys(self, query: object, reports: Collection[str] | None = None) -> set[str]:
        with POOL.lend(self.index, self.path) as lent:
            reader = lent.searcher.reader()
            snap = snapshot(str(self.path), reader)
            docs = Matcher(lent.searcher, snap, lent.cache).docs(query)
            section_no = reader.column_reader("section_no") if docs else {}
            keys = ((snap.report_ids[snap.report_of[d]], section_no[d]) for d in docs)
            return {f"{report}:{number}" for report, number in keys if reports is None or report in reports}


def ranking_terms(tree: object) -> list[str]:
    """The jieba words of the query's positive words and phrases: what BM25 ranks on."""
    if isinstance(tree, (q.Words, q.Phrase)):
        return query_words(tree.text)
    if isinstance(tree, (q.And, q.Or)):
        return list(dict.fromkeys(t for child in tree.children for t in ranking_terms(child)))
    if isinstance(tree, q.Reports):
        return list(dict.fromkeys(t for required in tree.required for t in ranking_terms(required)))
    return []


def _fields(doc: SectionDoc, record: ReportRecord | None) -> dict:
    fields = {
        "doc_key": doc.doc_key, "report_id": doc.report_id, "section_no": doc.section_no, "section": doc.section,
        "heading": doc.heading, "title": doc.title, "fingerprint": doc.fingerprint, "text": doc.text,
        "values": json.dumps(doc.values, ensure_ascii=False),
        "words": doc.text, "chars": doc.text, "norm": normalize(doc.text).encode("utf-8"),
    }
    if record is not None:
        fields["record"] = json.dumps(record.to_json(), ensure_ascii=False)
    fields.update({name: getattr(doc, name) or "" for name in _TEXT_FIELDS})
    fields.update({name: vocabulary.range_value(name, getattr(doc, name)) or 0 for name in _RANGE_FIELDS})
    return fields


def _doc(stored: dict) -> SectionDoc:
    fixed = {name: stored[name] for name in ("report_id", "section_no", "section", "heading", "text")}
    return SectionDoc.from_json({**json.loads(stored["values"]), **fixed})
