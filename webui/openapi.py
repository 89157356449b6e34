"""Serve stage: the OpenAPI 3.1 description of the JSON API, served at `/api/openapi.json`."""
from __future__ import annotations

from indexer.kwic import KWIC_SORTS
from webui.openapi_statistics import statistics_paths, statistics_schemas

_FILTERS = [
    {"name": name, "in": "query", "required": False, "description": description,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True}
    for name, description in (
        ("agency", "机构名称包含此文字（可重复，多值为“或”）"), ("year", "年度：2020 或 2018..2022（可重复）"),
        ("section", "章节：键名（requests）或中文名（依申请公开）（可重复）"), ("province", "省份（可重复）"),
        ("city", "城市（可重复）"), ("county", "区县（可重复）"))
]
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
        "score": {"type": "number"}, "sections": {"type": "array", "items": section_hit}}}
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"}, "suggestion": {"type": ["string", "null"]}}},
        "SearchResult": {"type": "object", "properties": {
            "query": {"type": "string"}, "total": {"type": "integer", "description": "匹配的报告数"},
            "total_sections": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "sort": {"type": "string", "enum": ["relevance", "year"]}, "hits": {"type": "array", "items": hit},
            "facets": {"type": "object", "additionalProperties": facet}}},
        "Report": {"type": "object", "properties": {
            "report_id": {"type": "string"}, "title": {"type": "string"}, "agency": {"type": "string"},
            "year": {"type": ["integer", "null"]}, "region": _region(), "url": {"type": ["string", "null"]},
            "template": {"type": "string"},
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
                                                "left", "match", "right")} | {"year": {"type": ["integer", "null"]}}}}}},
    }


def openapi_document(server_url: str) -> dict:
    """The API description, with `server_url` as its server."""
    q_param = {"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 400},
               "description": '查询语言：词语（AND）、"精确短语"、OR、-排除、字段筛选（见 README）'}
    phrase = {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 100},
              "description": "要查找的短语（按子串匹配，引号可省略）"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Nianbao 年报搜索 API", "version": "1",
                 "description": "政府信息公开工作年度报告的检索接口。参数与网页版相同。"},
        "servers": [{"url": server_url}],
        "paths": {
            "/api/search": {"get": {
                "summary": "搜索报告（结果按报告分组，附分面计数）", "operationId": "search",
                "parameters": [q_param, *_FILTERS,
                               {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "year"]}},
                               {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                               {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                               "maximum": 100}}],
                "responses": {"200": _json("SearchResult", "搜索结果"), "400": _ERROR, "503": _UNAVAILABLE}}},
            "/api/reports/{report_id}": {"get": {
                "summary": "一份报告：元数据、全部章节、原始文件信息、同一机构的其他年度", "operationId": "report",
                "parameters": [{"name": "report_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("Report", "报告"), "404": _json("Error", "没有这份报告"),
                              "503": _UNAVAILABLE}}},
            "/api/kwic": {"get": {
                "summary": "短语索引（KWIC）：短语的每一次出现及左右语境、每年趋势", "operationId": "kwic",
                "parameters": [phrase, *_FILTERS,
                               {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(KWIC_SORTS)}}],
                "responses": {"200": _json("Concordance", "短语索引"), "400": _ERROR, "503": _UNAVAILABLE}}},
            **statistics_paths(_json, _ERROR),
        },
        "components": {"schemas": _schemas() | statistics_schemas()},
    }
