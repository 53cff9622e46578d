# The README's two commands: `make demo` (install everything, run the demo) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: demo setup system-deps test test-sqlite test-postgres lint bench clean

demo: setup
	$(BIN)/gongkai demo --port $(PORT)

setup: system-deps $(BIN)/gongkai

system-deps:
	@scripts/install-system-deps.sh

$(BIN)/gongkai: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

# Whole suite, including the browser tests; PostgreSQL too when DATABASE_URL points at one.
# One process by default. PYTEST_XDIST="-n auto --dist loadfile" runs it in parallel (pytest-xdist,
# a test database per worker), but not yet reliably: a transactional test's flush empties the data
# that migrations seed (calendar, subjects, key areas) for the tests that follow it on its worker
# (serially pytest-django runs transactional tests last).
PYTEST_XDIST ?=
test: setup
	$(BIN)/ruff check gongkai tests bench
	$(BIN)/ruff format --check gongkai tests bench
	$(BIN)/python -m django makemigrations --check --dry-run --settings=gongkai.settings
	$(BIN)/lint-imports
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_XDIST)

lint: setup
	$(BIN)/ruff check gongkai tests bench
	$(BIN)/ruff format --check gongkai tests bench
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
