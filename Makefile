# One target per check, the same locally and in CI.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo install install-dev test test-sqlite test-postgres lint check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

## demo: install, migrate, load the demo portal (first run only) and serve it on 127.0.0.1:8000
demo: install
	HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) bin/demo

## test: install the development dependencies and run the whole suite (DATABASE_URL picks the database)
test: install-dev
	DJANGO_SETTINGS_MODULE=chuangkou.settings.test $(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-sqlite: install-dev
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=chuangkou.settings.test $(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-postgres: install-dev
	DJANGO_SETTINGS_MODULE=chuangkou.settings.test DATABASE_URL=postgres://postgres@127.0.0.1:5432/chuangkou $(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

## lint: ruff, Django's system checks and a check that no migration is missing
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install-dev
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf var/ .pytest_cache .ruff_cache
