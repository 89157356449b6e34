"""Statistics from every format, and bad tables: warnings and NOT ASSESSABLE, never a crash or a made-up value."""
from __future__ import annotations

import json
from io import BytesIO

import pytest

from indexer.read.extract import extract
from indexer.read.report import parse_extracted
from indexer.read.statistics import compare_years
from tests.test_config import run_cli

GROUPS = {"（三）不予公开": ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                         "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"],
          "（四）无法提供": ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"],
          "（五）不予处理": ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                         "5.要求行政机关确认或重新出具已获取信息"],
          "（六）其他处理": ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]}
# A consistent table 3: (group label, row label, 7 values). New 12 + carried 1 = total 11 + carry-over 2.
T3 = ([("", "一、本年新收政府信息公开申请数量", [10, 2, 0, 0, 0, 0, 12]),
       ("", "二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
       ("三、本年度办理结果", "（一）予以公开", [4, 1, 0, 0, 0, 0, 5]),
       ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [2, 0, 0, 0, 0, 0, 2])]
      + [(group, label, [1, 0, 0, 0, 0, 0, 1] if label.startswith("1.本机关") else [0] * 7)
         for group, labels in GROUPS.items() for label in labels]
      + [("", "（七）总计", [8, 0, 0, 0, 0, 0, 8]), ("", "四、结转下年度继续办理", [3, 2, 0, 0, 0, 0, 5])])
T3[-2][2][:] = [7, 1, 0, 0, 0, 0, 8]
T3[-1][2][:] = [4, 1, 0, 0, 0, 0, 5]
HEADER = "三、收到和处理政府信息公开申请情况"
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4 = ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "1", "0", "0", "1"]


def text_report(rows=T3, cell=str, separator="\t") -> str:
    lines = ["某某局2022年政府信息公开工作年度报告", "一、总体情况", "本年度收到政府信息公开申请12件，发生行政复议1件、行政诉讼1件。",
             "二、主动公开政府信息情况", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t0",
             "行政规范性文件\t3\t1\t20", HEADER, separator.join(["申请人情况"] + COLUMNS)]
    lines += [separator.join([group, label] + [cell(v) for v in values]) for group, label, values in rows]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议\t行政诉讼", "\t".join(T4), "五、存在的主要问题及改进情况",
              "无。", "六、其他需要报告的事项", "无。"]
    return "\n".join(lines).replace("\t", separator)


def statistics_of(data: bytes, name: str) -> dict:
    return parse_extracted(extract(data, name), source=name).to_json()["statistics"]


def check(statistics: dict, check_id: str) -> dict:
    return next(c for c in statistics["checks"] if c["id"] == check_id)


def cell(statistics: dict, key: str) -> dict:
    return next(c for c in statistics["cells"] if c["key"] == key)


def test_tab_separated_table_is_read_and_checked():
    stats = statistics_of(text_report().encode(), "report.txt")
    assert stats["template"] == "2021"
    assert stats["totals"]["new"] == 12 and stats["totals"]["total"] == 8 and stats["totals"]["unable"] == 1
    assert stats["totals"]["refused"] == 0 and stats["totals"]["other"] == 0 and stats["totals"]["review"] == 1
    assert stats["totals"]["normative_valid"] == 20 and stats["totals"]["regulations_made"] == 0
    assert {c["status"] for c in stats["checks"]} == {"PASS"}
    assert cell(stats, "t3.refused.state_secret.natural_person")["row_label"].endswith("1.属于国家秘密")
    assert len([c for c in stats["cells"] if c["table"] == "t3"]) == 25 * 7


def test_pipe_rows_and_one_cell_per_line_are_tables_too():
    pipes = text_report(separator=" | ").replace("\n", " |\n| ")
    assert statistics_of(pipes.encode(), "report.md")["totals"]["carry_next"] == 5
    trailing = text_report(separator=" | ").replace("\n", " |\n")  # `规章 | 0 | 0 | 0 |`, as many pages print
    assert statistics_of(trailing.encode(), "report.txt")["totals"]["carry_next"] == 5
    stacked = text_report().replace("\t", "\n")
    stats = statistics_of(stacked.encode(), "report.txt")
    assert stats["totals"]["new"] == 12 and stats["totals"]["carry_next"] == 5


