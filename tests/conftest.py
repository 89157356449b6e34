"""Shared fixtures: a config pointing at the bundled corpus, and a real index built from it."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nianbao.config import load_settings
from nianbao.pipeline import index_corpus

# Browser assertions wait up to 20 s (Playwright's default is 5): a first page on a busy 2-core CI machine can
# take longer than 5 s, and a wait that ends early only makes the test pass sooner.
expect.set_options(timeout=20_000)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SHARED_MISSING = (f"needs ../shared beside the repository ({SHARED}): real reports are read from there at test time, "
                  "never copied into the repository")


def shared_file(*parts: str) -> Path:
    """A file under ../shared (e.g. `shared_file("real", "pdf", "x.pdf")`); skips the test on a clone without it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(SHARED_MISSING)
    return path


def write_config(folder: Path, corpus: Path, extra: str = "", engine: str | None = None) -> Path:
    """A config like the shipped one, with corpus/index/state under `folder` (and `engine`, if given)."""
    shipped = (REPO / "config.toml").read_text(encoding="utf-8")
    body = shipped.split("[index]", 1)[1]
    if engine is not None:
        body = re.sub(r'(?m)^engine = "\w+"', f'engine = "{engine}"', body, count=1)
    path = folder / "config.toml"
    path.write_text(f'[paths]\ncorpus = "{corpus}"\nindex = "{folder / "index"}"\nstate = "{folder / "state.sqlite3"}"\n\n'
                    f"[index]{body}\n{extra}", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo_config(tmp_path_factory) -> Path:
    """A config whose index is built from a copy of the bundled demo corpus."""
    folder = tmp_path_factory.mktemp("demo")
    corpus = folder / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    path = write_config(folder, corpus)
    settings = load_settings(path)
    index_corpus(settings)
    return path


@pytest.fixture(scope="session")
def demo_settings(demo_config):
    return load_settings(demo_config)
