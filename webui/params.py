"""Serve stage: URL query string ⇄ `SearchRequest`, so every page state has a stable, shareable URL.

One vocabulary with the CLI and the index: `q`, the filter fields of `indexer.schema` (`agency`, `year`, …),
`sort`, `page`, `per_page`. For the API a page or page size out of range is a QueryError (400), as its
document says; the search page uses the nearest valid value.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from indexer.query import QueryError
from indexer.schema import BY_NAME, FILTER_FIELDS
from indexer.search import MAX_PER_PAGE, SearchRequest

MAX_FILTER_VALUES = 20
MAX_VALUE_CHARS = 100
MAX_PAGE = 10_000
FIELD_TITLES = {name: BY_NAME[name].label for name in FILTER_FIELDS}
# Integer parameters: (default, lowest, highest, what it is for the user).
NUMBERS = {"page": (1, 1, MAX_PAGE, "页码"), "per_page": (10, 1, MAX_PER_PAGE, "每页报告数")}


def _number(args, name: str, strict: bool) -> int:
    """An integer parameter; out of range or not a number is a QueryError (`strict`, the API), else the page
    quietly uses the nearest valid value (a hand-edited URL still shows results)."""
    default, low, high, title = NUMBERS[name]
    text = args.get(name, "").strip()
    if not text:
        return default
    number = int(text) if text.isascii() and text.isdigit() else None
    if number is not None and low <= number <= high:
        return number
    if strict:
        raise QueryError(f"{title}“{text[:20]}”无效。", f"请填写 {low} 到 {high} 之间的整数。")
    return default if number is None else max(low, min(high, number))


def filters_from_args(args) -> dict[str, tuple[str, ...]]:
    """The filter parameters of a query string (same names as the CLI options); QueryError when over limits."""
    filters = {}
    for name in FILTER_FIELDS:
        values = args.getlist(name)
        if len(values) > MAX_FILTER_VALUES or any(len(v) > MAX_VALUE_CHARS for v in values):
            raise QueryError(f"筛选条件“{FIELD_TITLES[name]}”过多或过长。",
                             f"每项最多 {MAX_FILTER_VALUES} 个值，每个值最多 {MAX_VALUE_CHARS} 字。")
        # Values are taken as written (the API document's patterns and enums say what is valid); an empty
        # free-text value is no filter.
        values = [v for v in values if v or BY_NAME[name].match != "contains"]
        if values:
            filters[name] = tuple(dict.fromkeys(values))
    return filters


def request_from_args(args, *, strict: bool = True) -> SearchRequest:
    """The SearchRequest a URL's query string describes (same names as the CLI options)."""
    return SearchRequest(q=args.get("q", "").strip(), filters=filters_from_args(args),
                         sort=args.get("sort", "relevance"), page=_number(args, "page", strict),
                         per_page=_number(args, "per_page", strict))


def query_string(search_request: SearchRequest, *, filters: dict | None = None, page: int = 1,
                 sort: str | None = None) -> str:
    """`?q=…&year=…` for the given request, with optional replacements; defaults are left out."""
    filters = search_request.filters if filters is None else filters
    params = [("q", search_request.q)] + [(k, v) for k, values in filters.items() for v in values]
    sort = sort or search_request.sort
    if sort != "relevance":
        params.append(("sort", sort))
    if page > 1:
        params.append(("page", str(page)))
    if search_request.per_page != 10:
        params.append(("per_page", str(search_request.per_page)))
    return "?" + urlencode(params)


def toggle_url(search_request: SearchRequest, name: str, value) -> str:
    """URL of the same search with one facet value switched on or off (back to page 1)."""
    filters = {k: list(v) for k, v in search_request.filters.items()}
    values = filters.setdefault(name, [])
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return query_string(search_request, filters={k: v for k, v in filters.items() if v})


def page_url(search_request: SearchRequest, page: int) -> str:
    """URL of another page of the same search."""
    return query_string(search_request, page=page)


def sort_url(search_request: SearchRequest, sort: str) -> str:
    """URL of the same search in another order (back to page 1)."""
    return query_string(search_request, sort=sort)


@dataclass(frozen=True)
class Chip:
    """An active filter, shown as a removable chip."""

    field: str
    title: str
    label: str
    remove_url: str


def active_chips(search_request: SearchRequest, labels: dict[str, str]) -> list[Chip]:
    """One chip per active filter value; `labels` maps section keys to Chinese labels."""
    return [Chip(name, FIELD_TITLES.get(name, name), labels.get(v, v) if name == "section" else
                 BY_NAME[name].labels().get(v, v),
                 toggle_url(search_request, name, v))
            for name, values in search_request.filters.items() for v in values]
