# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV := DEBUG=1
PORT ?= 8000

.PHONY: run test lint bench-load bench-pdf bench-api clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## Run the app on http://127.0.0.1:8000 with SQLite and demo data (development only), and
## beside it the background worker that makes PDF packs and sends email, and the clock that
## sweeps for reminders; stopping the server stops them.
run: $(VENV)/.runtime
	mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --verbosity 0
	$(DEV) $(BIN)/python manage.py load_demo --address 127.0.0.1:$(PORT)
	$(DEV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(DEV) $(BIN)/python manage.py send_reminders --loop & clock=$$!; \
	trap "kill $$worker $$clock 2>/dev/null" EXIT; \
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Install everything and run the whole test suite (SQLite, or DATABASE_URL if set).
test: $(VENV)/.dev people/tests/oidc/node_modules
	$(BIN)/pytest

# The OpenID provider the single sign-on tests start on loopback (without Node.js and npm
# those tests are skipped).
people/tests/oidc/node_modules: people/tests/oidc/package-lock.json
	if command -v npm >/dev/null; then cd people/tests/oidc && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the single sign-on tests will be skipped"; fi

## Load benchmark: gunicorn + PostgreSQL on loopback, 60 s at 10, 20 and 40 requests/s.
bench-load: $(VENV)/.dev
	$(BIN)/python bench/load.py --seconds 60 --rates 10,20,40

## API benchmark: the indicators endpoint of a 40-task project, the tidy feed, a 1,000-row push.
bench-api: $(VENV)/.dev
	$(BIN)/python bench/api_bench.py --repeat 15

## PDF benchmark: a 20-page pack and a 60-page portfolio, cold and from storage.
bench-pdf: $(VENV)/.dev
	mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --verbosity 0
	$(DEV) $(BIN)/python manage.py bench_pdf --runs 5

lint: $(VENV)/.dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
