# mockbi developer commands. `make serve` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SERVE_STAMP := $(VENV)/.serve-stamp
PORT     ?= 8080
SEED     ?= 0
SCENARIO ?= default

.PHONY: install serve test lint typecheck coverage-doc contracts-check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

# serving needs only the runtime dependencies, not the test extra
$(SERVE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(SERVE_STAMP)

install: $(STAMP)

serve: $(SERVE_STAMP)
	$(BIN)/mockbi serve --host 127.0.0.1 --port $(PORT) --seed $(SEED) --scenario $(SCENARIO)

test: install
	$(BIN)/ruff check mockbi tests bench tools
	$(BIN)/mypy mockbi
	$(BIN)/mockbi coverage --check
	$(BIN)/python -m pytest

contracts-check: install
	$(BIN)/mockbi contracts check

coverage-doc: install
	$(BIN)/mockbi coverage --output docs/COVERAGE.md

lint: install
	$(BIN)/ruff check mockbi tests bench tools

typecheck: install
	$(BIN)/mypy mockbi

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/warehouse.py

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache
