# Omni — the two commands a newcomer needs: `make demo` and `make test`.
# Everything is installed by these targets: uv (from PyPI, if missing), Python
# dependencies from the committed uv.lock into .venv, and nothing else by hand.

SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test lint env serve migrate clean

env: $(VENV)/.synced

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-groups
	@touch $@

## Build the demo retailer on SQLite (once) and serve it on http://127.0.0.1:8000
demo: env
	$(BIN)/omni demo

## Lint, type-check, check module boundaries, then run every test
test: env lint
	@echo "== tests on SQLite"
	env -u OMNI_TEST_POSTGRES_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$OMNI_TEST_POSTGRES_URL" ]; then \
		echo "== again on PostgreSQL"; \
		$(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI needs OMNI_TEST_POSTGRES_URL: PostgreSQL tests must run in CI" >&2; exit 1; \
	fi

lint: env
	$(BIN)/ruff check src tests migrations bench tools
	$(BIN)/ruff format --check src tests migrations bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

serve: env
	$(BIN)/omni serve

migrate: env
	$(BIN)/omni migrate

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache
