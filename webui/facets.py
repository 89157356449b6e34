"""Serve stage: facet counts → plain data the templates only loop over (value, label, count, toggle URL).

Region is one hierarchy, province → city → county, drilled down: a level's values are nested under its
parent when exactly one parent value is in play (selected, or the only one); otherwise the level is shown
as its own list, since facet counts alone do not say which city lies in which province.
"""
from __future__ import annotations

from dataclasses import dataclass

from indexer.search import FacetValue, SearchRequest
from webui.params import FIELD_TITLES, toggle_url

VISIBLE_VALUES = 6
REGION_LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class FacetGroup:
    """One facet: the first values shown, the rest behind "更多" (selected values always shown)."""

    name: str
    title: str
    shown: tuple[FacetItem, ...]
    more: tuple[FacetItem, ...]


@dataclass(frozen=True)
class RegionNode:
    field: str
    item: FacetItem
    children: tuple[RegionNode, ...]


def facet_items(search_request: SearchRequest, name: str, values: tuple[FacetValue, ...]) -> list[FacetItem]:
    """Template-ready values of one facet."""
    return [FacetItem(str(v.value), v.label, v.count, v.selected, toggle_url(search_request, name, v.value))
            for v in values]


def facet_group(search_request: SearchRequest, name: str, values: tuple[FacetValue, ...]) -> FacetGroup:
    """One facet split into visible values and the collapsible rest."""
    items = facet_items(search_request, name, values)
    shown = [i for n, i in enumerate(items) if n < VISIBLE_VALUES or i.selected]
    more = [i for i in items if i not in shown]
    return FacetGroup(name, FIELD_TITLES[name], tuple(shown), tuple(more))


def facet_groups(search_request: SearchRequest, facets: dict) -> list[FacetGroup]:
    """The non-region facets, in display order."""
    return [facet_group(search_request, name, facets.get(name, ())) for name in ("year", "agency", "section", "check", "copy")
            if facets.get(name)]


def region_facets(search_request: SearchRequest, facets: dict) -> tuple[list[RegionNode], list[FacetGroup]]:
    """The region hierarchy as nested nodes, plus the levels that cannot be nested (as flat groups)."""
    levels = [facet_items(search_request, name, facets.get(name, ())) for name in REGION_LEVELS]

    def level(depth: int) -> tuple[list[RegionNode], list[FacetGroup]]:
        nodes = [RegionNode(REGION_LEVELS[depth], item, ()) for item in levels[depth]]
        if depth + 1 == len(REGION_LEVELS):
            return nodes, []
        below, below_flat = level(depth + 1)
        anchor = _anchor(levels[depth])
        if anchor is None or not below:
            deeper = [facet_group(search_request, name, facets.get(name, ()))
                      for name in REGION_LEVELS[depth + 1:] if facets.get(name)]
            return nodes, deeper
        return [RegionNode(n.field, n.item, tuple(below) if n.item is anchor else ()) for n in nodes], below_flat

    return level(0)


def _anchor(items: list[FacetItem]) -> FacetItem | None:
    """The one value its children can be nested under: the only selected one, or the only one."""
    selected = [i for i in items if i.selected]
    if len(selected) == 1:
        return selected[0]
    if not selected and len(items) == 1:
        return items[0]
    return None
