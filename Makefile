# Career Compass: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: help bootstrap install services migrate load index run serve test test-unit test-cluster test-faults lint stop status clean bench eval

# What scripts/bootstrap installs: `run` (JDK, Maven, PostgreSQL, Redis, ...) unless a target
# below asks for `test` (the same plus Chromium). Target-specific: prerequisites inherit it.
BOOTSTRAP_FOR ?= run
test test-cluster test-faults: BOOTSTRAP_FOR := test

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

bootstrap: ## install the missing system packages with apt-get (needs root or sudo)
	@scripts/bootstrap --for $(BOOTSTRAP_FOR)

# Order-only: the venv needs python3.11-venv, but a bootstrap run must not force a reinstall.
$(STAMP): pyproject.toml | bootstrap
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found"; exit 1; }
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@# torch: a local CPU wheel in /opt/wheels wins when present; otherwise PyPI.
	$(BIN)/pip install -q $$(test -d /opt/wheels && echo --find-links /opt/wheels) -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install everything (once)

services: bootstrap ## start OpenSearch, PostgreSQL and Redis (no-op when running)
	@scripts/services start

migrate: install services ## apply database migrations
	@$(BIN)/alembic upgrade head

load: migrate ## validate and load data/ into PostgreSQL
	@$(BIN)/careers-admin load data

index: load ## build the search index when the alias is missing
	@$(BIN)/careers-admin reindex --if-missing

run: index ## install, start services, load, index; serve the API and the sync worker on :8000
	@echo ""
	@echo "  API       http://$(HOST):$(PORT)/api/v1/careers/search?q=doctor"
	@echo "  Docs      http://$(HOST):$(PORT)/docs"
	@echo "  Health    http://$(HOST):$(PORT)/health"
	@echo "  Stop      Ctrl-C (the API and the sync worker), then make stop (the services)"
	@echo ""
	@scripts/serve $(HOST) $(PORT)

test: install services ## run the whole suite against the real services
	$(BIN)/pytest -q

test-cluster: install services ## kill -9 a node of a real 3-node OpenSearch cluster (9201-9203)
	$(BIN)/pytest -q -m cluster tests/cluster

test-faults: install services ## kill -9 / SIGSTOP a private OpenSearch (9250) and Redis (6390), kill a reindex
	$(BIN)/pytest -q -m faults tests/faults

test-unit: install ## fast tests that need no services
	$(BIN)/pytest -q tests/unit

lint: install ## ruff, mypy --strict, the import-linter layer contracts and k8s/ schemas
	$(BIN)/ruff check .
	$(BIN)/mypy --strict search_api indexer scripts tests
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_k8s.py

eval: install services ## relevance of BM25, dense and hybrid on the judged queries
	$(BIN)/python scripts/eval_relevance.py
	$(BIN)/python scripts/eval_agent.py

bench: install services ## indexing and search speed (prints numbers, not a test)
	$(BIN)/python scripts/bench_index.py
	$(BIN)/python scripts/bench_search.py
	$(BIN)/python scripts/bench_embedding.py
	$(BIN)/python scripts/bench_accounts.py
	$(BIN)/python scripts/bench_analytics.py
	$(BIN)/python scripts/bench_agent.py
	$(BIN)/python scripts/bench_capacity.py --levels 25,50,100,200,400 --duration 30

status: ## what is running
	@scripts/services status || true

stop: ## stop the API and the sync worker (if started by make run) and the services
	@# [u], [c]: the patterns must not match this recipe's own shell
	@pkill -f "[u]vicorn search_api.main:create_app" 2>/dev/null || true
	@pkill -f "[c]areers-admin sync --follow" 2>/dev/null || true
	@rm -f .data/sync-worker.pid
	@scripts/services stop

clean: stop ## stop everything and delete .data (all local databases and indices)
	rm -rf .data
