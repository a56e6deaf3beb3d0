# Two commands for a fresh machine with Python 3.11+ and Node.js: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run dev test audit worker beat lint format messages check-deploy load load-steps bench bench-inprocess backup restore clean

install: $(VENV)/.installed node_modules/.installed

# LDAP sign-in (the `ldap` extra) compiles python-ldap, so it comes along only where OpenLDAP's
# headers are installed (Debian: libldap2-dev libsasl2-dev; CI installs them).
comma := ,
EXTRAS := test$(if $(wildcard /usr/include/ldap.h),$(comma)ldap)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The quick start, safe to try on a school's network: DEBUG off, a secret key made once under
# var/, static files collected and served by whitenoise. Demo data goes only into an empty
# database; rows users made are never touched. Others on the network: HOST=0.0.0.0 and
# ALLOWED_HOSTS=<this machine's address>.
RUN_SETTINGS := DJANGO_SETTINGS_MODULE=config.settings.run
run: install
	$(RUN_SETTINGS) $(BIN)/python manage.py migrate --noinput
	$(RUN_SETTINGS) $(BIN)/python manage.py seed_demo --if-empty
	$(RUN_SETTINGS) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_SETTINGS) $(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
		--workers 1 --threads 8 --access-logfile - --log-level warning

# Development: DEBUG on, the autoreloading runserver, the demo data seeded (idempotent).
dev: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# Known vulnerabilities in the installed Python packages (pip-audit; needs the network). Fails
# on a vulnerability; an unreachable vulnerability service is reported, not failed.
audit: install
	$(BIN)/python .ci/audit.py

# Only needed when REDIS_URL is set; without it jobs run inside the web process.
worker: install
	$(BIN)/celery -A config worker -l info -c 2

beat: install
	$(BIN)/celery -A config beat -l info

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=node_modules --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=gugan.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Key pages and documents on the large dataset, written into docs/BENCHMARKS.md. Build the
# dataset once (about 20 minutes on 2 cores) in a database of its own:
#   createdb gugan_bench
#   DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python manage.py migrate
#   DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python manage.py seed_bench --schools 200 --teachers 20000 --years 5
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gugan_bench
BENCH_REPEAT ?= 20
# `make bench` writes to the database (a `city` login, sessions): point it at a copy,
#   createdb -T gugan_bench gugan_bench_x; make bench BENCH_DATABASE_URL=postgres://.../gugan_bench_x
# Gugan and the floor (bench/floor/) under gunicorn, wrk at concurrency 1 and 8 (about 12 min).
BENCH_DURATION ?= 10
BENCH_WORKERS ?= 2
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/serve.py --duration $(BENCH_DURATION) \
		--workers $(BENCH_WORKERS) --write docs/BENCHMARKS.md

# The earlier in-process measurement (Django's test client, no server) and the documents.
bench-inprocess: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/pages.py --repeat $(BENCH_REPEAT) \
		--write docs/BENCHMARKS.md

# Load test: gunicorn on loopback only (LOAD_PORT) over the database DATABASE_URL points at
# (run `manage.py seed_demo` on it first), driven by bench/locustfile.py for at most LOAD_TIME;
# prints throughput, p95 and the error count. The server is stopped afterwards.
LOAD_PORT ?= 8766
LOAD_USERS ?= 50
LOAD_TIME ?= 2m
LOAD_WORKERS ?= 3
load: install
	$(BIN)/python bench/load_users.py
	DEBUG=false $(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(LOAD_PORT) \
		--workers $(LOAD_WORKERS) --log-level warning & server=$$!; \
	trap 'kill $$server' EXIT; \
	$(BIN)/locust -f bench/locustfile.py --headless --host http://127.0.0.1:$(LOAD_PORT) \
		--users $(LOAD_USERS) --spawn-rate 5 --run-time $(LOAD_TIME) --stop-timeout 5 --only-summary

# Capacity: the same scenario raised step by step (LOAD_STEPS users, LOAD_STEP_SECONDS each)
# until the pages' p95 passes LOAD_LIMIT_MS, through gunicorn with config/gunicorn.py; prints a
# row per step (throughput, p50, p95, errors, app and PostgreSQL CPU per request) and the
# capacity. bench/locust_steps.py says how each step is measured. The workers are not recycled
# and keep their database connections, so that the CPU they and their backends use is counted.
LOAD_STEPS ?= 25,50,100,200,400
LOAD_STEP_SECONDS ?= 60
LOAD_LIMIT_MS ?= 300
load-steps: install
	$(BIN)/python bench/load_users.py
	DEBUG=false GUNICORN_BIND=127.0.0.1:$(LOAD_PORT) WEB_CONCURRENCY=$(LOAD_WORKERS) \
		GUNICORN_MAX_REQUESTS=0 CONN_MAX_AGE=3600 \
		$(BIN)/gunicorn -c config/gunicorn.py config.wsgi:application & server=$$!; \
	trap 'kill $$server' EXIT; \
	LOAD_SERVER_PID=$$server LOAD_STEPS=$(LOAD_STEPS) LOAD_STEP_SECONDS=$(LOAD_STEP_SECONDS) \
		LOAD_LIMIT_MS=$(LOAD_LIMIT_MS) $(BIN)/locust -f bench/locust_steps.py --headless \
		--host http://127.0.0.1:$(LOAD_PORT) --only-summary

# Backups: the database and every stored file in one archive under BACKUP_DIR, safe while the
# app runs (pg_dump's snapshot; SQLite's online backup). `make restore FILE=...` restores into
# a new, empty database and file store; `manage.py backup --check FILE` verifies an archive.
# Both use the settings `make run` uses unless DJANGO_SETTINGS_MODULE says otherwise.
BACKUP_DIR ?= var/backups
SETTINGS_FOR_OPS := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.run}
backup: install
	$(SETTINGS_FOR_OPS) $(BIN)/python manage.py backup --output $(BACKUP_DIR)

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/gugan-backup-....tar"; exit 2; }
	$(SETTINGS_FOR_OPS) $(BIN)/python manage.py restore $(FILE)

clean:
	rm -rf $(VENV) node_modules var
