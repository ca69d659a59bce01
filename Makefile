# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := APP_ENV=development
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-test translations translations-compile db seed clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

translations-compile: install
	$(BIN)/pybabel compile -d translations -f --statistics

# Extract every message and merge it into the catalogues; then translate the new entries.
translations: install
	$(DEV_ENV) $(FLASK) translate update

db: translations-compile
	$(DEV_ENV) $(FLASK) db upgrade

seed: db
	$(DEV_ENV) $(FLASK) seed demo

run: seed
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C stops)"
	$(DEV_ENV) $(FLASK) run --host 127.0.0.1 --port 5000

test: install-test translations-compile
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

clean:
	rm -rf $(VENV) instance .pytest_cache translations/*/LC_MESSAGES/*.mo
