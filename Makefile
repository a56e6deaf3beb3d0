# Two commands for a fresh machine with Python 3.11+ and Node.js: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test worker beat lint format messages check-deploy clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

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

clean:
	rm -rf $(VENV) node_modules var
