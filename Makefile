# Beteiligungsportal - see README.md. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := portal

VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CSS := portal/static/dist/portal.css
LANGS := $(patsubst translations/%/LC_MESSAGES/messages.po,%,$(wildcard translations/*/LC_MESSAGES/messages.po))
MO_FILES := $(foreach l,$(LANGS),translations/$(l)/LC_MESSAGES/messages.mo)
TEMPLATES := $(shell find portal/templates -name '*.html' 2>/dev/null)
PY_SOURCES := $(shell find portal -name '*.py' 2>/dev/null)

.PHONY: run serve bench test test-sqlite test-postgres test-browser lint format build venv assets translations \
        translations-extract translations-update db seed clean

venv: $(VENV_STAMP)
$(VENV_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: $(CSS)
$(CSS): $(NODE_STAMP) scripts/build-assets.mjs portal/static/src/portal.css $(TEMPLATES) $(PY_SOURCES)
	node scripts/build-assets.mjs

translations: $(MO_FILES)
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV_STAMP)
	$(BIN)/pybabel compile --statistics -d translations -l $*

build: venv assets translations

db: build
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed-demo

## Development server with the demo data on http://127.0.0.1:$(PORT)
run: seed
	@echo "Serving on http://127.0.0.1:$(PORT) (mail goes to instance/outbox/ unless SMTP_HOST is set)"
	$(BIN)/flask send-mail --loop 3 & mailer=$$!; trap 'kill $$mailer 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## Production server (gunicorn) on the configured database, no reloader, no debugger
serve: build
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - 'portal.wsgi:app'

## Load benchmark (docs/performance.md): gunicorn on a throwaway PostgreSQL with the reference
## data, measured with wrk (Debian package); BENCH_ARGS e.g. "--size small --duration 5".
bench: build
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: venv
	$(BIN)/ruff check portal tests scripts bench config.py
	$(BIN)/ruff format --check portal tests scripts bench config.py

format: venv
	$(BIN)/ruff check --fix portal tests scripts bench config.py
	$(BIN)/ruff format portal tests scripts bench config.py

## The whole suite: lint; unit, app, security and fault tests on SQLite; browser tests; then the
## app and migration tests again on PostgreSQL. Tests run in parallel (pytest-xdist, one process
## per core, at most 4); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
XDIST := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --maxprocesses 4)

test: build lint test-sqlite test-browser test-postgres

test-sqlite: build
	$(BIN)/pytest $(XDIST) -m "not browser"

test-postgres: build
	PORTAL_TEST_DATABASE=postgresql $(BIN)/pytest $(XDIST) -m "not browser" tests/app tests/migrations

test-browser: build
	$(BIN)/pytest $(XDIST) -m browser

translations-extract: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -k pgettext:1c,2 --no-location --sort-output \
	  --project=Beteiligungsportal --copyright-holder="Beteiligungsportal contributors" -o translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) node_modules portal/static/dist .pytest_cache
