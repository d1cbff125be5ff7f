# Mutualise — the two commands of the README:
#   make run    install into .venv, migrate, seed the demo, serve on http://127.0.0.1:8000
#   make test   run the whole suite (SQLite by default; DATABASE_URL / REDIS_URL for real servers)
# and, after changing user-facing strings:
#   make messages  update locale/fr/LC_MESSAGES/django.po, then compile it to django.mo
#                  (needs gettext: apt-get install gettext). Translate every new or fuzzy
#                  entry of the .po and run it again; commit both files.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEMO_ENV := DJANGO_DEBUG=1 MUTUALISE_DEMO=1

.PHONY: run test install check-python lint messages

check-python:
	@$(PYTHON) scripts/check_python.py

$(VENV)/.installed: pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# Only the project's own sources: never the virtualenv, local state, benchmarks or tests.
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=node_modules

messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l fr --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l fr $(MESSAGES_IGNORE)
