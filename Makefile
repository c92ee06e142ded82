# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here is for developers and operators (see README.md).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Local development runs with DEBUG on unless the environment says otherwise.
DEV_ENV := DEBUG=$${DEBUG:-1}

.PHONY: run test serve release serve-node cluster-check worker install venv migrate demo lint format messages bench bench-mail bench-forum bench-newsletter clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.3"

# Reinstall only when a requirements file changed.
$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt build-constraints.txt
	$(PY) -m pip install --quiet --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $@

venv install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

## Set everything up and serve the portal with demo content at http://127.0.0.1:8000
run: demo
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite (unit, view, admin and browser tests)
test: install
	$(BIN)/pytest -n auto -rs $(PYTEST_ARGS)

## Serve the production way on one machine: the release step, then gunicorn
serve: release serve-node

## The release step, once per deployment: migrate and collect static files
release: install
	DEBUG=$${DEBUG:-0} $(PY) manage.py release --verbosity 1

## One app server of several (after `make release` ran once): gunicorn only
serve-node: install
	DEBUG=$${DEBUG:-0} $(BIN)/gunicorn portal.wsgi:application --config portal/gunicorn.conf.py

## Prove the portal on two app servers behind nginx (PostgreSQL, Redis, a worker; see README)
cluster-check: install
	$(PY) ops/cluster_check.py $(CLUSTER_ARGS)

## A Celery worker with the scheduler of periodic tasks (needs CELERY_BROKER_URL)
worker: install
	@test -n "$$CELERY_BROKER_URL" || grep -qs '^CELERY_BROKER_URL=.' .env || { echo "make worker needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0); see README.md" >&2; exit 1; }
	DEBUG=$${DEBUG:-0} $(BIN)/celery -A portal worker --beat --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-.celerybeat-schedule} --loglevel=$${LOG_LEVEL:-INFO}

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The catalogues of the interface: every language but English (the source).
CATALOGUES := ru kk ky tg tk uz

## Refresh the message catalogues after changing user-facing text (all six languages)
messages: install
	$(DEV_ENV) $(PY) manage.py makemessages $(addprefix -l ,$(CATALOGUES)) --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests --ignore=test-artifacts
	$(DEV_ENV) $(PY) manage.py compilemessages $(addprefix -l ,$(CATALOGUES)) --ignore=.venv

## Benchmark the public pages at the network's real size (needs DATABASE_URL on PostgreSQL)
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

## Benchmark the outbox: bulk approval, 1,000 mails through a worker (PostgreSQL and Redis)
bench-mail: install
	$(PY) bench/mail.py

## Benchmark the forum's door: badges for 500 delegates, a check-in at 10,000 delegates
bench-forum: install
	$(PY) bench/forum.py

## Benchmark a newsletter to 7,000 recipients through a worker to a local SMTP server
bench-newsletter: install
	$(PY) bench/newsletter.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
