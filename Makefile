# Two commands: `make run` serves the forum on SQLite, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format browser-deps axe-deps vnu-deps lighthouse-deps screenshots clean audit pip-audit lock translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# requirements.lock pins every version (make lock rewrites it; make audit checks it), so what
# is installed, tested and audited is the same.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --constraint requirements.lock -e .
	$(BIN)/pybabel -q compile -d forum/translations
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --constraint requirements.lock -e '.[test,postgres]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/forum init
	$(BIN)/forum run --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (Playwright's own browser download cannot work here).
# Install a Debian package when its command is missing: $(1) command, $(2) package, $(3) what
# happens without it. As root directly, else with sudo, else just say so.
define debian_install
	@command -v $(1) >/dev/null 2>&1 || [ -x /usr/sbin/$(1) ] || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "no $(2) and no root: $(3)"; exit 0; fi; \
	  ($$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq $(2) >/dev/null) || echo "$(2) could not be installed: $(3)"; }
endef

browser-deps:
	$(call debian_install,chromium,chromium,browser tests will be skipped)

# axe-core (pinned) for tests/browser/test_accessibility.py; installed once into .venv/node.
AXE_VERSION := 4.10.2
axe-deps:
	@[ -f $(VENV)/node/node_modules/axe-core/axe.min.js ] || \
		npm install --prefix $(VENV)/node --no-save --no-audit --no-fund axe-core@$(AXE_VERSION) || \
		echo "axe-core not installed: accessibility tests will be skipped"

# The Nu Html Checker (vnu.jar, pinned) for tests/browser/test_html_validity.py, run with the
# machine's java (Debian's headless JRE is installed when missing). It has a prefix of its own:
# npm prunes what it was not asked for, so one prefix for both would drop axe-core.
VNU_VERSION := 26.9.27
vnu-deps:
	$(call debian_install,java,default-jre-headless,the HTML validity tests will be skipped)
	@[ -f $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar ] || \
		npm install --prefix $(VENV)/vnu --no-save --no-audit --no-fund vnu-jar@$(VNU_VERSION) || \
		echo "vnu-jar not installed: the HTML validity tests will be skipped"

# Lighthouse (pinned: 12.x needs node 18.16 or newer, 13.x node 22) for
# tests/browser/test_lighthouse.py, which drives Debian's chromium itself. A prefix of its own,
# as for vnu-jar.
LIGHTHOUSE_VERSION := 12.8.2
lighthouse-deps:
	@[ -f $(VENV)/lighthouse/node_modules/lighthouse/cli/index.js ] || \
		npm install --prefix $(VENV)/lighthouse --no-save --no-audit --no-fund lighthouse@$(LIGHTHOUSE_VERSION) || \
		echo "lighthouse not installed: the Lighthouse test will be skipped"

# Every page type as every person, light, dark and at phone width, into test-results/screenshots.
screenshots: $(VENV)/.installed-test browser-deps
	FORUM_SCREENSHOTS=test-results/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/browser/test_layout.py -k screenshots
	@echo "Screenshots in test-results/screenshots/"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# AUDIT=1 make test audits the dependencies first (needs PyPI's JSON API: see audit; CI does).
test: $(VENV)/.installed-test browser-deps axe-deps vnu-deps lighthouse-deps stress-deps lint $(if $(filter 1,$(AUDIT)),audit)
	@[ "$(AUDIT)" = 1 ] || echo "Dependency audit not run here: make audit (or AUDIT=1 make test)."
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Known vulnerabilities in the exact versions of requirements.lock, from PyPI's vulnerability
# data (the PyPA advisory database). scripts/audit_lock.py reads PyPI's per-project JSON, which
# this network serves; it fails on any known vulnerability and on any pin it could not look
# up (network down), and names the pins it cannot audit exactly (see its docstring).
audit: $(VENV)/.installed-test
	$(BIN)/python scripts/audit_lock.py

# The same check with pip-audit, where PyPI's per-release JSON (pypi.org/pypi/NAME/VERSION/json)
# is reachable. --strict: a package that cannot be checked fails instead of being skipped.
pip-audit: $(VENV)/.installed-test
	$(BIN)/pip-audit --requirement requirements.lock --no-deps --disable-pip \
	  --vulnerability-service pypi --strict --progress-spinner off

# Rewrite requirements.lock from the installed environment (after changing dependencies).
lock: $(VENV)/.installed-test
	$(BIN)/python scripts/lock_requirements.py

# The catalogs: extract every wrapped string into forum/translations/messages.pot, bring each
# language's messages.po up to date with it (new messages empty, never guessed from similar
# ones: no fuzzy matching; dropped ones removed), and compile the .mo files (never committed;
# the forum also compiles them at start into its instance folder).
translations: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file --add-location=file \
		--project forum --no-wrap -o forum/translations/messages.pot .
	$(BIN)/pybabel -q update -i forum/translations/messages.pot -d forum/translations \
		--no-fuzzy-matching --ignore-obsolete --no-wrap
	$(BIN)/pybabel compile --statistics -d forum/translations

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
	$(call debian_install,nginx,nginx,the several-servers tests cannot start)

# Two gunicorn servers behind nginx on PostgreSQL + Redis, one stopped mid-load (STRESS_ARGS=
# "--threads 8 --replies 50" for more); needs PostgreSQL and Redis on 127.0.0.1. Then 50
# members replying for 60 s through 4 workers (tests/stress/load.py): SQLite, SQLite with a
# worker SIGKILLed every 300 ms, PostgreSQL, PostgreSQL with kills; nothing acknowledged may
# be lost. Then a private PostgreSQL cluster restarted under posting load
# (PG_RESTART_ARGS="--clients 6"). About 5 minutes in all.
stress: $(VENV)/.installed-test stress-deps
	$(BIN)/python -m tests.stress.two_servers $(STRESS_ARGS)
	$(BIN)/python -m tests.stress.load --members 50 --seconds 60
	$(BIN)/python -m tests.stress.load --members 50 --seconds 60 --kill-every-ms 300
	$(BIN)/python -m tests.stress.load --members 50 --seconds 60 --database-url postgresql
	$(BIN)/python -m tests.stress.load --members 50 --seconds 60 --kill-every-ms 300 --database-url postgresql
	$(BIN)/python -m tests.stress.pg_restart $(PG_RESTART_ARGS)
