"""Search stage, tantivy engine: `indexer.query` trees → tantivy queries, term for term as the Whoosh engine.

Phrases match consecutive bigrams or trigrams (substring semantics, see `indexer.analysis` and
`tantivy_docs.trigram_text`), words are required as substrings and ranked by BM25 on jieba words
(title ×3, heading ×2), field filters as in Whoosh.
"""
from __future__ import annotations

import tantivy
from tantivy import Occur, Query

from indexer import query as q, schema as vocabulary
from indexer.analysis import phrase_terms, words
from indexer.engines.tantivy.docs import marked
from indexer.normalize import normalize

_RANKING_FIELDS = (("words", 1.0), ("title_words", 3.0), ("heading_words", 2.0))
# regex-syntax's meta characters (tantivy's RegexQuery is anchored: the pattern must match a whole term).
_REGEX_META = set("\\.+*?()|[]{}^$#&-~")


def translate(node: object, schema) -> Query:
    """indexer.query tree → tantivy query over the schema of `indexer.engines.tantivy.docs`."""
    if isinstance(node, q.MatchAll):
        return Query.all_query()
    if isinstance(node, q.Phrase):
        return substring(normalize(node.text), schema)
    if isinstance(node, q.Words):
        return _words(normalize(node.text), schema)
    if isinstance(node, q.Field):
        return _field(node, schema)
    if isinstance(node, q.Not):
        return _boolean([Query.all_query()], [translate(node.child, schema)])
    if isinstance(node, q.And):
        return _conjunction(node.children, schema)
    if isinstance(node, q.Or):
        return Query.boolean_query([(Occur.Should, translate(c, schema)) for c in node.children])
    raise TypeError(f"unknown query node {node!r}")


def substring(text: str, schema) -> Query:
    """Sections whose normalised text contains `text`.

    One character: a prefix of the bigrams; two: a bigram term; three: a trigram term; more: a phrase
    of trigrams (`chars3`) at every third offset plus the last one, which pins every character.
    """
    if not text:
        return Query.empty_query()
    if len(text) <= 2:
        term = marked(phrase_terms(text)[0])
        if len(text) == 1:
            return Query.regex_query(schema, "chars", rust_regex_escape(term) + ".?")
        return Query.term_query(schema, "chars", term)
    trigrams = [marked(text[i:i + 3]) for i in range(len(text) - 2)]
    if len(trigrams) == 1:
        return Query.term_query(schema, "chars3", trigrams[0])
    cover = sorted(set(range(0, len(trigrams), 3)) | {len(trigrams) - 1})
    return Query.phrase_query(schema, "chars3", [(offset, trigrams[offset]) for offset in cover])


def _words(text: str, schema) -> Query:
    parts = [w for w, _, _ in words(text)] or ([text] if text else [])
    if not parts:
        return Query.empty_query()
    ranking = [(Occur.Should, Query.boost_query(Query.term_query(schema, field, marked(p)), boost))
               for p in parts for field, boost in _RANKING_FIELDS]
    return Query.boolean_query([(Occur.Must, substring(p, schema)) for p in parts] + ranking)


def _conjunction(children: tuple, schema) -> Query:
    # `a -b` arrives as And(a, Not(b)): a MustNot clause beside a, without scanning every document.
    positive = [translate(c, schema) for c in children if not isinstance(c, q.Not)]
    negative = [translate(c.child, schema) for c in children if isinstance(c, q.Not)]
    return _boolean(positive or [Query.all_query()], negative)


def _boolean(must: list[Query], must_not: list[Query]) -> Query:
    return Query.boolean_query([(Occur.Must, m) for m in must] + [(Occur.MustNot, n) for n in must_not])


def _field(node: q.Field, schema) -> Query:
    spec = vocabulary.spec(node.name)
    if spec.match == "range":
        low, high = node.value
        return Query.range_query(schema, node.name, tantivy.FieldType.Integer, max(low, 1), high)  # 0: no value
    if spec.match == "exact":
        return Query.term_query(schema, node.name, node.value)
    names = spec.parts or (node.name,)
    value = node.value.replace("*", "").replace("?", "")
    pattern = ".*" + rust_regex_escape(value) + ".*"
    return Query.boolean_query([(Occur.Should, Query.regex_query(schema, name, pattern)) for name in names])


def of_kind(query: Query, kind: str, schema) -> Query:
    """`query` restricted to section or report documents (see tantivy_docs.build_schema)."""
    return _boolean([query, Query.term_query(schema, "kind", kind)], [])


_REPORT_FIELDS = tuple(s.name for s in vocabulary.FIELDS if s.query and s.level == "report")


def report_level(node: object) -> bool:
    """Whether "some section of the report matches" equals "the report document matches".

    True for one text clause (phrase, one word, OR of such) combined with report fields (year, agency,
    region): a report document holds all its sections, so two words ANDed, NOT word or `section:` are not.
    """
    if _report_constant(node) or isinstance(node, q.Phrase):
        return True
    if isinstance(node, q.Words):
        return len(words(normalize(node.text))) <= 1
    if isinstance(node, q.Or):
        return all(report_level(c) for c in node.children)
    if isinstance(node, q.And):
        textual = [c for c in node.children if not _report_constant(c)]
        return len(textual) <= 1 and all(report_level(c) for c in textual)
    return False


def _report_constant(node: object) -> bool:
    """A condition on report fields only: the same answer for every section of a report."""
    if isinstance(node, q.Field):
        return node.name in _REPORT_FIELDS
    if isinstance(node, q.MatchAll):
        return True
    if isinstance(node, q.Not):
        return _report_constant(node.child)
    if isinstance(node, (q.And, q.Or)):
        return all(_report_constant(c) for c in node.children)
    return False


def rust_regex_escape(text: str) -> str:
    """Escape `text` for tantivy's regex syntax (Python's re.escape escapes characters Rust rejects)."""
    return "".join("\\" + c if c in _REGEX_META else c for c in text)
