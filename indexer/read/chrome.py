"""Read stage: the page's own words before metadata is looked for — portal chrome dropped, traditional → simplified.

Report pages copied from portals begin with chrome: breadcrumbs (`首页>政府信息公开>…>正文`, `当前位置：`),
accessibility and language bars (`无障碍`, `简体|繁体`, `长者模式`), catalogue tables (`索引号|…|成文日期`),
dates, weekdays, font-size widgets (`字体：[大 中 小]`) and view counters. Mirrors add traditional characters
and pinyin glosses (`當(dāng)前`). Only metadata reads this view; sections keep the text as extracted.
"""
from __future__ import annotations

import functools
import re

_PINYIN_GLOSS = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]{1,7}[)）]")
# Characters only traditional text uses (a handful is enough to tell a page's script).
_TRADITIONAL = re.compile("[開門內報區會單設當為說國發這們來時對過東實與從還樣長點書務經縣條應義處數據體機關總]")
_BREADCRUMB = re.compile(r"[>＞»›]|[^\n>]{0,4}?(?:首页|主页|网站首页|当前页面|(?:当前|所在|现在|您)的?位置)[^\n]*?(?:>|＞|»|›|→|/|\n|$)")
_CHROME_WORDS = re.compile(
    r"无障碍|长者模式|关怀版|适老|简体|繁体|繁體|字号|字体|打印|分享|浏览次数|点击数|阅读次数|浏览量|访问量|"
    r"索引号|发布机构|成文日期|发布日期|发布时间|生成日期|组配分类|主题分类|体裁分类|文号|效力|"
    r"登录|注册|微信|微博|手机版|二维码|返回|关闭|搜索|热搜|星期[一二三四五六日天]|来源[:：]|日期[:：]|时间[:：]")
_DATE_ONLY = re.compile(r"^[\d\s:/.\-年月日时分秒星期一二三四五六日天•|]+$")
_TITLE_WORDS = re.compile(r"年度报告|年报|工作报告|报告")
_CODE_ONLY = re.compile(r"[•·\-|>\s]*[\w/.\-]{0,40}")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_CATALOGUE = re.compile(r"索引号|分类[:：|]|成文日期|组配分类")
_LABELLED = re.compile(r"[\u4e00-\u9fff]{1,6}[:：]")
_TRAIL = re.compile(r".*(?:>|＞|»|›|→)")
_A_YEAR = re.compile(r"(?:19|20)\d{2}")
_TITLE_LABEL = re.compile(r"^(?:[|•·]?(?:标题|名称|文章标题)[:：|]?)")
_WIDGET_WORDS = re.compile(r"^(?:返回上一级|字号|打印|无障碍|文章正文|文档内容)+|^政府信息公开$")
_COLUMN_NAME = re.compile(r"^(?:政府信息公开|政务公开|信息公开)(?=[\u4e00-\u9fff]{2,30}?(?:19|20)\d{2})")
_LEADING_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\d{1,2}:\d{2}(?::\d{2})?)?(?:星期[一二三四五六日天])?")


def simplified(text: str) -> str:
    """Text in simplified characters without pinyin glosses (mirrors of traditional pages)."""
    text = _PINYIN_GLOSS.sub("", text)
    if len(_TRADITIONAL.findall(text[:3000])) < 5:
        return text  # a simplified page: t2s would only risk changing rare characters
    return _converter().convert(text)


def to_simplified(text: str) -> str:
    """Traditional characters → simplified, whatever the text's length (table labels: `規章` → `规章`); a whole
    page goes through `simplified`, which leaves simplified pages untouched."""
    return _converter().convert(text)


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def is_chrome(line: str) -> bool:
    """Whether a line is portal furniture rather than the report (a title line never is)."""
    compact = "".join(line.split())  # every whitespace character out (what `\s+` matches), faster
    if not compact:
        return True
    if _DATE_ONLY.match(compact) or _CODE_ONLY.fullmatch(compact) and not _CJK_CHAR.search(compact):
        return True
    # catalogue rows and labelled lines (`所属主题：州政府信息公开年报`, `热搜词：…`) are never the title
    catalogue = _CATALOGUE.search(compact) or _LABELLED.match(compact)
    if _TITLE_WORDS.search(compact) and len(_CHROME_WORDS.sub("", compact)) > 12 and not _BREADCRUMB.match(compact) \
            and not catalogue:
        return False
    return bool(_BREADCRUMB.match(compact) or _CHROME_WORDS.search(compact) or "|" in compact and len(compact) < 60)


def without_chrome(line: str) -> str:
    """A line whose chrome prefix is cut (`当前位置：首页>年报>X2020年…报告` → `X2020年…报告`)."""
    compact = "".join(line.split())
    match = _TRAIL.match(compact)
    if match and _BREADCRUMB.match(compact):
        compact = compact[match.end():]
        if not _A_YEAR.search(compact):
            return ""  # the trail's last crumb (`政府信息公开年报`) is a column name, not the title
    compact = _TITLE_LABEL.sub("", compact.lstrip("|•· "))
    compact = _WIDGET_WORDS.sub("", compact)
    # a column name joined to the title by cleanup: `政府信息公开四川省2014年…报告`
    compact = _COLUMN_NAME.sub("", compact)
    return _LEADING_DATE.sub("", compact)


def body_lines(text: str, limit: int = 40) -> list[str]:
    """The first `limit` non-chrome lines, each with any chrome prefix cut."""
    lines = []
    for line in text.split("\n"):
        line = line.replace("\t", "|")  # catalogue tables (`标题|X…报告`) come as rows
        cut = without_chrome(line)
        if cut and not is_chrome(cut):
            lines.append(cut)
            if len(lines) >= limit:
                break
    return lines
