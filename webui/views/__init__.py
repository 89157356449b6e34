"""Serve stage: one blueprint per page family (search, report, kwic, export, api, errors)."""
from __future__ import annotations

from flask import current_app

from indexer.engines import Engine
from nianbao.config import Settings


def settings() -> Settings:
    """The settings the app was created with."""
    return current_app.config["NIANBAO"]


def engine() -> Engine:
    """The app's engine (shared by requests: engines lend each caller its own searcher), from the app's cache."""
    return current_app.extensions["nianbao.engines"].engine()
