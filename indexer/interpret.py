"""Search stage: words of a query that name a region or an agency in the index, read as filters.

`金凤区 申请` → the filter county=金凤区 and the word 申请. Only words standing alone at the top level of the
query are read (not inside OR, NOT or parentheses), only against values the index holds (its facet values,
never a fixed list), and every reading is returned so that it is shown to the user, who can undo it: a word
in `literal` stays text (the web page's chip「地区：金凤区 ×」reruns the search that way).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from indexer import query as q, schema
from indexer.engines import Engine
from indexer.normalize import normalize
from indexer.overview import index_generation

# The fields a word may name, most specific place first: `中卫` is read as the city before the province.
NAMED_FIELDS = ("county", "city", "province", "agency")
# What a place name may leave out (`银川` names 银川市); agencies must be named in full.
PLACE_SUFFIXES = ("回族自治区", "维吾尔自治区", "壮族自治区", "自治区", "自治州", "自治县", "地区", "省", "市", "区",
                  "县", "旗", "盟")
MIN_NAME_CHARS = 2


@dataclass(frozen=True)
class Interpretation:
    """One word of the query read as a filter `field`=`value` (the value as the index holds it)."""

    word: str
    field: str
    value: str

    @property
    def title(self) -> str:
        """What the chip calls the filter: 地区 for every level of the region, else the field's label."""
        return schema.spec("region").label if self.field in ("province", "city", "county") else schema.spec(
            self.field).label

    def to_json(self) -> dict:
        return {"word": self.word, "field": self.field, "title": self.title, "value": self.value}


def interpret(engine: Engine, tree: object, literal: tuple[str, ...] = ()) -> tuple[object, tuple[Interpretation, ...]]:
    """`tree` without the words that name a region or agency of the index, and those readings."""
    parts = list(tree.children) if isinstance(tree, q.And) else [tree]
    candidates = [p for p in parts if isinstance(p, q.Words) and p.text not in literal
                  and len(normalize(p.text)) >= MIN_NAME_CHARS]
    if not candidates:
        return tree, ()
    readings = {}
    named = NAMES.named_values(engine)
    for part in candidates:
        reading = read_name(part.text, _containing(named, part.text))
        if reading is not None:
            readings[part] = reading
    if not readings:
        return tree, ()
    kept = [p for p in parts if p not in readings]
    rest = q.MatchAll() if not kept else kept[0] if len(kept) == 1 else q.And(tuple(kept))
    return rest, tuple(readings.values())


def _containing(named: dict[str, tuple[str, ...]], word: str) -> dict[str, tuple[str, ...]]:
    """The values of `named_values` that contain `word`: a scan of the index's own names (a facet search per
    word cost ~12 ms over 3,000 reports, most of it compiling tantivy's `.*word.*` automata)."""
    return {name: tuple(v for v in values if word in v) for name, values in named.items()}


class NamedValues:
    """Every value of NAMED_FIELDS in each index (its facet values over all reports), cached per index generation
    (`overview.index_generation`), so a crawl + `nianbao index` or a rebuild shows up on the next search."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: dict[str, tuple[tuple, dict[str, tuple[str, ...]]]] = {}

    def named_values(self, engine: Engine) -> dict[str, tuple[str, ...]]:
        generation = index_generation(engine.path)
        key = str(Path(engine.path))
        with self._lock:
            cached = self._cached.get(key)
            if cached is None or cached[0] != generation:
                counts = engine.search(q.MatchAll(), offset=0, limit=0, facets=True).facets
                cached = (generation, {name: tuple(str(v) for v in counts.get(name, {})) for name in NAMED_FIELDS})
                self._cached[key] = cached
            return cached[1]


NAMES = NamedValues()


def read_name(word: str, values: dict[str, tuple[str, ...]]) -> Interpretation | None:
    """The filter `word` names: a value of the index equal to it (a place also without its suffix)."""
    wanted = normalize(word)
    for name in NAMED_FIELDS:
        exact = [v for v in values.get(name, ()) if normalize(v) == wanted]
        shortened = [v for v in values.get(name, ()) if name != "agency" and _without_suffix(normalize(v)) == wanted]
        found = exact or shortened
        if len(found) == 1:  # two places of that short name (`朝阳` 区 and 县): not a reading, just text
            return Interpretation(word, name, found[0])
    return None


def _without_suffix(name: str) -> str:
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_NAME_CHARS:
            return name[:-len(suffix)]
    return name
