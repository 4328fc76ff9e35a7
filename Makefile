# Two commands for a new machine with only Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Share cards set Korean and Japanese headlines in Noto Sans CJK (fonts-noto-cjk).
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc

.DEFAULT_GOAL := help
.PHONY: help install install-dev run up down test lint format typecheck messages compile-messages migrations-check bench ci

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create .venv and install the requirements

install-dev: $(VENV)/.installed-dev ## Install the requirements and the test and lint tools

compile-messages: install ## Compile the gettext catalogues in locale/ (no GNU gettext needed)
	$(MANAGE) compile_catalogues

run: compile-messages ## Set up the demo newsroom on SQLite and serve it on http://127.0.0.1:8000
	@# Best effort: install the CJK fonts as root with apt-get, else say how.
	@[ -e $(CJK_FONT) ] || [ -n "$$NEWSROOM_CARD_FONT_DIR" ] || \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) \
	      || echo "Could not install fonts-noto-cjk: Korean and Japanese share cards will have no text."; \
	  else \
	    echo "Share cards need Noto Sans CJK for Korean and Japanese text: sudo apt-get install fonts-noto-cjk (or set NEWSROOM_CARD_FONT_DIR)."; \
	  fi
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Reader site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/"
	@# The background worker (notification e-mails, printed here) and the
	@# scheduler (stories whose time has come) run beside the server and stop
	@# with it.
	@trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) db_worker --queue-name '*' & worker=$$!; \
	  $(MANAGE) publish_scheduled --every 30 & scheduler=$$!; \
	  $(MANAGE) runserver 127.0.0.1:8000

up: install ## Start the production shape here: PostgreSQL (DATABASE_URL), Redis, gunicorn, worker, scheduler, nginx for media, Varnish on :8080
	$(BIN)/python deploy/stack.py up

down: ## Stop what `make up` started
	$(BIN)/python deploy/stack.py down

test: install-dev compile-messages ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(BIN)/pytest

lint: install-dev ## Check code and templates: ruff, ruff format, djhtml (the pre-commit hooks)
	@# Every file git has or would add, so that new files are checked before their commit.
	$(BIN)/pre-commit run --files $$(git ls-files --cached --others --exclude-standard)

format: install-dev ## Fix what lint finds: ruff's fixes, ruff format, djhtml
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml --tabwidth 2 $(wildcard */templates)

typecheck: install-dev ## Type check services, querysets, permissions and core (mypy, django-stubs)
	$(BIN)/mypy

messages: install ## Refresh the catalogues from the source (needs GNU gettext) and compile them
	$(MANAGE) makemessages --all --no-location --no-obsolete --ignore=node_modules
	$(MANAGE) makemessages --all --no-location --no-obsolete -d djangojs --ignore=staticfiles --ignore=media --ignore=node_modules
	$(MANAGE) compile_catalogues

migrations-check: install ## Fail if a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

bench: install ## Generate 100 000 stories in the configured database (DATABASE_URL), index them and time the desk, the reader pages and search
	$(MANAGE) migrate --noinput
	$(BIN)/python -m bench.generate --stories 100000
	$(MANAGE) rebuild_search_index --batch 1000
	$(BIN)/python -m bench.admin_list
	$(BIN)/python -m bench.reader_pages
	$(BIN)/python -m bench.search

ci: ## Run what CI runs (needs root for apt-get and PostgreSQL on 127.0.0.1)
	bash .ci/run
