"""Search stage, corpus overview for the home page: totals, coverage by region and by year, newest reports.

Everything comes from the engine's public interface, so every engine answers alike: facet counts over
`MatchAll` (totals, years, agencies, provinces), one facet query per province and per city for the region
tree (facets count values per field, not which city lies in which province), and one small `sort=year`
page for the newest reports. An overview is cached per index generation (`index_generation`: the index
folder and its files' sizes and times), so the home page costs one `stat` per file after the first visit,
and a crawl + `nianbao index` or a rebuild shows up on the next request.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from indexer import query as q
from indexer.engines import Engine
from indexer.reports import find_document

REGION_LEVELS = ("province", "city", "county")
NEWEST_SHOWN = 8
# Newest reports are picked among the reports of the latest years (the engines sort by year, not by date).
NEWEST_POOL = 60
# The fetch-record note of the reports bundled with the program (corpus/): the home page says when that is all.
SAMPLE_NOTE = "bundled demo sample"


@dataclass(frozen=True)
class RegionNode:
    """One province, city or county with its number of reports; `path` is the filters selecting it."""

    field: str
    name: str
    count: int
    path: tuple[tuple[str, str], ...]
    children: tuple[RegionNode, ...] = ()

    @property
    def unplaced(self) -> int:
        """Reports here without a value at the next level (a city's own departments, say)."""
        return self.count - sum(c.count for c in self.children) if self.children else 0


@dataclass(frozen=True)
class NewReport:
    report_id: str
    title: str
    agency: str
    year: int | None
    published: str | None
    fetched: str | None  # ISO date the crawler stored it


@dataclass(frozen=True)
class Overview:
    reports: int
    sections: int
    years: tuple[tuple[int, int], ...]       # (year, reports), oldest first
    agencies: tuple[tuple[str, int], ...]    # (agency, reports), most reports first
    regions: tuple[RegionNode, ...]          # provinces, with cities and counties below
    newest: tuple[NewReport, ...]
    samples: int  # bundled demo reports among the newest NEWEST_POOL (all of them in a small index)

    @property
    def region_count(self) -> int:
        """Places reports come from: the deepest known level of each branch (counties, else cities…)."""
        def leaves(node: RegionNode) -> int:
            return sum(map(leaves, node.children)) + (1 if not node.children or node.unplaced else 0)
        return sum(map(leaves, self.regions))

    @property
    def placed(self) -> int:
        """Reports with a known province."""
        return sum(node.count for node in self.regions)

    @property
    def repeated_agencies(self) -> int:
        """Agencies with more than one report: only these have "other years", a trend and a comparison."""
        return sum(1 for _, count in self.agencies if count > 1)


def compute_overview(engine: Engine, corpus: Path) -> Overview:
    """The overview of the index `engine` serves (fetch dates read from `corpus`)."""
    everything = engine.search(q.MatchAll(), offset=0, limit=0, facets=True)
    facets = everything.facets
    return Overview(
        reports=everything.total_reports, sections=everything.total_sections,
        years=tuple(sorted(facets.get("year", {}).items())),
        agencies=tuple(sorted(facets.get("agency", {}).items(), key=lambda item: (-item[1], item[0]))),
        regions=region_tree(engine, facets), **newest_reports(engine, corpus))


def region_tree(engine: Engine, facets: dict, depth: int = 0, path: tuple = ()) -> tuple[RegionNode, ...]:
    """The nodes of one region level under `path`, each with its children (one facet query per node)."""
    field = REGION_LEVELS[depth]
    nodes = []
    for name, count in sorted(facets.get(field, {}).items(), key=lambda item: (-item[1], item[0])):
        node_path = path + ((field, name),)
        children: tuple[RegionNode, ...] = ()
        if depth + 1 < len(REGION_LEVELS):
            below = engine.search(_filters(node_path), offset=0, limit=0, facets=True).facets
            children = region_tree(engine, below, depth + 1, node_path)
        nodes.append(RegionNode(field, name, count, node_path, children))
    return tuple(nodes)


def _filters(path: tuple[tuple[str, str], ...]) -> object:
    fields = tuple(q.field_filter(name, value) for name, value in path)
    return fields[0] if len(fields) == 1 else q.And(fields)


def newest_reports(engine: Engine, corpus: Path, shown: int = NEWEST_SHOWN) -> dict:
    """`newest`: the latest reports by publish date, else by the date they were fetched; `samples`: how many
    of those looked at are the bundled demo reports (their fetch record says so)."""
    found = engine.search(q.MatchAll(), offset=0, limit=NEWEST_POOL, sort="year", facets=False)
    reports, samples = [], 0
    for hit in found.reports:
        first = hit.sections[0]
        document = find_document(corpus, hit.report_id)
        fetched = document.fetched_at[:10] if document is not None and document.fetched_at else None
        samples += bool(document is not None and (document.note or "").startswith(SAMPLE_NOTE))
        reports.append(NewReport(hit.report_id, first.title, first.agency, first.year, first.published or None,
                                 fetched))
    reports.sort(key=lambda r: (r.published or r.fetched or "", r.year or 0), reverse=True)
    return {"newest": tuple(reports[:shown]), "samples": samples}


def reports_per_year(engine: Engine, query: object | None = None) -> dict[int, int]:
    """Indexed reports per year matching `query` (a filter tree; None: all): what a trend is a share of."""
    found = engine.search(query if query is not None else q.MatchAll(), offset=0, limit=0, facets=True)
    return dict(found.facets.get("year", {}))


def index_generation(path: Path) -> tuple:
    """What changes whenever the index at `path` is written: the folder it resolves to and its files."""
    folder = Path(path).resolve()
    try:
        files = tuple(sorted((p.name, *_changed(p.stat())) for p in folder.iterdir()))
    except OSError:
        files = ()
    return (str(folder), files)


def _changed(status) -> tuple[int, int]:
    return status.st_mtime_ns, status.st_size


class OverviewCache:
    """The overview of each index, recomputed only when its generation changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: dict[str, tuple[tuple, Overview]] = {}

    def overview(self, engine: Engine, corpus: Path) -> Overview:
        generation = index_generation(engine.path)
        key = str(Path(engine.path))
        with self._lock:  # one computation at a time: concurrent first visits wait for it
            cached = self._cached.get(key)
            if cached is None or cached[0] != generation:
                cached = (generation, compute_overview(engine, corpus))
                self._cached[key] = cached
            return cached[1]


OVERVIEWS = OverviewCache()
