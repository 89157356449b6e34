"""Index stage, tantivy engine: the schema and `SectionDoc` → tantivy field values.

Tantivy is fed the very tokens Whoosh gets from `indexer.analysis` (bigrams, jieba words for ranking),
written as whitespace-separated text and split by tantivy's whitespace tokenizer, so ordinal positions
stay exact. Phrases of three or more characters are matched on a second stream, `chars3`, holding the
trigram starting at every character: a phrase needs a third as many (and rarer) terms as with bigrams,
which halves the cost of common phrases over large corpora (measured with `nianbao bench`). A space
inside a gram (`"a b"` → `"a "`, `" b"`) is written as SPACE_MARK on both the index and the query side.
Analysis is pure and picklable: `analyse_docs` is the engine's `preparer`, run by the index build's reader
workers (`nianbao index --jobs N`) so every core works while tantivy indexes in the parent.
"""
from __future__ import annotations

import hashlib
import json
import operator
from dataclasses import dataclass

from indexer import schema as vocabulary
from indexer.engines.base import ReportRecord, SectionDoc

# A private-use code point stands for the space inside bigrams. Text that itself contains U+10FFFD
# would match a phrase with a space there; that code point does not occur in Chinese reports.
SPACE_MARK = "\U0010fffd"
# Bump when the schema or the way documents are written changes: the manifest then asks for a rebuild.
SCHEMA_VERSION = "4"
# Between two sections inside a report document: a token no bigram equals, so phrases cannot span sections.
SECTION_GAP = "\U0010fffe\U0010fffe\U0010fffe"
SECTION_KIND, REPORT_KIND, STAMP_KIND = "section", "report", "stamp"
TOKENIZER = "nianbao_ws"
# Text fields filtered or grouped on (raw terms plus u64 keys), and range fields (integers; 0: no value).
KEYED_FIELDS = ("report_id", "section") + tuple(
    s.name for kind in ("contains", "exact") for s in vocabulary.indexed_fields(match=kind) if s.level == "report")
RANGE_FIELDS = tuple(s.name for s in vocabulary.indexed_fields(match="range"))
MAX_SECTIONS_PER_REPORT = 10_000  # a bound for searches within reports: they have a dozen at most


