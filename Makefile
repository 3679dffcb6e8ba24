# mockbi developer commands. `make serve` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install serve test lint typecheck coverage-doc contracts-check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/mockbi serve --host 127.0.0.1 --port 8080 --seed 0 --scenario default

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

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache
