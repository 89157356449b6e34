"""Serve stage: the OpenAPI 3.1 description of the JSON API, served at `/api/openapi.json`."""
from __future__ import annotations

from indexer.batch import MAX_TERMS
from indexer.cite import EXPORTED
from indexer.kwic import KWIC_SORTS, MAX_PHRASE_CHARS
from indexer.query import MAX_QUERY_CHARS
from indexer.reports import report_extras
from indexer.schema import BY_NAME, FILTER_FIELDS, SORTS, FieldSpec
from indexer.search import WITHIN, hit_extras
from webui.openapi_statistics import statistics_paths, statistics_schemas
from webui.params import MAX_FILTER_VALUES, MAX_VALUE_CHARS, NUMBERS

# A phrase must keep one character that is not a space, a quote or invisible (see indexer.kwic.clean_phrase).
_PHRASE_PATTERN = "[^\\s\"“”\u001c-\u001f\u0085\u00ad\u200b-\u200d\u2060\ufeff]"


_PHRASE = {"type": "string", "minLength": 1, "maxLength": MAX_PHRASE_CHARS, "pattern": _PHRASE_PATTERN}


def _value_schema(spec: FieldSpec) -> dict:
    """What one value of a filter field may be, from its declaration."""
    if spec.match == "range":
        return {"type": "string", "pattern": spec.codec.pattern}
    if spec.match == "exact":
        return {"type": "string", "enum": sorted(spec.choices())}
    return {"type": "string", "maxLength": MAX_VALUE_CHARS}


def _filters() -> list[dict]:
    """One repeatable query parameter per filter field of the vocabulary."""
    return [{"name": name, "in": "query", "required": False, "description": BY_NAME[name].help,
             "schema": {"type": "array", "items": _value_schema(BY_NAME[name]), "maxItems": MAX_FILTER_VALUES},
             "style": "form", "explode": True}
            for name in FILTER_FIELDS]


def _number(name: str) -> dict:
    default, low, high, title = NUMBERS[name]
    return {"name": name, "in": "query", "description": title,
            "schema": {"type": "integer", "minimum": low, "maximum": high, "default": default}}


def _search_options() -> list[dict]:
    """How unquoted words match (`within`) and which words stay text (`literal`): see indexer.interpret."""
    return [{"name": "within", "in": "query", "description": "词语须同在一份报告（report，默认）或同一章节（section）中",
             "schema": {"type": "string", "enum": list(WITHIN), "default": "report"}},
            {"name": "literal", "in": "query", "required": False, "style": "form", "explode": True,
             "description": "按文字搜索的词：即使它是索引中的地区或机构名，也不当作筛选条件（可重复）",
             "schema": {"type": "array", "items": {"type": "string", "maxLength": MAX_VALUE_CHARS},
                        "maxItems": MAX_FILTER_VALUES}}]


_ERROR = {"description": "查询无法理解（error + suggestion）", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}
_UNAVAILABLE = {"description": "索引不可用", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}


