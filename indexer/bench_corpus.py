"""Bench stage: a synthetic corpus of N reports recombined from the real paragraphs of a corpus.

Deterministic for a seed. Paragraphs are drawn with Zipf-like weights so some phrases are rare and some are
in nearly every report, as in the real collection. Publishers grow with the corpus as in the country (≈ 3,200
governments × ≈ 40 bodies × 15 years): each block of BLOCK reports holds one report per year 2010–2024 of each
of the 40 AGENCY_KINDS of 22 governments (the kinds in turn, governments and years shuffled). The first block uses the 22 real counties of
REGIONS, later ones made-up county names in the same cities, so 200,000 reports come from ≈ 330 governments
and ≈ 13,000 agencies (facets at a realistic number of values), and a small bench still spans every county.
"""
from __future__ import annotations

import itertools
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
AGENCY_KINDS = ("人民政府", "人民政府办公室", "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局",
                "司法局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
                "水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康局", "退役军人事务局", "应急管理局", "审计局",
                "市场监督管理局", "统计局", "医疗保障局", "林业和草原局", "信访局", "审批服务管理局", "政务服务中心",
                "城市管理局", "粮食和物资储备局", "地方金融监督管理局", "档案局", "机关事务管理局", "乡村振兴局",
                "体育局", "民族宗教事务局", "人民防空办公室", "数据局")
YEARS = tuple(range(2010, 2025))
# Characters of made-up county names (two or three of them and 县): 2,350 pairs cover 10⁶ reports.
_NAME_CHARS = "安平宁和兴永长新庆泰丰乐清河山川东西南北阳华德昌隆源盛嘉禾信义康宝福寿广远定明光荣鸣凤云龙江湖青石"
COUNTIES = tuple((province, city, county) for province, city, names in REGIONS for county in names)
BLOCK = len(COUNTIES) * len(AGENCY_KINDS) * len(YEARS)  # one report per year of every agency of the 22 counties
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
        self.dest, self.written, self.seed = dest, 0, seed
        self.rng = random.Random(seed)
        self.pools = paragraph_pools(source)
        self.weights = {key: _zipf(len(pool), self.rng) for key, pool in self.pools.items()}
        self.regions: dict[str, Region] = {}
        self._names = _made_up_names(seed)
        self._order: list[int] = []

    def grow_to(self, reports: int) -> None:
        """Write reports until the corpus holds `reports`."""
        rng = self.rng
        while self.written < reports:
            block, at = divmod(self.written, BLOCK)
            if at == 0:  # (government, year) pairs of this block, in a seeded order
                self._order = list(range(len(COUNTIES) * len(YEARS)))
                random.Random(self.seed * 1_000_003 + block).shuffle(self._order)
            # Kinds take turns, so any 40 reports in a row have all of them; each kind meets every pair once.
            turn, kind = divmod(at, len(AGENCY_KINDS))
            government, year = divmod(self._order[(turn + kind) % len(self._order)], len(YEARS))
            portal = self._portal(block * len(COUNTIES) + government)
            agency = self.regions[portal].county + AGENCY_KINDS[kind]
            year = YEARS[year]
            text = _report_text(agency, year, self.pools, self.weights, rng)
            write_document(self.dest, portal, f"https://bench.nianbao.invalid/{portal}/{self.written}.html",
                           text.encode("utf-8"), content_type="text/plain", extension="txt",
                           fetched_at="2026-01-01T00:00:00+00:00")
            self.written += 1

    def _portal(self, government: int) -> str:
        """The portal of government number `government` (its region added on first use): the real counties
        first, then made-up counties in the real counties' cities."""
        portal = f"b{government}"
        if portal not in self.regions:
            province, city, county = COUNTIES[government % len(COUNTIES)]
            if government >= len(COUNTIES):
                county = self._names[government - len(COUNTIES)]
            self.regions[portal] = Region(province, city, county)
        return portal


def _made_up_names(seed: int) -> list[str]:
    """County names not among the real ones, in a seeded order."""
    real = {county for _, _, county in COUNTIES}
    rng = random.Random(seed)
    names = []
    for length in (2, 3):  # three characters only past ≈ 1.4×10⁶ reports
        more = [name + "县" for name in map("".join, itertools.permutations(_NAME_CHARS, length))
                if name + "县" not in real]
        rng.shuffle(more)
        names += more
    return names


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
