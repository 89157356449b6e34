"""The tantivy engine: the Rust search library behind the same seam as Whoosh, for large corpora.

Same tokens, query semantics and facet counts as `whoosh_engine` (tested side by side in `tests/engines/`).
Report-level queries run on report documents (`tantivy_reports`); the rest aggregate section hits per
report key (`tantivy_sections`); past one aggregation's bucket limit both cut the key range into pieces
(`buckets`), so counts are exact and memory bounded by the answer whatever the number of matches. Only the
shown sections are loaded.
"""
from __future__ import annotations

import fcntl
import functools
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import tantivy

from indexer import query as q, schema as vocabulary
from indexer.analysis import analysis_fingerprint
from indexer.engines.base import (
    FACET_FIELDS,
    Engine,
    EngineError,
    EngineResult,
    IndexLocked,
    ReportHits,
    ReportRecord,
    SectionDoc,
    tally,
)
from indexer.engines.tantivy.docs import (
    MAX_SECTIONS_PER_REPORT,
    NO_VALUE_KEY,
    REPORT_KIND,
    SCHEMA_VERSION,
    SECTION_KIND,
    STAMP_KIND,
    AnalysedDoc,
    analyse_docs,
    build_schema,
    from_payload,
    key_of,
    register_tokenizer,
    report_document,
    report_fields,
    to_tantivy,
)
from indexer.engines.tantivy.query import of_kind, report_level, translate
from indexer.engines.tantivy.reports import BeyondAggregation, best_first, report_facets, search_by_report
from indexer.engines.tantivy.sections import search_by_section
from indexer.engines.tantivy.table import report_table, stamp_document
from indexer.engines.tantivy.whole import search_whole_reports
from indexer.store import has_manifest

_WRITER_HEAP_BYTES = 256_000_000
AGGREGATION_BUCKETS = 65_000  # tantivy's default bucket limit per aggregation request

