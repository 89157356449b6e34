# Two commands on a fresh machine (Python 3.11 and the package registries):
#   make run    set up .venv, build the index from corpus/, serve http://127.0.0.1:$(PORT)/
#   make test   set up .venv with the test extra, check the rules (make lint) and run the whole suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint setup setup-test browser tools index clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when pyproject.toml changes; the stamp keeps repeated runs fast.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The browser tests (tests/web/test_browser.py) drive Debian's Chromium; a CJK font makes the
# screenshots readable. Installed only when missing, so repeated runs stay fast.
BROWSER_PACKAGES := chromium fonts-wqy-zenhei
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_PACKAGES))

# Debian tools the read stage calls for .doc/.wps files (installed only when missing).
# A failed install (no root, apt locked) only warns: such files are then reported as unsupported.
tools:
	@(command -v antiword >/dev/null && command -v catdoc >/dev/null) || \
		(apt-get update && apt-get install -y antiword catdoc) || \
		echo "warning: antiword/catdoc not installed: .doc/.wps files will be reported as unsupported" >&2

setup: $(VENV)/.installed tools

setup-test: $(VENV)/.installed-test tools

# An index from an older analysis/engine version asks for a rebuild: do it rather than stop `make run`.
index: setup
	$(BIN)/nianbao index || $(BIN)/nianbao index --rebuild

# `nianbao demo` indexes the corpus (rebuilding an outdated index) and serves it.
run: setup
	$(BIN)/nianbao demo --port $(PORT)

# Rules as code (pyproject.toml): ruff's lint rules, and import-linter's contracts for the layers
# (webui → indexer → crawler; only the engine packages import whoosh/tantivy). `ruff check --fix` repairs most.
lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: setup-test browser lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var .pytest_cache
