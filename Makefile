# WSIS Implementation Platform — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_INITIATIVES ?= 2000

.PHONY: install run test lint e2e migrate reference messages check-messages bench clean help system-packages

help:
	@echo "make run    - set up (virtualenv, dependencies, database, reference and demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test   - the whole test suite on SQLite (set DATABASE_URL for PostgreSQL)"
	@echo "make lint   - ruff, the layer contract between apps (lint-imports) and the migrations check"
	@echo "make e2e    - browser tests with Playwright and Debian's Chromium"
	@echo "make system-packages - apt-get: chromium, Noto fonts (Arabic, CJK), poppler-utils, gettext"
	@echo "make messages       - update the message catalogues (locale/) from the code and compile them"
	@echo "make check-messages - fail on untranslated, fuzzy or stale messages"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) migrate reference
	@# The compiled catalogues are committed; refresh them when GNU gettext is here (optional).
	@if command -v msgfmt >/dev/null 2>&1; then \
	  $(BIN)/python scripts/translations.py compile || echo "warning: could not compile the message catalogues"; fi

migrate: $(STAMP)
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v 0

reference: $(STAMP)
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py load_indicators
	$(BIN)/python manage.py load_forum_history

run: install
	$(BIN)/python manage.py seed_demo --initiatives $(DEMO_INITIATIVES) --seed 1 --no-input
	@echo "Serving on http://$(HOST):$(PORT)/ (demo logins in README.md). Stop with Ctrl-C."
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/python manage.py worker --queue-name '*' >var/worker.log 2>&1 & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1

e2e: $(STAMP)
	$(BIN)/python -m pytest -q -m e2e tests/e2e

# Message catalogues (locale/): extract the messages of the code for all six languages and compile.
# Needs GNU gettext (apt-get install gettext). Then translate: scripts/translations.py export / import.
messages: $(STAMP)
	$(BIN)/python scripts/translations.py update

# Fails on any untranslated or fuzzy message in ar, es, fr, ru, zh-hans, or a catalogue that is stale.
check-messages: $(STAMP)
	$(BIN)/python scripts/check_translations.py

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var staticfiles

# System packages pip cannot install: Chromium (browser tests), Noto fonts for Arabic and Chinese
# (PDF reports, screenshots), poppler (PDF checks), gettext (catalogues). Needs root; see README.
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-noto-cjk poppler-utils gettext
system-packages:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); \
	else echo "run as root: apt-get install -y $(SYSTEM_PACKAGES)"; exit 1; fi