class _OpenIndexes:
    """The tantivy.Index of each folder, shared by the engines of this process that have it open, so a commit
    by one (its `reload`) is seen at once by the others. Counted: the last engine to close a folder drops
    its Index, so a long-running server does not keep every rebuilt (replaced) index open."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[Path, list] = {}  # folder → [Index, engines using it]

    def acquire(self, folder: Path, opener, fresh: bool = False) -> tantivy.Index:
        """The shared Index of `folder` (`opener()` makes it; with `fresh`, it replaces the shared one)."""
        with self._lock:
            entry = self._open.get(folder)
            if entry is None or fresh:
                entry = self._open[folder] = [opener(), entry[1] if entry else 0]
                register_tokenizer(entry[0])  # tantivy keeps tokenizers out of the index files
            entry[1] += 1
            return entry[0]

    def release(self, folder: Path) -> None:
        with self._lock:
            entry = self._open.get(folder)
            if entry is not None:
                entry[1] -= 1
                if entry[1] <= 0:
                    del self._open[folder]


_INDEXES = _OpenIndexes()


# tantivy's writer lock: a file in the index folder, held with flock while an IndexWriter lives (any process).
_WRITER_LOCK = ".tantivy-writer.lock"


def writer_lock_busy(path: Path) -> bool:
    """Whether an IndexWriter (of any process) holds the index at `path` now: an explicit check, so a busy
    index is told apart before tantivy is asked for a writer (it would answer with a bare ValueError)."""
    lock = Path(path) / _WRITER_LOCK
    if not lock.exists():
        return False
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _refuse_if_locked(path: Path) -> None:
    """Raise IndexLocked while another writer works on the index at `path`, before anything is replaced."""
    if writer_lock_busy(path):
        raise _locked(path)


def _locked(path: Path) -> IndexLocked:
    return IndexLocked(f"the index at {path} is being written by another process; try again when it has finished")


def _by_report(docs: Iterable[AnalysedDoc]) -> Iterator[list[AnalysedDoc]]:
    """Consecutive sections of the same report, as lists."""
    for _, sections in groupby(docs, key=lambda a: a.doc.report_id):
        yield list(sections)


class TantivyEngine(Engine):
    name = "tantivy"

    preparer = "indexer.engines.tantivy.docs:analyse_docs"  # run by the index build's workers (--jobs)
    batch_reports = 1000  # fewer, bigger segments to merge: ≈ 15 % less writer CPU than 200 (docs/scale.md §2)

    def __init__(self, path: Path, *, create: bool = False, writer_heap_bytes: int = _WRITER_HEAP_BYTES,
                 aggregation_buckets: int = AGGREGATION_BUCKETS):
        super().__init__(path)
        self.writer_heap_bytes = writer_heap_bytes
        self.buckets = aggregation_buckets
        fingerprint = f"{analysis_fingerprint()}/{vocabulary.fingerprint()}/tantivy-schema-{SCHEMA_VERSION}"
        if create:
            path.mkdir(parents=True, exist_ok=True)
            _refuse_if_locked(path)
            # reuse=False starts a new, empty index even where one exists (`nianbao index --rebuild`).
            self.index = _INDEXES.acquire(
                path.resolve(), lambda: tantivy.Index(build_schema(), path=str(path), reuse=False), fresh=True)
            self.write_manifest(fingerprint)
        elif not tantivy.Index.exists(str(path)):
            if has_manifest(path):
                self.check_manifest(fingerprint)  # another engine's index: say "rebuild needed"
            raise EngineError(f"no index at {path}: build it with `nianbao index`")
        else:
            self.check_manifest(fingerprint)
            self.index = _INDEXES.acquire(path.resolve(), lambda: tantivy.Index.open(str(path)))
        self._folder: Path | None = path.resolve()
        self.schema = self.index.schema
        self._writer = None
        # Caches live as long as this engine (a long-running process keeps one, see engines/cache.py):
        # facet key → string per field (keys never change), and the report table of the latest commit.
        self._names: dict[str, dict[int, str]] = defaultdict(dict)
        self._table: dict = {}

    def close(self) -> None:
        """Finish merges, release the writer lock and this engine's hold on the index."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None
        if self._folder is not None:
            _INDEXES.release(self._folder)
            self._folder = None

    # -- writing ------------------------------------------------------------------------------------

    def replace_reports(self, reports: dict[str, list[SectionDoc]], delete: Iterable[str] = (),
                        records: dict[str, ReportRecord] | None = None) -> None:
        records = {rid: (records or {}).get(rid) or ReportRecord.of_sections(docs) for rid, docs in reports.items()
                   if docs}
        self.write_analysed(analyse_docs([d for docs in reports.values() for d in docs]),
                            list(delete) + list(reports), records)

    def replace_prepared(self, reports: dict[str, list[AnalysedDoc]], delete: Iterable[str] = (),
                         records: dict[str, ReportRecord] | None = None) -> None:
        """`replace_reports` with the sections already analysed (by `preparer`, in the build's workers)."""
        self.write_analysed([a for docs in reports.values() for a in docs], list(delete) + list(reports), records)

    def write_analysed(self, docs: Iterable[AnalysedDoc], replace: Iterable[str],
                       records: dict[str, ReportRecord] | None = None) -> None:
        """In one commit: remove every document of the reports in `replace`, then add `docs` (grouped by report)
        with each report's record (from `records`, else the one its sections imply)."""
        writer = self._open_writer()
        try:
            for report_id in replace:
                writer.delete_documents_by_term("report_id", report_id)
            for sections in _by_report(docs):
                seen: set[str] = set()
                fields = report_fields(sections[0].doc)
                for analysed in sections:
                    writer.add_document(to_tantivy(analysed, analysed.doc.section in seen, fields))
                    seen.add(analysed.doc.section)
                report_id = sections[0].doc.report_id
                record = (records or {}).get(report_id) or ReportRecord.of_sections([a.doc for a in sections])
                writer.add_document(report_document(sections, record, fields))
            writer.delete_documents_by_term("kind", STAMP_KIND)
            writer.add_document(stamp_document())
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        self.index.reload()

    def _open_writer(self):
        # One writer per engine, kept until close(): tantivy locks the folder for as long as it lives.
        if self._writer is None:
            if writer_lock_busy(self.path):
                raise _locked(self.path)
            self._writer = self.index.writer(heap_size=self.writer_heap_bytes)
        return self._writer

    # -- reading ------------------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        searcher = self.index.searcher()
        # The filter drops terms left behind by deleted (replaced) sections until segments merge.
        terms = searcher.terms_with_prefix("report_fp", "", filter_query=tantivy.Query.all_query())
        return dict(term.split("\n", 1) for term, count in terms if count)

    def report_sections(self, report_id: str) -> list[SectionDoc]:
        searcher = self.index.searcher()
        query = of_kind(tantivy.Query.term_query(self.schema, "report_id", report_id), SECTION_KIND, self.schema)
        found = searcher.search(query, limit=MAX_SECTIONS_PER_REPORT)
        return sorted((self._load(searcher, address) for _, address in found.hits), key=lambda d: d.section_no)

    def report_record(self, report_id: str) -> ReportRecord | None:
        searcher = self.index.searcher()
        query = of_kind(tantivy.Query.term_query(self.schema, "report_id", report_id), REPORT_KIND, self.schema)
        found = searcher.search(query, limit=1).hits
        if not found:
            return None
        return ReportRecord.from_json(json.loads(searcher.doc(found[0][1])["payload"][0]))

    def search(self, query: object, *, offset: int, limit: int, sort: str = "relevance",
               facets: bool = True) -> EngineResult:
        searcher = self.index.searcher()
        if isinstance(query, q.Reports):
            return search_whole_reports(self, searcher, query, offset=offset, limit=limit, sort=sort, facets=facets)
        try:
            names_of = functools.partial(self._names_of, searcher)
            if report_level(query):
                return search_by_report(searcher, self.schema, query, offset=offset, limit=limit, sort=sort,
                                        facets=facets, buckets=self.buckets, names_of=names_of)
            table = report_table(self._table, searcher, self.schema)
            return search_by_section(searcher, self.schema, self._sections(query), table, names_of,
                                     offset=offset, limit=limit, sort=sort, facets=facets, buckets=self.buckets)
        except BeyondAggregation:  # data aggregations cannot name (a facet value too long for a term): per hit
            pass
        return self._search_every_hit(searcher, query, offset=offset, limit=limit, sort=sort, facets=facets)

    def facet_counts(self, query: object, names: tuple[str, ...]) -> dict[str, dict]:
        if not isinstance(query, q.Reports) and report_level(query):
            searcher = self.index.searcher()
            try:
                counts = report_facets(searcher, self.schema, query, names, buckets=self.buckets,
                                       names_of=functools.partial(self._names_of, searcher))
            except BeyondAggregation:
                counts = None
            if counts is not None:
                return counts
        return super().facet_counts(query, names)

    def matching_keys(self, query: object, reports: Collection[str] | None = None) -> set[str]:
        if isinstance(query, q.Reports):
            if reports is None:
                return super().matching_keys(query)
            return self._keys_within_reports(query, reports)
        return self._section_keys(self._sections(query), reports)

    def _section_keys(self, sections, reports: Collection[str] | None) -> set[str]:
        """`doc_key` of the section documents `sections` matches, in `reports` only when given."""
        searcher = self.index.searcher()
        if reports is not None:
            sections = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, sections),
                (tantivy.Occur.Must, tantivy.Query.term_set_query(self.schema, "report_id", sorted(reports)))])
        hits = searcher.search(sections, limit=max(1, searcher.num_docs), count=False).hits
        return {self._load(searcher, address).doc_key for _, address in hits}

    def _keys_within_reports(self, query: q.Reports, reports: Collection[str]) -> set[str]:
        """`q.Reports` matched section by section within `reports`: a report qualifies when each requirement has a
        matching section in it; its sections matching any requirement are returned."""
        each = [self._section_keys(self._sections(required), reports) for required in query.required]
        qualifying = set.intersection(*({key.rpartition(":")[0] for key in keys} for keys in each))
        return {key for keys in each for key in keys if key.rpartition(":")[0] in qualifying}

    def _sections(self, query: object):
        return of_kind(translate(query, self.schema), SECTION_KIND, self.schema)

    def _search_every_hit(self, searcher, query: object, *, offset: int, limit: int, sort: str,
                          facets: bool) -> EngineResult:
        """Every matching section read in Python: only for data aggregations cannot name (`BeyondAggregation`),
        never for the number of matches (`buckets` cuts those into pieces of bounded size)."""
        hits = searcher.search(self._sections(query), limit=max(1, searcher.num_docs)).hits
        addresses = [address for _, address in hits]
        report_keys = searcher.fast_field_values("report_id_key", addresses)
        order = list(dict.fromkeys(report_keys))  # hits come best first: so do their reports
        if sort == "year":
            year_of = dict(zip(report_keys, searcher.fast_field_values("year", addresses)))
            order.sort(key=lambda key: -(year_of[key] or 0))
        shown = set(order[offset:offset + limit])
        page_hits: dict[int, list] = {key: [] for key in order[offset:offset + limit]}
        for hit, key in zip(hits, report_keys):
            if key in shown:
                page_hits[key].append(hit)
        counts = self._facet_counts(searcher, addresses, report_keys) if facets else {}
        page = tuple(self._report_hits(searcher, found) for found in page_hits.values())
        return EngineResult(total_reports=len(order), total_sections=len(hits), reports=page, facets=counts)

    def _report_hits(self, searcher, hits: list) -> ReportHits:
        """One report's (score, address) hits, best first (`reports.best_first`)."""
        sections = best_first([(score, self._load(searcher, address)) for score, address in hits])
        return ReportHits(sections[0].report_id, hits[0][0], sections)

    @staticmethod
    def _load(searcher, address) -> SectionDoc:
        return from_payload(searcher.doc(address)["payload"][0])

    def _facet_counts(self, searcher, addresses: list, report_keys: list[int]) -> dict[str, dict]:
        """Matching reports per facet value, over all matches (a report counts once per value)."""
        # Report fields (agency, year, region) are the same in every section of a report (build.section_docs):
        # read them once per report, at its first hit. Sections differ: count distinct (report, section) pairs.
        firsts = list(dict(zip(reversed(report_keys), reversed(addresses))).values())
        counts = {}
        for name in FACET_FIELDS:
            if vocabulary.spec(name).match == "range":
                counts[name] = tally(name, Counter(searcher.fast_field_values(name, firsts)))
                continue
            where = addresses if name == "section" else firsts
            keys = searcher.fast_field_values(f"{name}_key", where)
            values = Counter(map(itemgetter(1), set(zip(report_keys, keys)))) if name == "section" else Counter(keys)
            values.pop(NO_VALUE_KEY, None)
            names = self._names_of(searcher, name, values, dict(zip(keys, where)))
            counts[name] = tally(name, {names[key]: n for key, n in values.items()})
        return counts

    def _names_of(self, searcher, field: str, keys: Iterable[int], address_of: dict | None = None) -> dict[int, str]:
        """The strings behind fast-field keys: from the field's term dictionary, cached (keys never change).

        A value too long to be a term (tantivy skips terms over 65,530 bytes) is read from a document having
        it (`address_of`); without one, BeyondAggregation (the caller counts per hit).
        """
        names = self._names[field]
        missing = set(keys).difference(names)  # a set difference: thousands of report ids per query
        if missing:
            names.update({key_of(term): term for term, _ in searcher.terms_with_prefix(field, "")})
        for key in missing.difference(names):
            if address_of is None:
                raise BeyondAggregation(f"no term for a {field} value")
            names[key] = getattr(self._load(searcher, address_of[key]), field)
        return names
