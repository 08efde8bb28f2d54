# dtbd — the two commands a new user needs: `make demo` and `make test`.
# Python 3.11–3.13: `PY=python3.13 VENV=.venv313 make test` (one venv per Python).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The interpreter named by PY; a pyenv shim of a version that is not selected fails, so fall back to
# pyenv's own copy of that name (e.g. ~/.pyenv/versions/3.13.0/bin/python3.13).
PYTHON := $(shell $(PY) -c 'import sys; print(sys.executable)' 2>/dev/null || \
	ls -1d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/*/bin/$(PY) 2>/dev/null | sort -V | tail -n 1)
PYTAG := $(if $(PYTHON),$(shell $(PYTHON) -c 'import sys; print("cp%d%d" % sys.version_info[:2])'),none)
VENV_MARK := $(VENV)/.python-$(PYTAG)
STAMP := $(VENV)/.installed-$(PYTAG)
# durable-rules 2.0.28 is built from the registry's sdist with third_party/durable-rules/patches applied,
# once per Python version, into a local wheel cache (gitignored).
WHEELS := .wheels/$(PYTAG)
DURABLE_BUILD := third_party/durable-rules/build-wheel.sh
DURABLE_WHEEL := $(WHEELS)/.built
DURABLE_PATCHES := $(sort $(wildcard third_party/durable-rules/patches/*.patch))

.PHONY: install demo test lint typecheck unit bench bench-pages pictures clean serve bench-web

# A venv for this Python: an existing one of another version is replaced.
$(VENV_MARK):
	@test -n "$(PYTHON)" || { echo "make: no Python interpreter '$(PY)' (PATH or pyenv); try PY=python3.11" >&2; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print("cp%d%d" % sys.version_info[:2])')" = $(PYTAG) ]; then \
		echo "$(VENV): $(PYTAG)"; \
	else \
		rm -rf -- "$(VENV)" && $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --upgrade pip; \
	fi
	touch $@

$(DURABLE_WHEEL): $(DURABLE_BUILD) $(DURABLE_PATCHES) | $(VENV_MARK)
	$(DURABLE_BUILD) $(BIN)/python $(WHEELS)
	touch $@

$(STAMP): $(VENV_MARK) $(DURABLE_WHEEL) pyproject.toml
	$(BIN)/python -m pip install -q --force-reinstall --no-deps --no-index --find-links $(WHEELS) 'durable-rules==2.0.28'
	$(BIN)/python -m pip install -q --find-links $(WHEELS) -e '.[test,web]'
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
	$(BIN)/ruff check engine cli web tests bench
	$(BIN)/mypy

# The suite on PYTEST_WORKERS processes (pytest-xdist): under ten minutes on a 2-core machine.
PYTEST_WORKERS ?= 2
unit: install
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test: lint unit

bench: install
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.pages

# A 41-person shortlist printed by LibreOffice: its A4 pages (xlsx, docx) in bench/pages.json.
bench-pages: install
	$(BIN)/python -m bench.pages

# The pictures of docs/bieu-mau/ (README "Báo cáo và biểu mẫu"), printed by LibreOffice, rendered by pdftoppm.
pictures: install
	$(BIN)/python -m bench.pictures

serve: install
	$(BIN)/dtbd serve --store store --demo fixtures/demo

bench-web: install
	$(BIN)/python -m bench.web

# The wheel cache (.wheels/) is kept: `rm -rf .wheels` forces a rebuild of durable-rules.
clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
