"""Search stage: the query language → a small typed query tree. Pure.

Grammar (documented for users in the README):

    query   := and ( 'OR' and )*          a OR b   either (OR binds loosest)
    and     := unary+                     a b      both must match (AND), ranked
    unary   := ('-' | 'NOT') unary        -a, NOT a  must not match
             | '(' query ')'
             | FIELD ':' value            a field of `indexer.schema` declared `query=True`
             | '"' phrase '"'             exact substring, whatever the word boundaries
             | word
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer import schema

MAX_QUERY_CHARS = 400
MAX_CLAUSES = 40
MAX_DEPTH = 8

FIELDS = schema.QUERY_FIELDS


class QueryError(Exception):
    """A query that cannot be understood; `str()` is one line for the user, in Chinese and English."""

    def __init__(self, message: str, suggestion: str | None = None):
        self.message = message
        self.suggestion = suggestion
        super().__init__(message + (f" {suggestion}" if suggestion else ""))


@dataclass(frozen=True)
class Words:
    """Unquoted text: its words must all appear (as substrings); ranked by BM25."""
    text: str


@dataclass(frozen=True)
class Phrase:
    """Quoted text: the exact substring (after normalisation)."""
    text: str


@dataclass(frozen=True)
class Field:
    """A field filter: range fields hold inclusive (low, high) integers, `exact` ones canonical keys."""
    name: str
    value: str | tuple[int, int]


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every section (used with filters only)."""


@dataclass(frozen=True)
class Reports:
    """Requirements met anywhere in one report (built by `over_reports`): a report matches when each tree of
    `required` is matched by one of its sections (not necessarily the same one); its sections shown are those
    matching any of them. Each tree is matched within one section, as everywhere else."""
    required: tuple


_TOKEN = re.compile(r'\s+|(?P<quote>")|(?P<open>[(（])|(?P<close>[)）])|(?P<word>[^\s"()（）]+)')


def parse_query(text: str) -> object:
    """Parse a user query; raises QueryError with a one-line explanation."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"查询过长（{len(text)} 字，上限 {MAX_QUERY_CHARS} 字）。",
                         "请缩短查询，或改用字段筛选。")
    tokens = _tokenize(text)
    if sum(1 for kind, _ in tokens if kind in ("word", "phrase")) > MAX_CLAUSES:
        raise QueryError(f"查询条件过多（上限 {MAX_CLAUSES} 个）。", "请减少关键词。")
    parser = _Parser(tokens)
    if not tokens:
        return MatchAll()
    tree = parser.parse_query(0)
    if parser.pos < len(tokens):
        raise QueryError("多余的右括号“)”。", "请检查括号是否成对。")
    return tree


# The closing quote each opening quote asks for first: quotes of another kind inside a phrase are part of
# it (`"推进线上“一网通办”"`, `“推行「一窗受理」”`). Without its own closing quote, any quote closes it.
_CLOSING = {'"': '"', "“": "”", "”": "”"}
_ANY_QUOTE = re.compile(r'["“”]')


def _closing_quote(text: str, pos: int) -> int | None:
    """Index of the quote closing the phrase opened at `pos`, or None when it is never closed."""
    own = text.find(_CLOSING[text[pos]], pos + 1)
    if own != -1:
        return own
    other = _ANY_QUOTE.search(text, pos + 1)
    return other.start() if other else None


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos] in _CLOSING:
            close = _closing_quote(text, pos)
            if close is None:
                raise QueryError("引号不成对：短语缺少结尾的引号。", f'请写成 "{text[pos + 1:].strip()}"。')
            tokens.append(("phrase", text[pos + 1:close]))
            pos = close + 1
            continue
        match = _TOKEN.match(text, pos)
        if match.group("open"):
            tokens.append(("open", "("))
        elif match.group("close"):
            tokens.append(("close", ")"))
        elif match.group("word"):
            word = match.group("word")
            cut = re.search(r'["“”]', word)
            if cut:
                word = word[:cut.start()]
                match_end = pos + cut.start()
                tokens.append(("word", word))
                pos = match_end
                continue
            tokens.append(("word", word))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_query(self, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise QueryError(f"括号嵌套过深（上限 {MAX_DEPTH} 层）。", "请简化查询。")
        options = [self.parse_and(depth)]
        while self.peek() == ("word", "OR"):
            self.pos += 1
            if self.peek() is None or self.peek()[0] == "close":
                raise QueryError("OR 后面缺少查询词。", "例如：一窗受理 OR 一网通办。")
            options.append(self.parse_and(depth))
        return options[0] if len(options) == 1 else Or(tuple(options))

    def parse_and(self, depth: int) -> object:
        parts = []
        while self.peek() is not None and self.peek()[0] != "close" and self.peek() != ("word", "OR"):
            parts.append(self.parse_unary(depth))
        if not parts:
            raise QueryError("缺少查询词。", "例如：一窗受理 或 \"一窗受理\"。")
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_unary(self, depth: int) -> object:
        kind, value = self.tokens[self.pos]
        if (kind, value) == ("word", "NOT") or (kind == "word" and value == "-"):
            self.pos += 1
            if self.peek() is None or self.peek()[0] == "close":
                raise QueryError(f"“{value}”后面缺少要排除的词。", "例如：审批 -收费。")
            return Not(self.parse_unary(depth))
        if kind == "word" and value.startswith("-") and len(value) > 1:
            self.tokens[self.pos] = ("word", value[1:])
            return Not(self.parse_unary(depth))
        self.pos += 1
        if kind == "open":
            inner = self.parse_query(depth + 1)
            if self.peek() != ("close", ")"):
                raise QueryError("括号不成对：缺少“)”。", "请检查括号是否成对。")
            self.pos += 1
            return inner
        if kind == "close":
            raise QueryError("多余的右括号“)”。", "请检查括号是否成对。")
        if kind == "phrase":
            if not value.strip():
                raise QueryError("引号中的短语是空的。", '例如："一窗受理"。')
            return Phrase(value)
        return self.parse_word(value)

    def parse_word(self, value: str) -> object:
        name, sep, rest = value.partition(":") if ":" in value else value.partition("：")
        if sep and name.lower() in FIELDS:
            name = name.lower()
            if not rest and self.peek() is not None and self.peek()[0] == "phrase":
                rest = self.tokens[self.pos][1]
                self.pos += 1
            return field_filter(name, rest.strip())
        return Words(value)


def field_filter(name: str, value: str) -> Field:
    """One `name:value` condition, read by the field's match kind; QueryError explains a bad value."""
    spec = schema.spec(name)
    if not value:
        raise QueryError(f"字段“{name}:”后面缺少值。", f"例如：{spec.example}。")
    if spec.match == "range":
        try:
            return Field(name, spec.codec.parse(value))
        except schema.FieldValueError as exc:
            raise QueryError(str(exc), f"例如：{spec.example}。") from None
    if spec.match == "exact":
        names = spec.choices()
        key = names.get(value) or names.get(value.lower())
        if key is None:
            known = "、".join(sorted(set(names.values())))
            raise QueryError(f"没有名为“{value}”的{spec.label}。", f"可用：{known}。")
        return Field(name, key)
    return Field(name, value)



