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
# In parallel by default (pytest-xdist, one worker per core, a file's tests on one worker): each
# worker has its own test database (name + `_gw0`, `_gw1`…), and conftest.py puts back the rows
# migrations seeded after a transactional test's flush. PYTEST_XDIST= (empty) runs one process,
# for debugging; PYTEST_XDIST="-n 4 --dist loadfile" picks the number of workers.
PYTEST_XDIST ?= -n auto --dist loadfile
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
