# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates (or reuses) .venv and installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ARTICLE ?= tests/fixtures/articles/000_d718a8d420a98788.txt

.PHONY: demo test check lint typecheck test-local golden clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "summarizer needs Python 3.11 or newer: run make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

demo: $(STAMP)
	$(BIN)/summarizer summarize $(DEMO_ARTICLE)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check summarizer tests bench
	$(BIN)/ruff format --check summarizer tests bench

typecheck: $(STAMP)
	$(BIN)/mypy summarizer

check: lint typecheck

golden: $(STAMP)
	$(BIN)/python -m pytest --update-golden tests
	@git --no-pager diff --stat -- tests/fixtures/golden

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
