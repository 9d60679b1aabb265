# Omni — the two commands a newcomer needs: `make demo` and `make test`.
# Everything is installed by these targets: uv (from PyPI, if missing), Python
# dependencies from the committed uv.lock into .venv, the web apps' front-end libraries
# from the npm registry (src/omni/web/package-lock.json), Chromium for the browser tests
# (from Debian, when root) — nothing by hand.

SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
WEB := src/omni/web
HTMX := $(WEB)/static/vendor/htmx.min.js
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint env serve migrate clean chromium

env: $(VENV)/.synced $(HTMX)

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-groups
	@touch $@

# htmx from the npm registry at install time, served from /static (no CDN at run time).
$(HTMX): $(WEB)/package.json $(WEB)/package-lock.json
	npm ci --prefix $(WEB) --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp $(WEB)/node_modules/htmx.org/dist/htmx.min.js $@

# The browser tests drive the system Chromium (Debian's), installed here when missing.
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	fi

## Build the demo retailer on SQLite (once) and serve it on http://127.0.0.1:8000
demo: env
	$(BIN)/omni demo

## Lint, type-check, check module boundaries, then run every test
test: env lint chromium
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