def over_reports(tree: object) -> object:
    """`tree` with its unquoted words matched anywhere in one report: a `Reports` node whose requirements are
    the top-level words (each jieba piece), phrases and parenthesised parts, each with the query's report
    filters and `-` exclusions (a `-word` drops the sections holding it, not the report). `tree` itself when
    it asks for one thing only (the same answer), or names a section-level field (`section:` matches within
    sections)."""
    if _names_section_field(tree):
        return tree
    parts = tree.children if isinstance(tree, And) else (tree,)
    scope = [p for p in parts if _report_constant(p) or isinstance(p, Not)]
    wanted = [piece for p in parts if p not in scope for piece in _pieces(p)]
    if len(wanted) < 2:
        return tree
    return Reports(tuple(And((piece, *scope)) if scope else piece for piece in dict.fromkeys(wanted)))


def _leaves(node: object):
    """Every word, phrase, field and MatchAll of a tree (under AND, OR and NOT)."""
    if isinstance(node, Not):
        yield from _leaves(node.child)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _leaves(child)
    else:
        yield node


def _level(leaf: object) -> str | None:
    return schema.spec(leaf.name).level if isinstance(leaf, Field) else None


def _report_constant(node: object) -> bool:
    """A condition on report fields only: the same answer for every section of a report."""
    return all(isinstance(leaf, MatchAll) or _level(leaf) == "report" for leaf in _leaves(node))


def _names_section_field(node: object) -> bool:
    return any(_level(leaf) == "section" for leaf in _leaves(node))


def _pieces(node: object) -> list[object]:
    """What one top-level part asks a report for: unquoted text each of its jieba words, anything else whole."""
    if isinstance(node, Words):
        from indexer.analysis import query_words

        pieces = query_words(node.text)
        return [node] if len(pieces) <= 1 else [Words(piece) for piece in pieces]
    return [node]


def positive_texts(tree: object) -> list[str]:
    """The text of every word and phrase the query asks for (not those under NOT), in query order: what a
    concordance can be made of, one per alternative of an OR."""
    if isinstance(tree, (Phrase, Words)):
        return [tree.text.strip()] if tree.text.strip() else []
    if isinstance(tree, (And, Or)):
        return list(dict.fromkeys(t for child in tree.children for t in positive_texts(child)))
    return []
