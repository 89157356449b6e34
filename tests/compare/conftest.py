"""Year-to-year, near-duplicate and feed fixtures: real reports from ../shared indexed at test time, and small
generated corpora (never copied into the repository)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crawler.corpus import write_document
from indexer.engines import open_engine
from nianbao.config import load_settings
from nianbao.pipeline import index_corpus
from tests.conftest import SHARED_MISSING, write_config

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real"
HONGZE = {2023: "hzq2023_working.pdf", 2024: "hzq2024_working.pdf"}  # 淮安市洪泽区人民政府, two years


def write_real_corpus(corpus: Path) -> None:
    """洪泽区 2023 and 2024 (PDF) and the 平潭 column's report pages 2011–2025, stored as the crawler stores them."""
    for name in HONGZE.values():
        write_document(corpus, "hongze", f"https://www.hongze.gov.cn/zfxxgk/nb/{name}", (REAL / "pdf" / name).read_bytes(),
                       content_type="application/pdf", extension="pdf")
    with open(REAL / "pingtan" / "MANIFEST.tsv", encoding="utf-8") as manifest:
        for row in csv.DictReader(manifest, delimiter="\t"):
            if row["year"]:
                write_document(corpus, "pingtan", row["portal_url"], (REAL / "pingtan" / row["file"]).read_bytes(),
                               content_type="text/html", extension="html", link_title=row["title"])


@pytest.fixture(scope="session")
def real_config(tmp_path_factory) -> Path:
    """A config whose index holds the real reports of ../shared/real (skipped when ../shared is missing)."""
    if not (REAL / "pdf").is_dir() or not (REAL / "pingtan").is_dir():
        pytest.skip(SHARED_MISSING)
    folder = tmp_path_factory.mktemp("real")
    write_real_corpus(folder / "corpus")
    path = write_config(folder, folder / "corpus")
    summary = index_corpus(load_settings(path))
    assert summary.added == 16 and not summary.failed
    return path


@pytest.fixture(scope="session")
def real_settings(real_config):
    return load_settings(real_config)


@pytest.fixture()
def real_engine(real_settings):
    engine = open_engine(real_settings.index.engine, real_settings.paths.index)
    yield engine
    engine.close()


def report_ids(engine, query: str) -> dict[tuple[str, int], str]:
    """(agency, year) → report id of every report matching `query`."""
    from indexer.search import SearchRequest, build_query

    found = engine.search(build_query(SearchRequest(q=query)), offset=0, limit=100, facets=False)
    return {(hit.sections[0].agency, hit.sections[0].year): hit.report_id for hit in found.reports}
