# Leerplek — everyday commands. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pg bench lint format typecheck messages demo clean setup

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Leerplek needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py compilemessages_py

## make run: set up, migrate, load the demo organisation, serve on 127.0.0.1:8000
run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: set up and run the whole suite (SQLite; browser tests in headless Chromium)
test: setup
	$(BIN)/python -m pytest -n 2 --dist worksteal

## make test-pg: the same suite on PostgreSQL (DATABASE_URL or 127.0.0.1:5432, user postgres);
## PYTEST_ARGS narrows it, e.g. PYTEST_ARGS='-m "not browser"' as CI does
test-pg: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/leerplek} $(BIN)/python -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

## make bench: build (or reuse) the scale data set and measure pages against their floor
bench: setup
	$(BIN)/python -m benchmarks.run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: setup
	$(BIN)/mypy leerplek

## make messages: extract new UI strings into the nl and fr catalogues (needs GNU gettext)
messages: setup
	# From inside leerplek/: an ignore pattern "tests/*" would also skip templates/training/tests.
	cd leerplek && ../$(BIN)/python ../manage.py makemessages -l nl -l fr --no-location --no-obsolete
	$(BIN)/python manage.py compilemessages_py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm
