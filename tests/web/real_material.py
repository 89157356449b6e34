"""Real published reports from ../shared/real, stored in a temporary corpus the way the crawler stores them.

One county portal's annual reports 2011–2025 (平潭综合实验区, HTML) and 洪泽区's 2023 and 2024 PDFs: the
material on which "other years", the trend and comparisons appear. Read at test time, never copied into the
repository; tests skip with that reason on a checkout without ../shared.
"""
from __future__ import annotations

import csv
from pathlib import Path

from crawler.corpus import write_document
from tests.conftest import SHARED, shared_file

PORTALS = """
[[portals]]
name = "pingtan"
title = "平潭综合实验区党工委管委会"
start_urls = ["https://www.pingtan.gov.cn/"]
region = ["福建省", "福州市", "平潭综合实验区"]
enabled = false

[[portals]]
name = "hongze"
title = "淮安市洪泽区人民政府"
start_urls = ["http://www.hongze.gov.cn/"]
region = ["江苏省", "淮安市", "洪泽区"]
enabled = false
"""
PDFS = {"hzq2023_working.pdf": "洪泽区人民政府2023年政府信息公开工作年度报告",
        "hzq2024_working.pdf": "洪泽区人民政府2024年政府信息公开工作年度报告"}


def pingtan_pages() -> list[dict]:
    """The report pages listed in pingtan/MANIFEST.tsv (file, title, year, portal_url)."""
    manifest = shared_file("real", "pingtan", "MANIFEST.tsv")
    with manifest.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["year"]]


def write_real_corpus(corpus: Path) -> int:
    """Store every real report under `corpus`; returns how many."""
    pages = pingtan_pages()
    for row in pages:
        write_document(corpus, "pingtan", row["portal_url"], (SHARED / "real" / "pingtan" / row["file"]).read_bytes(),
                       content_type="text/html", extension="html", fetched_at="2026-11-20T00:00:00+00:00")
    for name, title in PDFS.items():
        write_document(corpus, "hongze", f"http://www.hongze.gov.cn/xxgk/{name}", shared_file("real", "pdf", name)
                       .read_bytes(), content_type="application/pdf", extension="pdf", link_title=title,
                       fetched_at="2026-11-21T00:00:00+00:00")
    return len(pages) + len(PDFS)
