"""Read stage, statistics: printed labels → stable keys (the one declaration of every row and column key). Pure.

Keys follow 国办公开办函〔2021〕30号 and the 2019 version. Matching looks for distinctive words, not whole
labels, so `2.其他法律行政法规禁止公开`, `2.其他法律行政止公开` (a PDF that lost characters) and
`（二）部分公开（区分处理的…` all land on their key whatever the numbering, spacing or punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from indexer.read.chrome import to_simplified

# Table 3 columns, in printed order (the order is fixed by the template; header words confirm it).
T3_COLUMNS = ("natural_person", "commercial", "research", "social", "legal", "other_org", "total")
T3_COLUMN_LABELS = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
                    "social": "社会公益组织", "legal": "法律服务机构", "other_org": "其他", "total": "总计"}

# Table 3 rows: key, label shown to people, words any of which identify the printed label.
T3_ROWS = (
    ("new", "一、本年新收政府信息公开申请数量", ("本年新收", "新收政府信息")),
    ("carried", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    ("granted", "（一）予以公开", ("予以公开",)),
    ("partial", "（二）部分公开", ("部分公开",)),
    ("refused.state_secret", "不予公开：1.属于国家秘密", ("国家秘密",)),
    ("refused.prohibited_by_law", "不予公开：2.其他法律行政法规禁止公开", ("其他法律", "法规禁止")),
    ("refused.three_safety", "不予公开：3.危及“三安全一稳定”", ("三安全", "一稳定")),
    ("refused.third_party", "不予公开：4.保护第三方合法权益", ("第三方",)),
    ("refused.internal_affairs", "不予公开：5.属于三类内部事务信息", ("内部事务",)),
    ("refused.process_info", "不予公开：6.属于四类过程性信息", ("过程性",)),
    ("refused.enforcement_files", "不予公开：7.属于行政执法案卷", ("执法案卷",)),
    ("refused.query_matters", "不予公开：8.属于行政查询事项", ("查询事项",)),
    ("unable.not_held", "无法提供：1.本机关不掌握相关政府信息", ("不掌握",)),
    ("unable.needs_creation", "无法提供：2.没有现成信息需要另行制作", ("另行制作", "没有现成")),
    ("unable.unclear", "无法提供：3.补正后申请内容仍不明确", ("仍不明确", "补正后")),
    ("not_processed.complaint", "不予处理：1.信访举报投诉类申请", ("信访", "举报投诉")),
    ("not_processed.repeated", "不予处理：2.重复申请", ("重复申请",)),
    ("not_processed.publication", "不予处理：3.要求提供公开出版物", ("出版物",)),
    ("not_processed.mass_repeated", "不予处理：4.无正当理由大量反复申请", ("大量反复",)),
    ("not_processed.confirm_info", "不予处理：5.要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或")),
    ("other.overdue_correction", "其他处理：1.申请人无正当理由逾期不补正", ("逾期不补正", "不补正")),
    ("other.unpaid_fees", "其他处理：2.申请人逾期未按收费通知要求缴纳费用", ("缴纳费用", "收费通知")),
    ("total", "（七）总计", ("总计",)),
    ("carry_next", "四、结转下年度继续办理", ("结转下年", "下年度继续")),
)
T3_ROW_LABELS = {key: label for key, label, _ in T3_ROWS}
T3_ROW_LABELS.update({"other": "（六）其他处理", "other.other": "其他处理：3.其他"})
T3_GROUPS = ("refused", "unable", "not_processed", "other")
GROUP_WORDS = {"refused": "不予公开", "unable": "无法提供", "not_processed": "不予处理", "other": "其他处理"}

# Table 2: rows and the header words that name its columns.
T2_ROWS = (
    ("regulations", "规章", re.compile(r"^规章$|(?:件数|数量)规章$")),  # also a header run into the label
    ("normative", "行政规范性文件", re.compile(r"规范性文件")),
    ("licensing", "行政许可", re.compile(r"行政许可")),
    ("other_services", "其他对外管理服务事项", re.compile(r"其他对外管理")),
    ("penalty", "行政处罚", re.compile(r"行政处罚")),
    ("coercion", "行政强制", re.compile(r"行政强制")),
    ("fees", "行政事业性收费", re.compile(r"事业性收费")),
    ("procurement", "政府集中采购", re.compile(r"集中采购")),
)
# Portals with fixed-width cells print the 2019 header `本年新制作数量 | 本年新公开数量` as `本年新 | 本年新` (a
# repeated text may reach us once): by the template's column order they are 制作 (made) and 公开 (published).
CUT_2019_HEADER = re.compile(r"本年新(?:本年新)?(?=对外公开总数)")
T2_COLUMNS = (  # header words → column key; looked up in printed order inside the joined header text
    ("made", ("本年制发", "本年新制作")),
    ("published", ("本年新公开",)),
    ("repealed", ("本年废止",)),
    ("valid", ("现行有效",)),
    ("public_total", ("对外公开总数",)),
    ("items_last_year", ("上一年项目",)),
    ("change", ("本年增",)),
    ("decisions", ("处理决定",)),
    ("amount", ("收费金额", "采购总金额")),
    ("items", ("采购项目",)),
)

# Table 4: blocks (left to right) and the five result columns of each block.
T4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
T4_BLOCK_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼：未经复议直接起诉",
                   "litigation_after_review": "行政诉讼：复议后起诉"}
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                    "total": "总计"}

_GROUP_MARK = re.compile(r"[（(]\s*([三四五六])\s*[)）]")
_GROUP_BY_NUMBER = {"三": "refused", "四": "unable", "五": "not_processed", "六": "other"}


@lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """Label text without spaces, full-width forms folded (`（ 一 ）` → `(一)`), in simplified characters (pages
    copied in traditional characters print `規章`, `本年制發件數`)."""
    return to_simplified(re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", text or "")))


@lru_cache(maxsize=8192)  # every report prints the same labels
def t3_row_key(label: str, group: str | None) -> str | None:
    """The table-3 key of a printed row label; `group` (the last group heading seen) settles `3.其他`."""
    text = compact(label)
    for key, _, words in T3_ROWS:
        if any(word in text for word in words):
            if key == "total" and not re.search(r"[(（]?七[)）]?|^总计", text):
                continue  # `总计` inside a header, not the (七) row
            return key
    if re.search(r"\d[.、．]\s*其他$", text) or (text.endswith("其他") and group == "other"):
        return "other.other"
    if "其他处理" in text:
        return "other"
    return None


@lru_cache(maxsize=8192)  # every report prints the same labels
def t3_group(label: str) -> str | None:
    """The result group a printed label opens (`（三）不予公开` → `refused`), if any."""
    text = compact(label)
    for group, words in GROUP_WORDS.items():
        if words in text:
            return group
    mark = _GROUP_MARK.search(text)
    return _GROUP_BY_NUMBER.get(mark.group(1)) if mark else None


@lru_cache(maxsize=8192)  # every report prints the same labels
def t2_row_key(label: str) -> str | None:
    text = compact(label)
    for key, _, pattern in T2_ROWS:
        if pattern.search(text):
            return key
    return None


def t2_header_columns(header: str) -> list[str]:
    """Column keys named in a table-2 header, in printed order (`本年废止件数现行有效件数` → repealed, valid)."""
    return list(_header_columns(header))


@lru_cache(maxsize=8192)
def _header_columns(header: str) -> tuple[str, ...]:
    text = CUT_2019_HEADER.sub("本年新制作本年新公开", compact(header))
    found = []
    for key, words in T2_COLUMNS:
        positions = [text.find(word) for word in words if word in text]
        if positions:
            found.append((min(positions), key))
    return tuple(key for _, key in sorted(found))


def t3_template_rows(keys: set[str]) -> str:
    """`2021` when (六)其他处理 has its three sub-rows, `2019` when it is one row."""
    return "2021" if any(k.startswith("other.") for k in keys) else "2019"


def expected_t3_rows(version: str) -> list[str]:
    """Table-3 row keys in printed order: (六)其他处理 as three sub-rows (2021) or one row (2019)."""
    keys = [key for key, _, _ in T3_ROWS if not key.startswith("other.")]
    other = ["other.overdue_correction", "other.unpaid_fees", "other.other"] if version == "2021" else ["other"]
    return keys[:-2] + other + keys[-2:]