def test_one_cell_per_line_with_blank_lines_between():
    # Pages copied with a blank line between cells; cleanup then runs short lines together
    # (`第二十条第（五）项信息内容本年处理决定数量行政许可`), so headers and labels arrive joined.
    text = text_report().replace("\t", "\n\n").replace("\n", "\n\n")
    stats = statistics_of(text.encode(), "report.txt")
    assert stats["template"] == "2021" and stats["totals"]["normative_valid"] == 20
    assert stats["totals"]["new"] == 12 and stats["totals"]["carry_next"] == 5 and stats["totals"]["review"] == 1


def cell_lines(cells: list[str], style: str) -> list[str]:
    """One table row as one cell per line, in the styles pages are copied with."""
    lines = [f"{cell} |" if cell else "|" for cell in cells]
    if style == "row-breaks":
        return lines + ["||"]
    if style == "marked-rows":  # `|` before each row, the last cell as `8 | |||||`
        return ["|"] + lines[:-1] + [f"{cells[-1]} | |||||"]
    return lines


@pytest.mark.parametrize("style", ["row-breaks", "labels-start-rows", "marked-rows"])
def test_one_cell_per_line_ending_in_a_pipe_keeps_blank_cells(style):
    text = text_report().replace("一、本年新收政府信息公开申请数量\t10\t2", "一、本年新收政府信息公开申请数量\t\t")
    lines = []
    for line in text.split("\n"):
        lines += cell_lines(line.split("\t"), style) if "\t" in line else [line]
    stats = statistics_of("\n".join(lines).encode(), "report.txt")
    assert cell(stats, "t3.new.natural_person")["kind"] == "blank" and cell(stats, "t3.new.total")["value"] == 12
    assert stats["totals"]["carry_next"] == 5 and stats["totals"]["normative_valid"] == 20
    assert check(stats, "t3.columns.new")["status"] == "NOT ASSESSABLE" and stats["totals"]["review"] == 1


def test_template_is_told_by_header_words_not_by_year():
    text = text_report().replace("本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量")
    stats = statistics_of(text.encode(), "report.txt")
    assert stats["template"] == "2019"
    assert stats["totals"]["normative_made"] == 3 and stats["totals"]["normative_valid"] is None
    assert cell(stats, "t2.normative.public_total")["value"] == 20


def test_blank_and_slash_are_never_zero():
    rows = [(g, label, values) for g, label, values in T3]
    text = text_report(rows).replace("（一）予以公开\t4\t1", "（一）予以公开\t\t/")
    stats = statistics_of(text.encode(), "report.txt")
    assert cell(stats, "t3.granted.natural_person")["kind"] == "blank"
    assert cell(stats, "t3.granted.commercial") | {"key": None} == {
        "table": "t3", "row": "granted", "col": "commercial", "text": "/", "value": None, "kind": "na",
        "key": None, "row_label": "三、本年度办理结果 （一）予以公开", "col_label": "商业企业", "page": None}
    for check_id in ("t3.results.natural_person", "t3.results.commercial", "t3.columns.granted"):
        assert check(stats, check_id)["status"] == "NOT ASSESSABLE"
    assert "为空" in check(stats, "t3.results.natural_person")["message"]
    assert check(stats, "t3.results.research")["status"] == "PASS"


def test_a_number_with_a_stray_character_is_not_a_value():
    text = text_report().replace("（七）总计\t7", "（七）总计\t7O")
    stats = statistics_of(text.encode(), "report.txt")
    assert cell(stats, "t3.total.natural_person") | {"key": None} == {
        "table": "t3", "row": "total", "col": "natural_person", "text": "7O", "value": None, "kind": "text",
        "key": None, "row_label": "（七）总计", "col_label": "自然人", "page": None}
    assert any("not a clean number" in w and "7O" in w for w in stats["warnings"])
    assert check(stats, "t3.balance.natural_person")["status"] == "NOT ASSESSABLE"
    assert "不是数字" in check(stats, "t3.balance.natural_person")["message"]


def test_a_missing_row_warns_and_its_checks_are_not_assessable():
    rows = [row for row in T3 if not row[1].startswith("2.重复申请")]
    stats = statistics_of(text_report(rows).encode(), "report.txt")
    assert any("2.重复申请 is missing" in w for w in stats["warnings"])
    assert check(stats, "t3.results.total")["status"] == "NOT ASSESSABLE"
    assert stats["totals"]["not_processed"] is None
    assert check(stats, "t3.balance.total")["status"] == "PASS"