def _json(schema_name: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


def _region() -> dict:
    return {"type": "object", "properties": {k: {"type": ["string", "null"]} for k in ("province", "city", "county")}}


def _schemas() -> dict:
    facet = {"type": "array", "items": {"type": "object", "properties": {
        "value": {"type": ["string", "integer"]}, "label": {"type": "string"}, "count": {"type": "integer"}}}}
    section_hit = {"type": "object", "properties": {
        "section": {"type": "string"}, "label": {"type": "string"}, "heading": {"type": "string"},
        "snippet": {"type": "string", "description": "HTML：已转义的原文，匹配处包在 <mark> 中"}}}
    hit = {"type": "object", "properties": {
        "report_id": {"type": "string"}, "title": {"type": "string"}, "agency": {"type": "string"},
        "year": {"type": ["integer", "null"]}, "region": _region(), "url": {"type": "string"},
        "score": {"type": "number"}, "sections": {"type": "array", "items": section_hit},
        **{s.name: s.json_schema for s in hit_extras()}}}
    counts = {"reports": {"type": "integer"}, "occurrences": {"type": "integer"}}
    citation = {"type": "object", "description": "一份报告中的出现：引用所需的全部字段与定位链接", "properties": {
        "occurrences": {"type": "integer", "description": "本报告中的出现次数"},
        **{s.name: s.json_schema for s in EXPORTED}, "year": {"type": ["integer", "null"]},
        "fetched": {"type": "string", "description": "抓取时间（ISO 8601）"},
        "permalink": {"type": "string", "description": "打开报告并高亮第一处出现的链接"}}}
    return {
        "Batch": {"type": "object", "properties": {
            "filters": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "truncated": {"type": "boolean", "description": "明细行过多时只列出一部分（计数总是完整的）"},
            "terms": {"type": "array", "items": {"type": "object", "properties": {
                "term": {"type": "string"}, **counts,
                "by_year": {"type": "array", "items": {"type": "object", "properties": {
                    "year": {"type": "integer"}, **counts}}},
                "by_agency": {"type": "array", "items": {"type": "object", "properties": {
                    "agency": {"type": "string"}, **counts}}},
                "report_rows": {"type": "array", "items": citation}}}}}},
        "Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"}, "suggestion": {"type": ["string", "null"]}}},
        "SearchResult": {"type": "object", "properties": {
            "query": {"type": "string"}, "total": {"type": "integer", "description": "匹配的报告数"},
            "total_sections": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "sort": {"type": "string", "enum": list(SORTS)}, "hits": {"type": "array", "items": hit},
            "facets": {"type": "object", "additionalProperties": facet},
            "within": {"type": "string", "enum": list(WITHIN)},
            "interpreted": {"type": "array", "description": "查询中被当作筛选条件的词（地区或机构名），可用 literal 撤销",
                            "items": {"type": "object", "properties": {
                                "word": {"type": "string"}, "field": {"type": "string"},
                                "title": {"type": "string"}, "value": {"type": "string"}}}}}},
        "Report": {"type": "object", "properties": {
            "report_id": {"type": "string"}, "title": {"type": "string"}, "agency": {"type": "string"},
            "year": {"type": ["integer", "null"]}, "region": _region(), "url": {"type": ["string", "null"]},
            "template": {"type": "string"}, **{s.name: s.json_schema for s in report_extras()},
            "original": {"type": ["object", "null"], "properties": {
                "content_type": {"type": "string"}, "fetched_at": {"type": "string"},
                "sha256": {"type": "string"}, "filename": {"type": "string"}}},
            "sections": {"type": "array", "items": {"type": "object", "properties": {
                "section": {"type": "string"}, "label": {"type": "string"}, "heading": {"type": "string"},
                "text": {"type": "string"}}}},
            "other_years": {"type": "array", "items": {"type": "object", "properties": {
                "report_id": {"type": "string"}, "year": {"type": ["integer", "null"]}, "title": {"type": "string"}}}},
            "links": {"type": "object", "properties": {"page": {"type": "string"},
                                                       "original": {"type": ["string", "null"]}}}}},
        "Concordance": {"type": "object", "properties": {
            "phrase": {"type": "string"}, "total_occurrences": {"type": "integer"},
            "total_reports": {"type": "integer"}, "truncated": {"type": "boolean"},
            "trend": {"type": "array", "items": {"type": "object", "properties": {
                "year": {"type": "integer"}, "reports": {"type": "integer"}, "occurrences": {"type": "integer"}}}},
            "lines": {"type": "array", "items": {"type": "object", "properties": {
                k: {"type": "string"} for k in ("report_id", "title", "agency", "section", "label", "heading",
                                                "left", "match", "right")} | {"year": {"type": ["integer", "null"]}}
                | {k: {"type": "integer"} for k in ("section_no", "offset", "length")}}}}},
    }


def openapi_document(server_url: str) -> dict:
    """The API description, with `server_url` as its server."""
    q_param = {"name": "q", "in": "query", "required": False,
               "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS},
               "description": '查询语言：词语（AND）、"精确短语"、OR、-排除、字段筛选（见 README）'}
    phrase = {"name": "q", "in": "query", "required": True,
              "schema": _PHRASE,
              "description": "要查找的短语（按子串匹配，引号可省略）"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Nianbao 年报搜索 API", "version": "1",
                 "description": "政府信息公开工作年度报告的检索接口。参数与网页版相同。"},
        "servers": [{"url": server_url}],
        "paths": {
            "/api/search": {"get": {
                "summary": "搜索报告（结果按报告分组，附分面计数）", "operationId": "search",
                "parameters": [q_param, *_filters(),
                               {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
                               _number("page"), _number("per_page"), *_search_options()],
                "responses": {"200": _json("SearchResult", "搜索结果"), "400": _ERROR, "503": _UNAVAILABLE}}},
            "/api/reports/{report_id}": {"get": {
                "summary": "一份报告：元数据、全部章节、原始文件信息、同一机构的其他年度", "operationId": "report",
                "parameters": [{"name": "report_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("Report", "报告"), "404": _json("Error", "没有这份报告"),
                              "503": _UNAVAILABLE}}},
            "/api/kwic": {"get": {
                "summary": "短语索引（KWIC）：短语的每一次出现及左右语境、每年趋势", "operationId": "kwic",
                "parameters": [phrase, *_filters(),
                               {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(KWIC_SORTS)}}],
                "responses": {"200": _json("Concordance", "短语索引"), "400": _ERROR, "503": _UNAVAILABLE}}},
            "/api/batch": {"get": {
                "summary": f"批量检索：最多 {MAX_TERMS} 个词语或短语，各自的报告数与出现次数（按年度、机构）",
                "operationId": "batch",
                "description": "网页批量检索的固定链接以 list=<编号> 代替 term（保存的词表）；API 同样接受。",
                "parameters": [
                    {"name": "term", "in": "query", "required": True, "style": "form", "explode": True,
                     "description": f"词语或短语（可重复，最多 {MAX_TERMS} 个；按原文子串计数）",
                     "schema": {"type": "array", "minItems": 1, "maxItems": MAX_TERMS, "items": _PHRASE}},
                    *_filters()],
                "responses": {"200": _json("Batch", "批量检索结果"), "400": _ERROR, "503": _UNAVAILABLE}}},
            **statistics_paths(_json, _ERROR),
        },
        "components": {"schemas": _schemas() | statistics_schemas()},
    }
