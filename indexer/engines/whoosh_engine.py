"""The Whoosh engine: pure-Python index in a folder (the design card's default)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError

from indexer import query as q
from indexer.analysis import BigramTokenizer, WordTokenizer, analysis_fingerprint, phrase_terms, words
from indexer.engines.base import (FACET_FIELDS, Engine, EngineError, EngineResult, IndexLocked, ReportHits,
                                  SectionDoc)
from indexer.normalize import normalize

_TEXT_FIELDS = ("agency", "province", "city", "county")
_WRITER_TIMEOUT_S = 2.0


def _schema() -> Schema:
    return Schema(
        doc_key=ID(stored=True, unique=True),
        report_id=ID(stored=True, sortable=True),
        section_no=NUMERIC(stored=True),
        section=ID(stored=True, sortable=True),
        heading=TEXT(analyzer=WordTokenizer(), stored=True, phrase=False, field_boost=2.0),
        title=TEXT(analyzer=WordTokenizer(), stored=True, phrase=False, field_boost=3.0),
        agency=ID(stored=True, sortable=True),
        province=ID(stored=True, sortable=True),
        city=ID(stored=True, sortable=True),
        county=ID(stored=True, sortable=True),
        year=NUMERIC(stored=True, sortable=True),
        url=STORED(),
        template=STORED(),
        fingerprint=STORED(),
        text=STORED(),
        words=TEXT(analyzer=WordTokenizer(), phrase=False),
        chars=TEXT(analyzer=BigramTokenizer(), phrase=True),
    )


class WhooshEngine(Engine):
    name = "whoosh"

    def __init__(self, path: Path, *, create: bool = False):
        super().__init__(path)
        fingerprint = analysis_fingerprint()
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
        self.index.close()

    def replace_reports(self, reports: dict[str, list[SectionDoc]], delete: Iterable[str] = ()) -> None:
        try:
            writer = self.index.writer(timeout=_WRITER_TIMEOUT_S)
        except LockError:
            raise IndexLocked(f"the index at {self.path} is being written by another process; "
                              "try again when it has finished") from None
        try:
            for report_id in list(delete) + list(reports):
                writer.delete_by_term("report_id", report_id)
            for docs in reports.values():
                for doc in docs:
                    writer.add_document(**_fields(doc))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise

    def fingerprints(self) -> dict[str, str]:
        with self.index.searcher() as searcher:
            return {f["report_id"]: f.get("fingerprint", "") for f in searcher.all_stored_fields()}

    def report_sections(self, report_id: str) -> list[SectionDoc]:
        with self.index.searcher() as searcher:
            docs = [_doc(f) for f in searcher.documents(report_id=report_id)]
        return sorted(docs, key=lambda d: d.section_no)

    def search(self, query: object, *, offset: int, limit: int, sort: str = "relevance",
               facets: bool = True) -> EngineResult:
        whoosh_query = _translate(query)
        with self.index.searcher() as searcher:
            results = searcher.search(whoosh_query, limit=None)
            reader = searcher.reader()
            report_of = reader.column_reader("report_id")
            groups: dict[str, list[tuple[float, int]]] = defaultdict(list)
            for score, docnum in results.top_n:
                groups[report_of[docnum]].append((score, docnum))
            counts = _facet_counts(reader, groups) if facets else {}
            order = sorted(groups, key=lambda rid: -groups[rid][0][0])
            if sort == "year":
                year_of = reader.column_reader("year")
                order.sort(key=lambda rid: -(year_of[groups[rid][0][1]] or 0))
            page = [
                ReportHits(rid, groups[rid][0][0],
                           tuple(_doc(searcher.stored_fields(d)) for _, d in groups[rid]))
                for rid in order[offset:offset + limit]
            ]
            return EngineResult(total_reports=len(groups), total_sections=len(results.top_n),
                                reports=tuple(page), facets=counts)


def _facet_counts(reader, groups: dict[str, list[tuple[float, int]]]) -> dict[str, dict]:
    """Matching reports per facet value, over all matches (a report counts once per value)."""
    columns = {name: reader.column_reader(name) for name in FACET_FIELDS}
    counts: dict[str, dict] = {name: defaultdict(int) for name in FACET_FIELDS}
    for hits in groups.values():
        for name, column in columns.items():
            for value in {column[docnum] for _, docnum in hits}:
                if value not in ("", None, 0):
                    counts[name][value] += 1
    return {name: dict(values) for name, values in counts.items()}


def _fields(doc: SectionDoc) -> dict:
    fields = {
        "doc_key": doc.doc_key, "report_id": doc.report_id, "section_no": doc.section_no, "section": doc.section,
        "heading": doc.heading, "title": doc.title, "year": doc.year or 0, "url": doc.url,
        "template": doc.template, "fingerprint": doc.fingerprint, "text": doc.text,
        "words": doc.text, "chars": doc.text,
    }
    fields.update({name: getattr(doc, name) or "" for name in _TEXT_FIELDS})
    return fields


def _doc(stored: dict) -> SectionDoc:
    names = SectionDoc.__dataclass_fields__
    values = {k: v for k, v in stored.items() if k in names}
    values["year"] = values.get("year") or None
    return SectionDoc(**values)


def _translate(node: object) -> wq.Query:
    """indexer.query tree → Whoosh query: match on character bigrams, rank on jieba words."""
    if isinstance(node, q.MatchAll):
        return wq.Every()
    if isinstance(node, q.Phrase):
        return _substring(normalize(node.text))
    if isinstance(node, q.Words):
        text = normalize(node.text)
        parts = [w for w, _, _ in words(text)] or ([text] if text else [])
        if not parts:
            return wq.NullQuery
        required = wq.And([_substring(p) for p in parts])
        ranking = wq.Or([wq.Term(f, p) for p in parts for f in ("words", "title", "heading")])
        return wq.AndMaybe(required, ranking)
    if isinstance(node, q.Field):
        return _field(node)
    if isinstance(node, q.Not):
        return wq.AndNot(wq.Every(), _translate(node.child))
    if isinstance(node, q.And):
        return _conjunction([_translate(c) for c in node.children])
    if isinstance(node, q.Or):
        return wq.Or([_translate(c) for c in node.children])
    raise TypeError(f"unknown query node {node!r}")


def _conjunction(parts: list[wq.Query]) -> wq.Query:
    # `a -b` arrives as And(a, AndNot(Every, b)); fold it into AndNot(a, b) so Every is not scanned.
    positive = [p for p in parts if not (isinstance(p, wq.AndNot) and isinstance(p.a, wq.Every))]
    negative = [p.b for p in parts if p not in positive]
    base = wq.And(positive) if positive else wq.Every()
    return wq.AndNot(base, wq.Or(negative)) if negative else base


def _substring(text: str) -> wq.Query:
    """Sections whose normalised text contains `text` (see indexer.analysis for the bigram scheme)."""
    if not text:
        return wq.NullQuery
    terms = phrase_terms(text)
    if len(text) == 1:
        return wq.Prefix("chars", text)
    if len(terms) == 1:
        return wq.Term("chars", terms[0])
    return wq.Phrase("chars", terms)


def _field(node: q.Field) -> wq.Query:
    if node.name == "year":
        low, high = node.value
        return wq.NumericRange("year", low, high)
    if node.name == "section":
        return wq.Term("section", node.value)
    names = ("province", "city", "county") if node.name == "region" else (node.name,)
    value = node.value.replace("*", "").replace("?", "")
    return wq.Or([wq.Wildcard(name, f"*{value}*") for name in names])
