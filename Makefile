# aims — two commands: `make run` (set up everything and serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AIMS := $(BIN)/aims
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup lint test-sqlite test-postgres demo clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

run: setup
	$(AIMS) init
	$(AIMS) demo
	$(AIMS) serve

lint: setup
	$(BIN)/ruff check .

# Two workers for the bulk of the suite; the browser tests run on their own afterwards.
test-sqlite: setup
	$(BIN)/pytest -p no:cacheprovider -n 2 -m "not browser"
	$(BIN)/pytest -p no:cacheprovider -m browser

test-postgres: setup
	$(BIN)/python -m aims.testing.pg_cluster -- $(BIN)/pytest -p no:cacheprovider -n 2 -m "not browser"

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) node_modules var/static
