# Everyday verbs: make run | make test | make lint | make bench
# A fresh machine needs only Python 3.11+: the first target creates .tools/ (uv, pinned) and .venv/.
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: help install run run-distributed test test-fast lint format bench docs clean mutation

help:
	@echo "make run    - run the whole platform on its embedded default (gateway http://localhost:8000)"
	@echo "make run-distributed - every app its own process on local PostgreSQL, Kafka (Tansu) and Redis"
	@echo "make test   - unit, API, PostgreSQL/Kafka integration and end-to-end tests"
	@echo "make lint   - ruff, mypy and the import rule"
	@echo "make bench  - benchmarks (events, identity, gateway, catalog, notification, feedback); see docs/performance.md"
	@echo "make mutation - mutation testing of the rule modules (not in CI); see docs/testing.md"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(BIN)/hues: $(UV) uv.lock pyproject.toml */pyproject.toml deploy/launcher/pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	@touch $(BIN)/hues

install: $(BIN)/hues

run: install
	$(BIN)/hues run

run-distributed: install
	$(BIN)/hues run --distributed

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not e2e"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared/src gateway/src identity-service/src integration-service/src feedback-service/src notification-service/src catalog-service/src deploy/launcher/src
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/architecture

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/events/run.py
	$(BIN)/python bench/identity/run.py
	$(BIN)/python bench/gateway/run.py
	$(BIN)/python bench/catalog/run.py
	$(BIN)/python bench/notification/run.py

# Mutation testing of the rule modules, one package at a time ([tool.mutmut] in each package's pyproject).
# Not in CI: run it before resolving an issue that touches those modules; results in docs/testing.md.
MUTATION_PACKAGES ?= shared gateway identity-service
MUTATION_CHILDREN ?= 2
mutation: install
	@for package in $(MUTATION_PACKAGES); do \
		echo "== mutation testing: $$package"; \
		(cd $$package && rm -rf mutants && ../$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) >/dev/null 2>&1; \
		 ../$(BIN)/mutmut results --all true | grep -v ": killed$$" ; \
		 ../$(BIN)/mutmut export-cicd-stats >/dev/null 2>&1 && cat mutants/mutmut-cicd-stats.json; echo) || exit 1; \
	done

docs: install
	$(BIN)/python -m hues_launcher.event_catalogue > docs/events.md

clean:
	rm -rf .venv .tools var .pytest_cache .mypy_cache .ruff_cache
