"""Serve stage: one blueprint per page family (search, report, kwic, export, api, errors)."""
from __future__ import annotations

from flask import current_app, g

from indexer.engines import Engine, open_engine
from nianbao.config import Settings


def settings() -> Settings:
    """The settings the app was created with."""
    return current_app.config["NIANBAO"]


def engine() -> Engine:
    """This request's engine (a Whoosh searcher is not thread-safe: one per request, closed on teardown)."""
    if "engine" not in g:
        g.engine = open_engine(settings().index.engine, settings().paths.index)
    return g.engine