def test_a_row_with_too_many_numbers_is_left_out_not_guessed():
    text = text_report().replace("2.重复申请\t0", "2.重复申请\t0\t0")
    stats = statistics_of(text.encode(), "report.txt")
    assert not [c for c in stats["cells"] if c["row"] == "not_processed.repeated"]
    assert any("8 values for 7 columns" in w for w in stats["warnings"])


def test_a_wrong_sum_fails_with_the_difference_in_words():
    text = text_report().replace("（七）总计\t7\t1\t0\t0\t0\t0\t8", "（七）总计\t7\t1\t0\t0\t0\t0\t9")
    stats = statistics_of(text.encode(), "report.txt")
    failed = check(stats, "t3.columns.total")
    assert failed["status"] == "FAIL" and "相差 1" in failed["message"]
    assert failed["cells"][0] == "t3.total.total"
    assert check(stats, "t3.balance.total")["status"] == "FAIL"


def test_text_statements_are_compared_with_the_cells():
    text = text_report().replace("收到政府信息公开申请12件", "收到政府信息公开申请13件")
    stated = check(statistics_of(text.encode(), "report.txt"), "text.new")
    assert stated["status"] == "FAIL" and "13" in stated["message"] and "12" in stated["message"]


def test_sections_out_of_order_fail():
    text = text_report().replace("五、存在的主要问题及改进情况", "存在问题").replace("六、其他需要报告的事项", "五、存在的主要问题及改进情况")
    assert check(statistics_of(text.encode(), "report.txt"), "sections")["status"] == "FAIL"


def html_report(value_cell: str = "<td>10</td>") -> bytes:
    rows = []
    for number, (group, label, values) in enumerate(T3):
        cells = "".join(f"<td>{v}</td>" for v in values)
        if number == 0:
            cells = value_cell + "".join(f"<td>{v}</td>" for v in values[1 + value_cell.count("colspan"):])
        if group in GROUPS and label == GROUPS[group][0]:
            rows.append(f'<tr><td rowspan="{len(GROUPS[group])}">{group}</td><td>{label}</td>{cells}</tr>')
        elif group in GROUPS:
            rows.append(f"<tr><td>{label}</td>{cells}</tr>")
        else:
            rows.append(f'<tr><td colspan="2">{label}</td>{cells}</tr>')
    header = ('<tr><td rowspan="2" colspan="2"></td><td colspan="7">申请人情况</td></tr><tr>'
              + "".join(f"<td>{c}</td>" for c in COLUMNS) + "</tr>")
    t4 = "<table><tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr><tr>" + "".join(
        f"<td>{v}</td>" for v in T4) + "</tr></table>"
    return (f"<html><body><div class='TRS_Editor'><p>某某局2022年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            f"<p>{HEADER}</p><table>{header}{''.join(rows)}</table><p>四、政府信息公开行政复议、行政诉讼情况</p>{t4}"
            f"</div></body></html>").encode()


def test_html_rowspan_and_colspan_are_expanded_into_a_grid():
    stats = statistics_of(html_report(), "report.html")
    assert stats["totals"]["new"] == 12 and stats["totals"]["unable"] == 1 and stats["totals"]["review"] == 1
    assert cell(stats, "t3.unable.unclear.total")["row_label"] == "（四）无法提供 3.补正后申请内容仍不明确"
    assert check(stats, "t3.results.total")["status"] == "PASS" and stats["warnings"] == []


def test_html_merged_value_cell_warns_and_is_counted_once():
    stats = statistics_of(html_report('<td colspan="2">10</td>'), "report.html")
    assert cell(stats, "t3.new.natural_person")["value"] == 10
    assert cell(stats, "t3.new.commercial")["kind"] == "blank"
    assert any(w.startswith("merged cell") for w in stats["warnings"])
    assert check(stats, "t3.columns.new")["status"] == "NOT ASSESSABLE"


def test_docx_table_with_merged_cells():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("某某局2022年政府信息公开工作年度报告")
    document.add_paragraph(HEADER)
    table = document.add_table(rows=len(T3) + 1, cols=9)
    for col, name in enumerate(COLUMNS, start=2):
        table.cell(0, col).text = name
    for r, (group, label, values) in enumerate(T3, start=1):
        table.cell(r, 1).text = label
        table.cell(r, 0).text = group if group not in GROUPS or label == GROUPS[group][0] else ""
        for c, value in enumerate(values, start=2):
            table.cell(r, c).text = str(value)
    first = next(i for i, row in enumerate(T3, start=1) if row[0] == "（四）无法提供")
    table.cell(first, 0).merge(table.cell(first + 2, 0))  # the group label spans its three rows
    buffer = BytesIO()
    document.save(buffer)
    stats = statistics_of(buffer.getvalue(), "report.docx")
    assert stats["totals"]["unable"] == 1 and stats["totals"]["carry_next"] == 5
    assert check(stats, "t3.results.total")["status"] == "PASS"


