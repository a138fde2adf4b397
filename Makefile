# aims — two commands: `make run` (set up everything and serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AIMS := $(BIN)/aims
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Keep compiled bytecode even where the environment says not to (PYTHONDONTWRITEBYTECODE):
# the suite starts many Python processes (test workers, `aims` commands, app servers, job
# workers), and without the cache each would compile every module of aims again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-all setup lint typecheck checks lock fuzz test-fuzz test-sqlite test-bulk test-browser test-postgres demo clean

# The whole tree (runtime + dev) comes from requirements.lock, exact versions with hashes,
# installed as locked (--no-deps: nothing is resolved again, so a dependency asking for an
# extra, e.g. pydantic[email], cannot send pip looking for an unpinned version); aims itself
# is then added the same way.
$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --no-deps -r requirements.lock
	$(BIN)/pip check
	$(BIN)/pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

run: setup
	$(AIMS) init
	$(AIMS) demo
	$(AIMS) serve

# Re-resolve requirements.lock from pyproject.toml (after changing a pin there). Extra uv
# options pass through, e.g. `make lock LOCK_ARGS="--upgrade-package django"`.
lock: $(BIN)/.installed
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet $(LOCK_ARGS) -o requirements.lock

lint: setup
	$(BIN)/ruff check .

# mypy with the Django plugin over aims and config ([tool.mypy] in pyproject.toml).
typecheck: setup
	$(BIN)/mypy

# Two workers for the bulk of the suite; the browser tests run on their own (one browser, one
# live server). The SQLite runs build the schema from the models (a test checks the migrations
# agree with them); the PostgreSQL run applies the migrations, as an install does, and leaves out
# the tests that cannot depend on the database engine (marked db_neutral in conftest.py: pages,
# PDFs, the role table, the code's layout), which the SQLite run has already passed.
test-sqlite: test-bulk test-browser

test-bulk: setup
	$(BIN)/pytest -p no:cacheprovider --no-migrations -n 2 --dist loadscope -m "not browser"

test-browser: setup
	$(BIN)/pytest -p no:cacheprovider --no-migrations -m browser

test-postgres: setup
	$(BIN)/python -m aims.testing.pg_cluster -- $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadscope -m "not browser and not db_neutral"

checks: lint typecheck

test-all: checks test-sqlite test-postgres test-fuzz

# Everything CI runs, with the time it took printed at the end. The legs that keep one core
# busy (ruff and mypy, the browser tests, the bounded fuzz run: one server and one client each)
# run side by side, each printing its output when it ends; then the legs that keep both cores
# busy (the SQLite and PostgreSQL runs, two test workers each), one after the other.
test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory setup && \
	$(MAKE) --no-print-directory -j3 --output-sync=target checks test-browser test-fuzz && \
	$(MAKE) --no-print-directory test-bulk test-postgres; status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s in all (exit $$status)"; exit $$status

# Schemathesis over every API operation of a throwaway instance (temporary AIMS_VAR_DIR, the
# real ./var is untouched); see aims/testing/fuzz.py. Options pass through FUZZ_ARGS, e.g.
# FUZZ_ARGS="--seed 1 --report-dir fuzz-report". `make test` runs a short bounded pass
# (test-fuzz: the fuzzing phase, 5 generated requests per operation, one fixed seed so that a
# run can be repeated request for request); `make fuzz` the long one, with a new seed each time.
FUZZ_EXAMPLES ?= 50
fuzz: setup
	$(BIN)/python -m aims.testing.fuzz --max-examples $(FUZZ_EXAMPLES) $(FUZZ_ARGS)

test-fuzz: setup
	$(BIN)/python -m aims.testing.fuzz --phases fuzzing --max-examples 5 --seed 42001

clean:
	rm -rf $(VENV) node_modules var/static
