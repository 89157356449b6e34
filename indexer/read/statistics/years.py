"""Read stage, statistics: checks across two reports of one body a year apart. Pure.

Bodies merge and split and portals republish, so a failed cross-year check is a warning to look, not
proof of an error. Inputs are `totals` dicts (`Statistics.totals`, or the stored ones).
"""
from __future__ import annotations

from indexer.read.statistics.checks import FAIL, NOT_ASSESSABLE, PASS, Check

VALID_PAIRS = (("regulations", "规章"), ("normative", "行政规范性文件"))


def compare_years(earlier: dict, later: dict, *, year: int | None = None) -> list[Check]:
    """结转下年度 (N) = 上年结转 (N+1); 现行有效 (N) + 制发 (N+1) − 废止 (N+1) = 现行有效 (N+1)."""
    label = f"{year}年" if year else "上一年"
    checks = [_carry(earlier, later, label)]
    for key, name in VALID_PAIRS:
        checks.append(_in_force(key, name, earlier, later, label))
    return checks


def _carry(earlier: dict, later: dict, label: str) -> Check:
    before, after = earlier.get("carry_next"), later.get("carried")
    cells = ("t3.carried.total",)  # this report's cell; the other is the earlier report's 结转下年度
    if before is None or after is None:
        return Check("years.carry", NOT_ASSESSABLE, f"{label}结转下年度或本年上年结转未读到，无法核对。", cells)
    if before == after:
        return Check("years.carry", PASS, f"{label}结转下年度 {before} 与本年上年结转 {after} 一致。", cells)
    return Check("years.carry", FAIL, f"{label}结转下年度 {before}，本年上年结转却为 {after}"
                                      f"（机构合并、拆分时可能如此，请核对）。", cells)


def _in_force(key: str, name: str, earlier: dict, later: dict, label: str) -> Check:
    check_id = f"years.{key}_valid"
    values = (earlier.get(f"{key}_valid"), later.get(f"{key}_made"), later.get(f"{key}_repealed"),
              later.get(f"{key}_valid"))
    cells = (f"t2.{key}.valid", f"t2.{key}.made", f"t2.{key}.repealed")
    if any(v is None for v in values):
        return Check(check_id, NOT_ASSESSABLE, f"{name}：两年的现行有效、制发或废止件数未读全，无法核对。", cells)
    before, made, repealed, after = values
    expected = before + made - repealed
    shown = f"{label}现行有效 {before} + 本年制发 {made} − 本年废止 {repealed} = {expected}，本年现行有效 {after}"
    if expected == after:
        return Check(check_id, PASS, f"{name}：{shown}，一致。", cells)
    return Check(check_id, FAIL, f"{name}：{shown}，不一致（机构合并、拆分或清理文件时可能如此，请核对）。", cells)
