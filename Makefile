# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := APP_ENV=development
FLASK := $(BIN)/flask --app wsgi

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends

.PHONY: run test test-fast check bench lock install install-test test-tools translations translations-compile db seed clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every dependency comes from the lock files, pinned with hashes; the project itself (editable)
# then installs without resolving anything (--no-deps), built with the locked setuptools and
# babel (--no-build-isolation). `make lock` writes the locks again after pyproject.toml changed.
PIP_LOCKED := $(BIN)/pip install --quiet --require-hashes
PIP_PROJECT := $(BIN)/pip install --quiet --no-deps --no-build-isolation -e .

$(VENV)/.installed: $(BIN)/python requirements/base.txt pyproject.toml setup.py
	$(PIP_LOCKED) -r requirements/base.txt
	$(PIP_PROJECT)
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PIP_LOCKED) -r requirements/test.txt
	@touch $@

# requirements/base.txt: the app (what production installs) and what builds it; test.txt: that
# plus the test tools, at the same versions (-c base.txt). Needs the registry (PyPI).
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links --all-build-deps
lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(PIP_COMPILE) -o requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --extra test -c requirements/base.txt -o requirements/test.txt pyproject.toml

# Debian's Chromium for the browser tests (Playwright's own download cannot work here), Java
# for the Nu Html Checker, redis-server and nginx for the fault tests (each test starts its own
# on a free port), and the npm test tools (axe-core, vnu-jar) pinned by package-lock.json.
test-tools:
	@command -v chromium >/dev/null && command -v java >/dev/null && command -v redis-server >/dev/null \
	  && command -v nginx >/dev/null || { \
	  $(SUDO) apt-get update -qq && $(APT_INSTALL) chromium default-jre-headless redis-server nginx; }
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error

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

# pytest's exit code 5 (no test collected) fails the run too
PYTEST_FAIL_ON_NOTHING = rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi

# The whole suite, in random order (pytest-randomly: `--randomly-seed=last` repeats the last order,
# `-p no:randomly` keeps the written one).
test: install-test test-tools translations-compile
	@rm -rf test-artifacts
	@$(BIN)/python -m pytest; $(PYTEST_FAIL_ON_NOTHING); \
	if [ $$rc -ne 0 ] && [ -d test-artifacts ]; then \
	  echo "Failing browser tests left screenshots and page HTML in test-artifacts/:"; find test-artifacts -type f; fi; \
	exit $$rc

# Unit and functional tests on SQLite, without the browser, PostgreSQL and slow ones (README "Tests").
test-fast: install-test test-tools translations-compile
	@$(BIN)/python -m pytest tests/unit tests/functional -m "not browser and not postgres and not slow" \
	  -n 2 --dist loadfile; \
	$(PYTEST_FAIL_ON_NOTHING); exit $$rc

# Lint and formatting (ruff; `ruff format .` fixes the formatting), and the import contract
# (import-linter, configured in pyproject.toml): the layers of README "Architecture".
check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The Cologne-scale benchmark on PostgreSQL (not part of `make test`); writes bench/report.md.
bench: install-test translations-compile
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(APT_INSTALL) wrk; }
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache translations/*/LC_MESSAGES/*.mo
