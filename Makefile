# nikyoten — two commands: `make demo` and `make test`. Needs Python ≥ 3.11 and make; nothing else.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_PASSWORD ?= nikyoten-demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install setup e2e lint typecheck openapi openapi-check messages check-messages deploy-check clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 以上が必要です / Python 3.11 or newer is required")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Set up the embedded database (SQLite), reference data and sample content; safe to run again.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo --password '$(DEMO_PASSWORD)'

## Everything on a fresh machine, then serve on http://127.0.0.1:8000
demo: setup
	@echo ""
	@echo "nikyoten を http://$(HOST):$(PORT)/ で起動します（Ctrl+C で終了）。管理画面: http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

## The whole suite (unit, integration, API, browser). DATABASE_URL=postgres://… runs it on PostgreSQL.
test: install
	$(PY) -m pytest nikyoten e2e

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy nikyoten config

openapi: install
	$(PY) manage.py spectacular --file docs/api/openapi.yaml --validate --fail-on-warn

openapi-check: install
	$(PY) manage.py spectacular --file /tmp/nikyoten-openapi.yaml --validate --fail-on-warn
	diff -u docs/api/openapi.yaml /tmp/nikyoten-openapi.yaml

## Update the English catalogue after changing Japanese strings, then translate the empty entries.
messages: install
	$(PY) manage.py makemessages --locale en --no-location --no-obsolete --ignore '.venv/*' --ignore 'e2e/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --locale en --ignore '.venv/*'

deploy-check: install
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=nikyoten.example DATABASE_URL=sqlite:////tmp/nikyoten-deploy-check.sqlite3 \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
