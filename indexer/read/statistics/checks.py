"""Read stage, statistics: the statutory identities of one report, each PASS / FAIL / NOT ASSESSABLE. Pure.

A check names the cells it read (`t3.new.total`, …) and says in Chinese what it found. A cell that is
missing, blank, `/` or not a clean number makes its check NOT ASSESSABLE: nothing is assumed to be 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.read.statistics.cells import Cell, is_numeric_kind
from indexer.read.statistics.labels import (
    T3_COLUMNS,
    T3_COLUMN_LABELS,
    T3_ROW_LABELS,
    T4_BLOCKS,
    T4_BLOCK_LABELS,
    T4_COLUMNS,
    T4_COLUMN_LABELS,
    expected_t3_rows,
)

PASS, FAIL, NOT_ASSESSABLE = "PASS", "FAIL", "NOT ASSESSABLE"
# A report's checks in one word (the `check:` search field): any FAIL fails it; else any PASS passes it;
# else nothing could be checked (no statutory table, or every check NOT ASSESSABLE).
OUTCOMES = {"fail": "未通过", "pass": "通过", "na": "无法核对"}
RESULT_ROWS = ("granted", "partial", "refused.", "unable.", "not_processed.", "other")
SIX_SECTIONS = ("overview", "proactive", "requests", "review", "problems", "other")
STATUTORY_TEMPLATES = ("2019", "2021")
_OTHER_SUB_ROWS = ("t3.other.overdue_correction.", "t3.other.unpaid_fees.", "t3.other.other.")
_NEW_IN_TEXT = re.compile(r"(?:收到|受理|新收)[^。；\n]{0,16}?政府信息公开申请[^。；，\n\d]{0,4}?(\d+)\s*件")
_REVIEW_IN_TEXT = re.compile(r"行政复议(?:案件)?(?:共)?(\d+)\s*[件起]")
_LITIGATION_IN_TEXT = re.compile(r"行政诉讼(?:案件)?(?:共)?(\d+)\s*[件起]")


@dataclass(frozen=True)
class Check:
    id: str
    status: str
    message: str
    cells: tuple[str, ...]

    def to_json(self) -> dict:
        return {"id": self.id, "status": self.status, "message": self.message, "cells": list(self.cells)}


def run_checks(cells: list[Cell], template: str | None, text: str, section_keys: list[str],
               t3_version: str | None = None) -> list[Check]:
    """Every within-report check that applies to this report's template; `t3_version` says which rows table 3 has."""
    if template not in STATUTORY_TEMPLATES:
        return []
    by_key = {cell.key: cell for cell in cells}
    checks: list[Check] = []
    checks += _table3_checks(by_key, t3_version)
    checks += _table4_checks(by_key)
    checks += _text_checks(by_key, text)
    checks.append(_sections_check(section_keys))
    return checks


def outcome(checks) -> str:
    """`fail`, `pass` or `na` for a report's checks (see OUTCOMES)."""
    statuses = {check.status for check in checks}
    return "fail" if FAIL in statuses else "pass" if PASS in statuses else "na"


def _table3_checks(by_key: dict[str, Cell], version: str | None) -> list[Check]:
    if not any(key.startswith("t3.") for key in by_key):
        return [Check("t3", NOT_ASSESSABLE, "未读到表三（收到和处理政府信息公开申请情况），无法核对。", ())]
    rows = expected_t3_rows(version or ("2021" if any(k.startswith(_OTHER_SUB_ROWS) for k in by_key) else "2019"))
    results = [row for row in rows if row.startswith(RESULT_ROWS)]
    checks = []
    for col in T3_COLUMNS:
        name = T3_COLUMN_LABELS[col]
        checks.append(_identity(f"t3.balance.{col}", f"{name}列：一、新收 + 二、上年结转 = 三、办理结果总计 + 四、结转下年度",
                                by_key, [f"t3.new.{col}", f"t3.carried.{col}"], [f"t3.total.{col}", f"t3.carry_next.{col}"]))
        checks.append(_identity(f"t3.results.{col}", f"{name}列：（七）总计 = （一）至（六）各项之和",
                                by_key, [f"t3.total.{col}"], [f"t3.{row}.{col}" for row in results]))
    for row in rows:
        parts = [f"t3.{row}.{col}" for col in T3_COLUMNS[:-1]]
        checks.append(_identity(f"t3.columns.{row}", f"{T3_ROW_LABELS[row]}：总计列 = 六类申请人之和",
                                by_key, [f"t3.{row}.total"], parts))
    return checks


