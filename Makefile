# Two commands for a newcomer: `make run` and `make test`. Everything else is what they call.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps messages migrate demo lint format bench bench-pages bench-rush bench-documents clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing Python packages into $(VENV) ..."
	@$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]" >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

setup: $(STAMP)

# Debian packages the documents and browser tests need (CJK fonts, libmagic, Chromium).
system-deps:
	@bash scripts/system-deps.sh

# The English catalogue (locale/en): the .mo is built here, never committed. Needs GNU gettext.
messages: setup system-deps
	@$(BIN)/python manage.py compilemessages -l en -i "$(VENV)*" -v0

migrate: setup
	@$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	@$(BIN)/python manage.py seed_demo

# The demo accounts are the last thing printed before the address.
run: messages demo
	@$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "专业化众创空间备案推荐系统: http://127.0.0.1:$(PORT)/"
	@# E-mails and document jobs run in a local worker process beside the server, never in a request.
	@LOCAL_WORKER=1 $(BIN)/python manage.py local_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	LOCAL_WORKER=1 DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup system-deps messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache

# The deadline rush (docs/benchmarks.md): gunicorn on PostgreSQL, 200 simulated users, and the
# throughput of a bare Django view in the same run. BENCH_USERS / BENCH_SECONDS override.
bench: setup
	bash scripts/bench.sh

# Query counts and p50/p95 of the busiest pages at 1,000 and 100,000 applications (PostgreSQL),
# then each rush page's CPU as a ratio to the signed-in bare view measured in the same run.
bench-pages: setup
	bash scripts/measure-pages.sh 1000
	bash scripts/measure-pages.sh 100000
	bash scripts/measure-rush.sh 1000

# Only the CPU ratios of the rush pages (about a minute).
bench-rush: setup
	bash scripts/measure-rush.sh 1000

# Document generation benchmark (docs/benchmarks.md): package of 30 uploaded pages, 10,000-row export.
bench-documents: migrate
	$(BIN)/python manage.py bench_documents
