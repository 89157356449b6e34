"""The web layer stays a web layer: it reaches search engines and parsers only through `indexer`."""
from __future__ import annotations

import ast
from pathlib import Path

import webui

FORBIDDEN = {"whoosh", "jieba", "requests", "bs4", "crawler"}


def test_webui_never_imports_engines_parsers_or_http_clients():
    for module in Path(webui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & FORBIDDEN, (module.name, names)