def key_of(value: str) -> int:
    """A stable 64-bit key for a string, kept in fast fields (tantivy reads numbers per hit cheaply)."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")


NO_VALUE_KEY = key_of("")  # the key of an empty field (no agency, no county, …)


def marked(token: str) -> str:
    """A token as written to tantivy: its spaces become SPACE_MARK."""
    return token.replace(" ", SPACE_MARK)


def build_schema():
    """The tantivy schema: raw filter fields, u64 keys for grouping and facets, token fields, a JSON payload.

    `kind` tells section documents (what queries match) from report documents (one per report, its
    sections joined by SECTION_GAP: facet counts per report without visiting every matching section)
    and from the one stamp document naming the last commit (`tantivy_table`).
    """
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_text_field("repeat", tokenizer_name="raw")  # "1": a section key seen before in its report
    for name in KEYED_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
        builder.add_unsigned_field(f"{name}_key", fast=True)
    for name in RANGE_FIELDS:
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_text_field("report_fp", tokenizer_name="raw")
    # Bigrams answer one- and two-character queries (a term each: no positions needed); trigrams with
    # positions answer longer phrases.
    builder.add_text_field("chars", tokenizer_name=TOKENIZER, index_option="freq")
    builder.add_text_field("chars3", tokenizer_name=TOKENIZER, index_option="position")
    for name in ("words", "title_words", "heading_words"):
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    builder.add_bytes_field("payload", stored=True)
    builder.add_text_field("stamp", stored=True, tokenizer_name="raw")  # see tantivy_table.commit_stamp
    return builder.build()


def register_tokenizer(index) -> None:
    """Tantivy keeps tokenizers out of the index files: register ours on every open."""
    import tantivy

    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


@dataclass(frozen=True)
class AnalysedDoc:
    """One section with its token streams ready for tantivy (plain strings: cheap to pickle)."""

    doc: SectionDoc
    chars: str
    chars3: str
    words: str
    title_words: str
    heading_words: str


def bigram_text(normalized: str) -> str:
    """`analysis.bigrams` of normalised text, as whitespace-separated tokens."""
    text = marked(normalized)
    if not text:
        return ""
    return " ".join(map(operator.add, text, text[1:])) + " " + text[-1]


def trigram_text(normalized: str) -> str:
    """The trigram starting at each character (the last two are shorter), as whitespace-separated tokens.

    One token per character keeps positions equal to character offsets, and the two short tail tokens
    equal no trigram: with SECTION_GAP after them, a phrase cannot match across two sections of a report
    document (any three consecutive positions hold a term of the phrase's cover, see tantivy_query).
    """
    text = marked(normalized)
    return " ".join(text[i:i + 3] for i in range(len(text)))


def word_text(normalized: str) -> str:
    """`analysis.words` of normalised text, as whitespace-separated tokens."""
    from indexer.analysis import words

    return " ".join(marked(w) for w, _, _ in words(normalized))


def analyse_doc(doc: SectionDoc, short_texts: dict[str, str] | None = None) -> AnalysedDoc:
    """Token streams of one section, the same ones the Whoosh engine indexes.

    `short_texts` memoises title and heading words: every section of a report repeats its title.
    """
    from indexer.normalize import normalize

    memo = {} if short_texts is None else short_texts
    for short in (doc.title, doc.heading):
        if short not in memo:
            memo[short] = word_text(normalize(short))
    normalized = normalize(doc.text)
    return AnalysedDoc(doc=doc, chars=bigram_text(normalized),
                       chars3=trigram_text(normalized), words=word_text(normalized),
                       title_words=memo[doc.title], heading_words=memo[doc.heading])


def analyse_docs(docs: list[SectionDoc]) -> list[AnalysedDoc]:
    """`analyse_doc` over a chunk (the unit of work sent to a worker process)."""
    short_texts: dict[str, str] = {}
    return [analyse_doc(doc, short_texts) for doc in docs]


def report_fields(doc: SectionDoc) -> tuple:
    """The report's own field values as tantivy documents hold them — the same in every document of the report,
    so the build works them out once a report (they were most of the writer's CPU): (name, value, key) for the
    keyed fields but `section`, then (name, integer) for the range fields."""
    keyed = tuple((name, value, key_of(value))
                  for name, value in ((name, getattr(doc, name) or "") for name in KEYED_FIELDS if name != "section"))
    return keyed, tuple((name, vocabulary.range_value(name, getattr(doc, name)) or 0) for name in RANGE_FIELDS)


def to_tantivy(analysed: AnalysedDoc, repeated: bool = False, fields: tuple | None = None):
    """The tantivy document for one analysed section (`repeated`: its key already occurred in the report;
    `fields`: `report_fields` of its report, when already known)."""
    doc = analysed.doc
    out = _with_report_fields(fields or report_fields(doc), SECTION_KIND, doc.section)
    if repeated:
        out.add_text("repeat", "1")
    out.add_text("report_fp", f"{doc.report_id}\n{doc.fingerprint}")
    for name in ("chars", "chars3", "words", "title_words", "heading_words"):
        out.add_text(name, getattr(analysed, name))
    out.add_bytes("payload", json.dumps(doc.to_json(), ensure_ascii=False).encode("utf-8"))
    return out


def report_document(sections: list[AnalysedDoc], record: ReportRecord, fields: tuple | None = None):
    """The report document of one report's analysed sections (all carry the report's fields); its payload is
    the report record."""
    out = _with_report_fields(fields or report_fields(sections[0].doc), REPORT_KIND, "")
    gap = f" {SECTION_GAP} "
    for name in ("chars", "chars3", "words", "heading_words"):
        out.add_text(name, gap.join(getattr(a, name) for a in sections))
    out.add_text("title_words", sections[0].title_words)
    out.add_bytes("payload", json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8"))
    return out


def _with_report_fields(fields: tuple, kind: str, section: str):
    import tantivy

    keyed, ranged = fields
    out = tantivy.Document()
    out.add_text("kind", kind)
    out.add_text("section", section)
    out.add_unsigned("section_key", _SECTION_KEYS.get(section) or key_of(section))
    for name, value, key in keyed:
        out.add_text(name, value)
        out.add_unsigned(f"{name}_key", key)
    for name, number in ranged:
        out.add_integer(name, number)
    return out


_SECTION_KEYS = {key: key_of(key) for key in ("", *vocabulary.SECTION_LABELS)}


def from_payload(payload: bytes) -> SectionDoc:
    """The stored `SectionDoc` back from its JSON payload."""
    return SectionDoc.from_json(json.loads(payload))
