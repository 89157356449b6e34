# Two commands on a fresh machine (Python 3.11 and the package registries):
#   make run    set up .venv, build the index from corpus/, serve http://127.0.0.1:$(PORT)/
#   make test   set up .venv with the test extra and run the whole suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test setup setup-test index clean

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

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

# An index from an older analysis/engine version asks for a rebuild: do it rather than stop `make run`.
index: setup
	$(BIN)/nianbao index || $(BIN)/nianbao index --rebuild

run: index
	$(BIN)/nianbao serve --port $(PORT)

test: setup-test
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var .pytest_cache
