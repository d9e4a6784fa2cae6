# Two commands for a newcomer: `make run` (app with demo data) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# The server the PostgreSQL run creates its throw-away pekppp_test_* databases on.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: run static test test-postgres test-browser lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

static: $(VENV)/.installed  ## the build step: fingerprinted, gzipped copies of static/ files (flask digest compile)
	$(FLASK) digest compile

run: static  ## migrate the SQLite database in instance/, load demo data, serve :5000
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-dev static  ## install test dependencies and run the whole suite
	$(BIN)/python -m pytest

test-postgres: $(VENV)/.installed-dev static  ## the whole suite again on PostgreSQL (TEST_DATABASE_URL)
	TEST_DATABASE_URL='$(TEST_DATABASE_URL)' $(BIN)/python -m pytest

$(VENV)/.installed-browser: requirements-browser.txt $(VENV)/.installed-dev
	$(BIN)/pip install -q -r requirements-browser.txt
	touch $@

test-browser: $(VENV)/.installed-browser  ## real-browser tests (Chromium at /usr/bin/chromium); screenshots/browser/
	$(BIN)/python -m pytest tests/browser

lint: $(VENV)/.installed-dev  ## ruff, mypy (strict for assessment/domain) and the import contracts (pyproject.toml)
	$(BIN)/ruff check assessment tests migrations benchmarks gunicorn.conf.py wsgi.py
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
