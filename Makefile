# Two commands for a fresh clone: `make demo` serves the sandbox, `make test` runs the suite.
# Everything else here is what those two and .ci/run are built from.

PYTHON ?= python3
VENV ?= .venv
CONSTRAINTS ?=
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
PIP_FLAGS := --disable-pip-version-check -q $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint check dist smoke messages browser imap bench loadtest docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.demo-deps: $(BIN)/python setup.cfg pyproject.toml sandbox/requirements.txt $(CONSTRAINTS)
	$(PIP) install $(PIP_FLAGS) -e . -r sandbox/requirements.txt
	touch $@

$(VENV)/.test-deps: $(BIN)/python setup.cfg pyproject.toml sandbox/requirements.txt $(CONSTRAINTS)
	$(PIP) install $(PIP_FLAGS) -e ".[test,postgres]" -r sandbox/requirements.txt
	touch $@

demo: $(VENV)/.demo-deps
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data
	@echo "Serving the sandbox on http://$(HOST)/ (Ctrl+C stops it)"
	$(MANAGE) runserver $(HOST)

# Browser tests drive Debian's Chromium; Playwright's own browser download is never used.
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "No $(CHROMIUM) and no root apt-get: browser tests will skip (or fail under CI)."; fi

# The IMAP poller's tests run a private Dovecot on loopback.
imap:
	@if command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's dovecot-imapd for the IMAP tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; \
	else echo "No dovecot and no root apt-get: IMAP tests will skip (or fail under CI)."; fi

test: $(VENV)/.test-deps browser imap
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Migrations must match the models on every supported stack, and the sandbox must pass Django's checks.
check: $(VENV)/.test-deps
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django makemigrations --check --dry-run
	$(MANAGE) check --fail-level WARNING

dist: $(VENV)/.test-deps
	rm -rf dist
	$(BIN)/python -m build --outdir dist . >/dev/null
	$(BIN)/twine check --strict dist/*

# The wheel, installed into a project made by `wagtail start` as docs/install.md says.
smoke: dist
	bash ci/smoke_install.sh "$(PYTHON)" dist/*.whl $(CONSTRAINTS)

# Query counts and timings of the desk; writes bench/results.json. PostgreSQL when
# WAGTAIL_SUPPORT_TEST_DATABASE_URL is set, SQLite otherwise.
bench: $(VENV)/.test-deps
	$(BIN)/python bench/run.py

# Only the docs extra's requirements, read from setup.cfg: `-e .[docs]` would also re-point a
# shared venv's editable install at this checkout, and building the docs imports nothing of ours.
$(VENV)/.docs-deps: $(BIN)/python setup.cfg $(CONSTRAINTS)
	$(BIN)/python -c 'import configparser; c = configparser.ConfigParser(); c.read("setup.cfg"); print(c["options.extras_require"]["docs"])' >$(VENV)/docs-requirements.txt
	$(PIP) install $(PIP_FLAGS) -r $(VENV)/docs-requirements.txt
	touch $@

# The whole of docs/ as a site in site/; strict, so a broken link, a missing page or a page left
# out of mkdocs.yml's nav fails (see docs/development.md).
docs: $(VENV)/.docs-deps
	$(BIN)/python -m mkdocs build --strict

$(VENV)/.bench-deps: $(VENV)/.test-deps setup.cfg
	$(PIP) install $(PIP_FLAGS) -e ".[test,postgres,bench]" -r sandbox/requirements.txt
	touch $@

# Locust, headless on loopback, against gunicorn (2 workers), PostgreSQL and a Celery worker on
# Redis: mixed traffic, then the same with the worker killed mid-run. Writes bench/results.json
# and fails on any 5xx, lost request or mail not sent exactly once. LOADTEST_SECONDS=15 (CI)
# shortens each run; bench/loadtest/run.py lists the other variables.
loadtest: $(VENV)/.bench-deps
	$(BIN)/python -m bench.loadtest.run

messages: $(VENV)/.test-deps
	cd wagtail_support && ../$(BIN)/django-admin makemessages -l pl -l ru --no-obsolete
	cd wagtail_support && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf .venv .venv-* dist build site *.egg-info db.sqlite3 media static