def _table4_checks(by_key: dict[str, Cell]) -> list[Check]:
    if not any(key.startswith("t4.") for key in by_key):
        return [Check("t4", NOT_ASSESSABLE, "未读到表四（行政复议、行政诉讼情况），无法核对。", ())]
    checks = []
    for block in T4_BLOCKS:
        parts = [f"t4.{block}.{col}" for col in T4_COLUMNS[:-1]]
        names = "、".join(T4_COLUMN_LABELS[c] for c in T4_COLUMNS[:-1])
        checks.append(_identity(f"t4.{block}", f"{T4_BLOCK_LABELS[block]}：总计 = {names}之和",
                                by_key, [f"t4.{block}.total"], parts))
    return checks


def _identity(check_id: str, rule: str, by_key: dict[str, Cell], left: list[str], right: list[str]) -> Check:
    """sum(left) == sum(right), or NOT ASSESSABLE naming the cells that are missing or not numbers."""
    keys = tuple(left + right)
    unusable = [key for key in keys if key not in by_key or not is_numeric_kind(by_key[key].kind)]
    if unusable:
        why = "、".join(_describe(key, by_key) for key in unusable[:4]) + ("等" if len(unusable) > 4 else "")
        return Check(check_id, NOT_ASSESSABLE, f"{rule}：无法核对，{why}。", keys)
    lhs = sum(by_key[k].value for k in left)
    rhs = sum(by_key[k].value for k in right)
    shown = f"{_show(left, by_key)} = {lhs}，{_show(right, by_key)} = {rhs}"
    if lhs == rhs:
        return Check(check_id, PASS, f"{rule}：相符（{shown}）。", keys)
    return Check(check_id, FAIL, f"{rule}：不符，相差 {abs(lhs - rhs)}（{shown}）。", keys)


def _show(keys: list[str], by_key: dict[str, Cell]) -> str:
    return " + ".join(by_key[k].text for k in keys) if len(keys) > 1 else by_key[keys[0]].text


_WHY_UNUSABLE = {"blank": "为空", "na": "为“{text}”（不适用）", "text": "不是数字（“{text}”）"}


def _describe(key: str, by_key: dict[str, Cell]) -> str:
    cell = by_key.get(key)
    if cell is None:
        return f"{key} 未读到"
    what = _WHY_UNUSABLE[cell.kind].format(text=cell.text)
    return f"{cell.row_label}/{cell.col_label} {what}"


def _text_checks(by_key: dict[str, Cell], text: str) -> list[Check]:
    text = _SPACES.sub("", text)  # once for the three sentences looked for
    checks = [_stated("text.new", "正文所述本年新收申请数", _NEW_IN_TEXT, text, by_key, ["t3.new.total"]),
              _stated("text.review", "正文所述行政复议数", _REVIEW_IN_TEXT, text, by_key, ["t4.review.total"]),
              _stated("text.litigation", "正文所述行政诉讼数", _LITIGATION_IN_TEXT, text, by_key,
                      ["t4.litigation_direct.total", "t4.litigation_after_review.total"])]
    return checks


_SPACES = re.compile(r"[ \t\u3000]+")


def _stated(check_id: str, what: str, pattern: re.Pattern, text: str, by_key: dict[str, Cell],
            keys: list[str]) -> Check:
    match = pattern.search(text)  # `text` without spaces
    if not match:
        return Check(check_id, NOT_ASSESSABLE, f"{what}：正文没有写明，无从比对。", tuple(keys))
    stated = int(match.group(1))
    if any(k not in by_key or not is_numeric_kind(by_key[k].kind) for k in keys):
        return Check(check_id, NOT_ASSESSABLE, f"{what}为 {stated}，但表中对应的格子未读到数字。", tuple(keys))
    table = sum(by_key[k].value for k in keys)
    if stated == table:
        return Check(check_id, PASS, f"{what} {stated} 与表中数字一致。", tuple(keys))
    return Check(check_id, FAIL, f"{what}为 {stated}，表中为 {table}（“{match.group(0)}”）。", tuple(keys))


def _sections_check(section_keys: list[str]) -> Check:
    present = [key for key in section_keys if key in SIX_SECTIONS]
    missing = [key for key in SIX_SECTIONS if key not in present]
    ordered = [key for i, key in enumerate(present) if key not in present[:i]]
    if missing:
        return Check("sections", FAIL, f"六个部分不全，缺少：{'、'.join(_SECTION_NAMES[k] for k in missing)}。", ())
    if ordered != list(SIX_SECTIONS):
        return Check("sections", FAIL, "六个部分齐全，但顺序与规定格式不同。", ())
    return Check("sections", PASS, "六个部分齐全且顺序正确。", ())


_SECTION_NAMES = {"overview": "一、总体情况", "proactive": "二、主动公开政府信息情况",
                  "requests": "三、收到和处理政府信息公开申请情况", "review": "四、政府信息公开行政复议、行政诉讼情况",
                  "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
