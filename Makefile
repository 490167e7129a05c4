# Thi đua Web — the two commands of the README: `make run` and `make test` (both do the set-up).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := .make
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_WORKERS ?= 2
# The demo world lives in the seed's year: `make run` pins "today" to award season 2021 so its
# deadlines and workflows read as they would have then. `make run DEMO_TODAY=` uses the real date.
DEMO_TODAY ?= 2021-12-20

.PHONY: setup run test test-sqlite test-postgres clean help

help:
	@echo "make run    — cài đặt (nếu cần) rồi chạy ứng dụng tại http://$(HOST):$(PORT)"
	@echo "make test   — cài đặt (nếu cần) rồi chạy toàn bộ kiểm thử (SQLite, và PostgreSQL khi có TEST_DATABASE_URL)"
	@echo "make setup  — chỉ cài đặt"

setup: $(STAMP)/python $(STAMP)/assets $(STAMP)/translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP)/python: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/assets: package.json package-lock.json scripts/vendor.js
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/vendor.js
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/translations: $(wildcard translations/*/LC_MESSAGES/*.po) | $(STAMP)/python
	$(BIN)/pybabel -q compile -d translations
	@mkdir -p $(STAMP) && touch $@

run: setup
	$(FLASK) db upgrade
	$(FLASK) seed-demo-if-empty
	THIDUAWEB_TODAY=$${THIDUAWEB_TODAY-$(DEMO_TODAY)} $(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "TEST_DATABASE_URL chưa đặt: bỏ qua lượt kiểm thử trên PostgreSQL."; fi

test-sqlite:
	@echo "== Kiểm thử trên SQLite =="
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

test-postgres:
	@echo "== Kiểm thử trên PostgreSQL ($$TEST_DATABASE_URL) =="
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

clean:
	rm -rf $(STAMP) $(VENV) node_modules static/vendor
