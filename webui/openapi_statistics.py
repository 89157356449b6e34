"""Serve stage: the OpenAPI paths and schemas of the statistics endpoints (merged into `webui/openapi.py`)."""
from __future__ import annotations

from indexer.measures import FILTERS, MEASURES
from indexer.schema import YEAR

_OPTIONAL_YEAR = f"^(?:{YEAR.pattern[1:-1]})?$"  # an empty year means every year

_CELL = {"type": "object", "properties": {
    "table": {"type": "string", "description": "t2 / t3 / t4 / indicators"},
    "row": {"type": "string", "description": "行的稳定键（如 refused.state_secret）"},
    "col": {"type": "string", "description": "列的稳定键（如 natural_person、total）"},
    "text": {"type": "string", "description": "报告中印出的原文"},
    "value": {"type": ["number", "null"], "description": "数值；空白、“/”、非数字为 null，绝不当作 0"},
    "kind": {"type": "string", "enum": ["number", "zero", "blank", "na", "text"]},
    "key": {"type": "string"}, "row_label": {"type": "string"}, "col_label": {"type": "string"},
    "page": {"type": ["integer", "null"]}}}
_CHECK = {"type": "object", "properties": {
    "id": {"type": "string"}, "status": {"type": "string", "enum": ["PASS", "FAIL", "NOT ASSESSABLE"]},
    "message": {"type": "string"}, "cells": {"type": "array", "items": {"type": "string"}}}}


def statistics_schemas() -> dict:
    return {
        "Statistics": {"type": "object", "properties": {
            "template": {"type": ["string", "null"], "enum": ["2021", "2019", "pre2019", None]},
            "cells": {"type": "array", "items": _CELL},
            "totals": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
            "checks": {"type": "array", "items": _CHECK},
            "warnings": {"type": "array", "items": {"type": "string"}}}},
        "MeasureTable": {"type": "object", "properties": {
            "measure": {"type": "string"}, "label": {"type": "string"}, "unit": {"type": "string"},
            "years": {"type": "array", "items": {"type": "integer"}},
            "rows": {"type": "array", "items": {"type": "object", "properties": {
                "agency": {"type": "string"}, "province": {"type": ["string", "null"]},
                "city": {"type": ["string", "null"]}, "county": {"type": ["string", "null"]},
                "values": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
                "reports": {"type": "object", "additionalProperties": {"type": "string"}}}}}}},
    }


def statistics_paths(json_response, error) -> dict:
    """`json_response(schema, description)` and `error` come from the main document, to keep one style."""
    filters = [{"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                "description": "精确匹配（可重复）"} for name in FILTERS]
    return {
        "/api/data": {"get": {
            "summary": "统计指标：机构 × 年度（与 /data 页面相同的参数）", "operationId": "data",
            "parameters": [{"name": "measure", "in": "query", "schema": {"type": "string", "enum": list(MEASURES)}},
                           *filters,
                           {"name": "year", "in": "query", "schema": {"type": "string", "pattern": _OPTIONAL_YEAR},
                            "description": YEAR.syntax},
                           {"name": "sort", "in": "query", "schema": {"type": "string"},
                            "description": "agency，或 2020（升序）/ -2020（降序）"}],
            "responses": {"200": json_response("MeasureTable", "指标表"), "400": error,
                          "503": json_response("Error", "还没有统计数据库")}}},
        "/api/reports/{report_id}/statistics": {"get": {
            "summary": "一份报告的统计表格：逐格数值、总计、核对结果（含跨年度核对）", "operationId": "reportStatistics",
            "parameters": [{"name": "report_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": json_response("Statistics", "统计表格"),
                          "404": json_response("Error", "没有这份报告的统计数据")}}},
    }
