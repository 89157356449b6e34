"""Year to year: one agency's two reports aligned by section, diffed readably, with the share carried over —
on the real 洪泽区 2023 and 2024 reports, and on small texts whose answer is known."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from indexer.compare import FOLD_OVER, compare_reports, diff_texts
from tests.compare.conftest import report_ids
from webui import create_app

SIX = ["overview", "proactive", "requests", "review", "problems", "other"]


def hongze(engine) -> tuple[str, str]:
    ids = report_ids(engine, "agency:洪泽区")
    return ids[("淮安市洪泽区人民政府", 2023)], ids[("淮安市洪泽区人民政府", 2024)]


def test_hongze_2023_and_2024_are_aligned_by_their_six_sections(real_engine):
    old, new = hongze(real_engine)
    comparison = compare_reports(real_engine, new, old)  # either order: the older year comes first
    assert (comparison.old.year, comparison.new.year) == (2023, 2024)
    keys = [s.section for s in comparison.sections]
    assert [k for k in keys if k in SIX] == SIX
    for section in comparison.sections:
        if section.section in SIX:
            assert section.old_heading == section.new_heading and section.status == "changed"


def test_carried_over_share_counts_unchanged_text_of_the_newer_report(real_engine):
    comparison = compare_reports(real_engine, *hongze(real_engine))
    # Measured: 71 % of the 2024 text is the 2023 text unchanged; the overview was largely rewritten (45 %),
    # the statutory table sections mostly kept (requests 95 %).
    assert 0.6 < comparison.carried < 0.8
    by_key = {s.section: s for s in comparison.sections}
    assert by_key["overview"].carried < 0.6 < 0.9 < by_key["requests"].carried
    assert comparison.kept_chars == sum(s.kept_chars for s in comparison.sections) < comparison.new_chars


def test_changed_years_and_counts_show_as_whole_numbers(real_engine):
    comparison = compare_reports(real_engine, *hongze(real_engine))
    overview = next(s for s in comparison.sections if s.section == "overview")
    pairs = list(zip(overview.pieces, overview.pieces[1:]))
    assert any(a.kind == "del" and a.text == "2023" and b.kind == "ins" and b.text == "2024" for a, b in pairs)
    assert any(a.kind == "del" and a.text == "21" and b.kind == "ins" and b.text == "17" for a, b in pairs)  # 申请 21 → 17 件


def test_a_small_diff_reads_as_changed_phrases():
    pieces, kept = diff_texts("2023年，收到申请21件，均已答复。", "2024年，收到申请17件，均已按时答复。")
    assert [(p.kind, p.text) for p in pieces] == [
        ("del", "2023"), ("ins", "2024"), ("same", "年，收到申请"), ("del", "21"), ("ins", "17"),
        ("same", "件，均已"), ("ins", "按时"), ("same", "答复。")]
    assert kept == len("年，收到申请件，均已答复。")


def test_long_unchanged_runs_are_folded_with_their_length():
    common = "政府信息公开工作。" * 60
    pieces, kept = diff_texts(common + "旧", common + "新")
    fold = next(p for p in pieces if p.kind == "fold")
    assert fold.size == len(common) - sum(len(p.text) for p in pieces if p.kind == "same")
    assert kept == len(common)


CHARS = st.text(alphabet="一二三年月日公开申请件条0123456789，。\n", max_size=FOLD_OVER // 2)


@settings(max_examples=150, deadline=None)
@given(CHARS, CHARS)
def test_the_diff_loses_nothing(old, new):
    pieces, kept = diff_texts(old, new)
    assert "".join(p.text for p in pieces if p.kind in ("same", "del")) == old
    assert "".join(p.text for p in pieces if p.kind in ("same", "ins")) == new
    assert kept == sum(len(p.text) for p in pieces if p.kind == "same") <= len(new)


def test_the_report_page_links_to_the_compare_view(real_settings, real_engine):
    old, new = hongze(real_engine)
    client = create_app(real_settings).test_client()
    page = client.get(f"/reports/{new}").get_data(as_text=True)
    assert f'href="/reports/{new}/compare?with={old}"' in page and "与 2023 年报告比较" in page


def test_the_compare_view_marks_changes_not_only_by_colour(real_settings, real_engine):
    old, new = hongze(real_engine)
    client = create_app(real_settings).test_client()
    response = client.get(f"/reports/{new}/compare")  # default: the closest earlier year
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "淮安市洪泽区人民政府：2023 年与 2024 年报告比较" in page
    assert re.search(r"<strong>7\d%</strong> 与 2023 年报告完全相同", page)
    assert "<del><span class=\"visually-hidden\">［删去：</span>" in page and "［新增：" in page
    assert "依申请公开" in page and "沿用 9" in page


def test_unknown_or_same_partners_are_not_found_and_a_lone_year_says_so(real_settings, real_engine):
    old, new = hongze(real_engine)
    client = create_app(real_settings).test_client()
    assert client.get(f"/reports/{new}/compare?with=ffffffffffffffff").status_code == 404
    assert client.get(f"/reports/{new}/compare?with={new}").status_code == 404
    assert client.get(f"/reports/{new}/compare?with=../../etc").status_code == 404
    lone = report_ids(real_engine, "agency:地方税务局")[("平潭综合实验区地方税务局", 2013)]
    page = client.get(f"/reports/{lone}/compare")
    assert page.status_code == 200 and "没有其他年度的报告" in page.get_data(as_text=True)