def pdf_table(pages: list[list[tuple[str, list[str]]]]) -> bytes:
    """A PDF whose table rows are drawn at fixed column positions (blank cells draw nothing), one list per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, rows in enumerate(pages, 1):
        pdf.setFont("STSong-Light", 9)
        y = 800
        for label, values in rows:
            pdf.drawString(40, y, label[:26])
            for column, value in enumerate(values):
                pdf.drawRightString(330 + 38 * column, y, value)
            y -= 20
        pdf.drawString(290, 30, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_rows(blank_at: tuple[int, int] | None = None) -> list[tuple[str, list[str]]]:
    rows = [("某某局2022年政府信息公开工作年度报告", []), (HEADER, []), ("申请人情况", COLUMNS)]
    for number, (_, label, values) in enumerate(T3):
        texts = [str(v) for v in values]
        if blank_at and blank_at[0] == number:
            texts[blank_at[1]] = ""
        rows.append((label, texts))
    return rows


def test_pdf_blank_cells_are_placed_by_position_across_a_page_break():
    pytest.importorskip("reportlab")
    rows = pdf_rows(blank_at=(2, 1))  # （一）予以公开, 商业企业 printed blank
    stats = statistics_of(pdf_table([rows[:18], rows[18:]]), "report.pdf")
    assert cell(stats, "t3.granted.commercial")["kind"] == "blank"
    assert cell(stats, "t3.granted.research")["value"] == 0 and cell(stats, "t3.granted.total")["value"] == 5
    assert cell(stats, "t3.new.total")["page"] == 1 and cell(stats, "t3.carry_next.total")["page"] == 2
    assert stats["totals"]["carry_next"] == 5 and stats["totals"]["granted"] == 5
    assert check(stats, "t3.columns.granted")["status"] == "NOT ASSESSABLE"
    assert check(stats, "t3.balance.total")["status"] == "PASS"


def test_pdf_table_cut_by_a_page_break_warns():
    pytest.importorskip("reportlab")
    rows = pdf_rows()
    stats = statistics_of(pdf_table([rows[:18], [("（第二页缺失）", [])]]), "report.pdf")
    assert any("is missing" in w for w in stats["warnings"])
    assert check(stats, "t3.balance.total")["status"] == "NOT ASSESSABLE"
    assert stats["totals"]["total"] is None and stats["totals"]["new"] == 12


def test_cross_year_checks():
    earlier = {"carry_next": 5, "normative_valid": 20, "regulations_valid": None}
    later = {"carried": 5, "normative_made": 3, "normative_repealed": 1, "normative_valid": 22}
    checks = {c.id: c for c in compare_years(earlier, later, year=2021)}
    assert checks["years.carry"].status == "PASS" and checks["years.normative_valid"].status == "PASS"
    assert checks["years.regulations_valid"].status == "NOT ASSESSABLE"
    later["carried"] = 4
    failed = {c.id: c for c in compare_years(earlier, later, year=2021)}["years.carry"]
    assert failed.status == "FAIL" and "2021年结转下年度 5" in failed.message


def test_parse_json_carries_statistics(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(text_report(), encoding="utf-8")
    result = run_cli("parse", str(path), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)["statistics"]
    assert {"template", "cells", "totals", "checks"} <= set(stats)
    assert set(stats["totals"]) == {"new", "carried", "granted", "partial", "refused", "unable", "not_processed",
                                    "other", "total", "carry_next", "review", "litigation_direct",
                                    "litigation_after_review", "regulations_made", "regulations_repealed",
                                    "regulations_valid", "normative_made", "normative_repealed", "normative_valid"}
    assert {"table", "row", "col", "text", "value", "kind"} <= set(stats["cells"][0])
    assert {"id", "status", "message", "cells"} == set(stats["checks"][0])


def test_a_report_without_tables_has_empty_statistics():
    stats = statistics_of("某某局2015年政府信息公开工作年度报告\n一、概述\n本年度工作平稳。".encode(), "report.txt")
    assert stats["cells"] == [] and stats["checks"] == [] and set(stats["totals"].values()) == {None}
