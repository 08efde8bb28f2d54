# dtbd — the two commands a new user needs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

DEMO_PLAN := ke-hoach-demo.txt

# The first screen: the demo person's gaps, then the plan's summary; the whole plan goes to $(DEMO_PLAN).
demo: install
	@$(BIN)/dtbd check --data fixtures/demo --only-gaps --brief $$($(BIN)/python -c "import yaml;print(yaml.safe_load(open('fixtures/demo/dataset.yaml'))['demo_person'])")
	@echo
	@$(BIN)/dtbd plan --data fixtures/demo --summary --output $(DEMO_PLAN)
	@echo
	@$(BIN)/dtbd validate --data fixtures/demo

lint: install
	$(BIN)/ruff check engine cli tests bench
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

test: lint unit

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
