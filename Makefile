# dtbd — the two commands a new user needs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit bench clean serve bench-web

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test,web]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/dtbd validate --data fixtures/demo
	$(BIN)/dtbd plan --data fixtures/demo
	$(BIN)/dtbd check --data fixtures/demo $$($(BIN)/python -c "import yaml;print(yaml.safe_load(open('fixtures/demo/dataset.yaml'))['demo_person'])")

lint: install
	$(BIN)/ruff check engine cli web tests bench
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

test: lint unit

bench: install
	$(BIN)/python -m bench.run

serve: install
	$(BIN)/dtbd serve --store store --demo fixtures/demo

bench-web: install
	$(BIN)/python -m bench.web

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
