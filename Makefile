# Two commands: `make run` serves the forum on SQLite, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/forum init
	$(BIN)/forum run --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (Playwright's own browser download cannot work here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "no chromium and no root: browser tests will be skipped"; fi; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(VENV)/.installed-test browser-deps stress-deps lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache dist build

# Load test: seeds fresh SQLite databases, serves them with gunicorn and loads them with wrk,
# beside a bare Flask hello-world (see bench/run --help; BENCH_ARGS=--large adds 1M posts).
.PHONY: bench
bench: $(VENV)/.installed
	@$(BIN)/python -c "import gunicorn" 2>/dev/null || $(BIN)/python -m pip install --quiet gunicorn
	bench/run $(BENCH_ARGS)

# Production serving: gunicorn on 127.0.0.1:8000 (FORUM_BIND, FORUM_WORKERS, FORUM_THREADS).
.PHONY: serve stress stress-deps
serve: $(VENV)/.installed
	$(BIN)/forum init
	$(BIN)/forum serve

# Debian's nginx for the several-servers run (the suite's short version skips without it).
stress-deps:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
	      || echo "nginx could not be installed: the stress run cannot start"; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
	      || echo "nginx could not be installed: the stress run cannot start"; \
	  else echo "no nginx and no root: the stress run cannot start"; fi; }

# Two gunicorn servers behind nginx on PostgreSQL + Redis, one stopped mid-load (STRESS_ARGS=
# "--threads 8 --replies 50" for more); needs PostgreSQL and Redis on 127.0.0.1.
stress: $(VENV)/.installed-test stress-deps
	$(BIN)/python -m tests.stress.two_servers $(STRESS_ARGS)
