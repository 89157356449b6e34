"""Bench stage: a synthetic corpus of N reports recombined from the real paragraphs of a corpus.

Deterministic for a seed. Agencies, regions and years vary; paragraphs are drawn with Zipf-like weights
so some phrases are rare and some are in nearly every report, as in the real collection.
"""
from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

from crawler.corpus import read_corpus, write_document
from indexer.build import read_report
from indexer.read.report import Region

REGIONS = (
    ("宁夏回族自治区", "银川市", ("兴庆区", "金凤区", "西夏区", "永宁县", "贺兰县", "灵武市")),
    ("宁夏回族自治区", "吴忠市", ("利通区", "青铜峡市", "盐池县", "同心县")),
    ("宁夏回族自治区", "中卫市", ("沙坡头区", "中宁县", "海原县")),
    ("宁夏回族自治区", "石嘴山市", ("大武口区", "平罗县")),
    ("江苏省", "淮安市", ("洪泽区", "淮安区", "清江浦区", "涟水县")),
    ("甘肃省", "甘南藏族自治州", ("合作市", "夏河县")),
    ("福建省", "福州市", ("平潭综合实验区",)),
)
AGENCY_KINDS = ("人民政府", "审批服务管理局", "教育局", "卫生健康局", "自然资源局", "财政局", "民政局", "司法局",
                "住房和城乡建设局", "交通运输局", "政务服务中心", "生态环境局")
HEADINGS_2019 = (("overview", "一、总体情况"), ("proactive", "二、主动公开政府信息情况"),
                 ("requests", "三、收到和处理政府信息公开申请情况"), ("review", "四、政府信息公开行政复议、行政诉讼情况"),
                 ("problems", "五、存在的主要问题及改进情况"), ("other", "六、其他需要报告的事项"))
HEADINGS_OLD = (("overview", "一、概述"), ("proactive", "二、主动公开政府信息情况"),
                ("requests", "三、依申请公开政府信息情况"), ("fees", "四、政府信息公开的收费及减免情况"),
                ("review", "五、因政府信息公开申请提起行政复议、行政诉讼的情况"),
                ("problems", "六、存在的主要问题及改进措施"), ("other", "七、其他需要报告的事项"))


def paragraph_pools(corpus: Path) -> dict[str, list[str]]:
    """Real paragraphs of `corpus`, per canonical section key (plus `*`: all of them)."""
    pools: dict[str, list[str]] = defaultdict(list)
    for document in read_corpus(corpus):
        for section in read_report(document).sections:
            for line in section.text.split("\n"):
                line = line.strip()
                if len(line) >= 8:
                    pools[section.key].append(line)
                    pools["*"].append(line)
    if not pools["*"]:
        raise ValueError(f"no paragraphs found in {corpus}: the bench needs a corpus with reports")
    return dict(pools)


def write_synthetic_corpus(source: Path, dest: Path, reports: int, seed: int = 4) -> dict[str, Region]:
    """Write `reports` synthetic reports under `dest`; returns the portal → region map to index them with."""
    corpus = SyntheticCorpus(source, dest, seed)
    corpus.grow_to(reports)
    return corpus.regions


class SyntheticCorpus:
    """A synthetic corpus that grows on demand: the first N reports are the same whatever it grows to later
    (the bench measures at several sizes by growing one corpus and updating one index)."""

    def __init__(self, source: Path, dest: Path, seed: int = 4):
        self.dest, self.written = dest, 0
        self.rng = random.Random(seed)
        self.pools = paragraph_pools(source)
        self.weights = {key: _zipf(len(pool), self.rng) for key, pool in self.pools.items()}
        self.counties = [(p, c, county) for p, c, names in REGIONS for county in names]
        self.regions = {f"b{n}": Region(*place) for n, place in enumerate(self.counties)}

    def grow_to(self, reports: int) -> None:
        """Write reports until the corpus holds `reports`."""
        rng = self.rng
        while self.written < reports:
            portal = f"b{rng.randrange(len(self.counties))}"
            region = self.regions[portal]
            agency = region.county + rng.choice(AGENCY_KINDS)
            year = rng.randint(2010, 2024)
            text = _report_text(agency, year, self.pools, self.weights, rng)
            write_document(self.dest, portal, f"https://bench.nianbao.invalid/{portal}/{self.written}.html",
                           text.encode("utf-8"), content_type="text/plain", extension="txt",
                           fetched_at="2026-01-01T00:00:00+00:00")
            self.written += 1


def _zipf(size: int, rng: random.Random) -> list[float]:
    ranks = list(range(1, size + 1))
    rng.shuffle(ranks)
    return [1.0 / rank for rank in ranks]


def _report_text(agency: str, year: int, pools: dict[str, list[str]], weights: dict[str, list[float]],
                 rng: random.Random) -> str:
    lines = [f"{agency}{year}年政府信息公开工作年度报告", "",
             f"本报告由{agency}编制，所列数据统计期限为{year}年1月1日至{year}年12月31日。"]
    lines += _draw("preamble", pools, weights, rng, 0, 1)
    for key, heading in (HEADINGS_2019 if year >= 2019 else HEADINGS_OLD):
        lines += ["", heading] + _draw(key, pools, weights, rng, 1, 4)
    return "\n".join(lines) + "\n"


def _draw(key: str, pools: dict[str, list[str]], weights: dict[str, list[float]], rng: random.Random,
          low: int, high: int) -> list[str]:
    pool_key = key if key in pools else "*"
    count = rng.randint(low, high)
    return rng.choices(pools[pool_key], weights=weights[pool_key], k=count) if count else []
