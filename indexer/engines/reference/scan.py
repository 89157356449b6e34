"""The reference engine's matcher: the query language answered by a linear in-memory substring scan.

No index: every section's normalised text is checked with `in`. `nianbao bench` uses it as ground truth
(phrase recall/precision) and as the baseline the index is compared with.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from indexer import query as q, schema
from indexer.engines.base import tally
from indexer.normalize import normalize
from indexer.records import SectionDoc
from indexer.schema import FACET_FIELDS


@dataclass(frozen=True)
class ScannedSection:
    """A section with its normalised text, ready to be scanned."""

    doc: SectionDoc
    normalized: str


def prepare(docs: Iterable[SectionDoc]) -> list[ScannedSection]:
    """Normalise every section once (the scan's only 'index')."""
    return [ScannedSection(doc, normalize(doc.text)) for doc in docs]


def scan(tree: object, sections: list[ScannedSection]) -> list[ScannedSection]:
    """Sections matching `tree`, in corpus order."""
    if isinstance(tree, q.Reports):
        return _scan_reports(tree, sections)
    test = _compile(tree)
    return [s for s in sections if test(s)]


def _scan_reports(tree: q.Reports, sections: list[ScannedSection]) -> list[ScannedSection]:
    """The sections matching a requirement, of every report each requirement is met in (`query.Reports`)."""
    tests = [_compile(required) for required in tree.required]
    by_report: dict[str, list[ScannedSection]] = {}
    for section in sections:
        by_report.setdefault(section.doc.report_id, []).append(section)
    found = []
    for report in by_report.values():
        met = [[test(s) for test in tests] for s in report]
        if all(any(row[n] for row in met) for n in range(len(tests))):
            found.extend(s for s, row in zip(report, met) if any(row))
    return found


def facet_counts(matches: list[ScannedSection]) -> dict[str, dict]:
    """Matching reports per facet value (a report counts once per value), like the engines."""
    counts = {}
    for name in FACET_FIELDS:
        pairs = {(s.doc.report_id, getattr(s.doc, name)) for s in matches}
        counts[name] = tally(name, Counter(value for _, value in pairs))
    return counts


def _compile(node: object):
    """The query tree → a predicate over one section."""
    if isinstance(node, q.MatchAll):
        return lambda s: True
    if isinstance(node, q.Phrase):
        needle = normalize(node.text)
        return lambda s: bool(needle) and needle in s.normalized
    if isinstance(node, q.Words):
        from indexer.analysis import query_words

        parts = query_words(node.text)
        return lambda s: bool(parts) and all(p in s.normalized for p in parts)
    if isinstance(node, q.Field):
        return _field(node)
    if isinstance(node, q.Not):
        inner = _compile(node.child)
        return lambda s: not inner(s)
    if isinstance(node, q.And):
        parts = [_compile(c) for c in node.children]
        return lambda s: all(p(s) for p in parts)
    if isinstance(node, q.Or):
        parts = [_compile(c) for c in node.children]
        return lambda s: any(p(s) for p in parts)
    raise TypeError(f"unknown query node {node!r}")


def _field(node: q.Field):
    spec = schema.spec(node.name)
    if spec.match == "range":
        low, high = node.value

        def within(s: ScannedSection) -> bool:
            value = schema.range_value(node.name, getattr(s.doc, node.name))
            return value is not None and low <= value <= high

        return within
    if spec.match == "exact":
        return lambda s: getattr(s.doc, node.name) == node.value
    names = spec.parts or (node.name,)
    return lambda s: any(node.value in (getattr(s.doc, n) or "") for n in names)
