# Plume: `make run` serves the demo blog on SQLite, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE ?= plume.settings

.PHONY: run test lint format migrate demo clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(BIN)/activate

run: $(BIN)/activate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST)

test: $(BIN)/activate
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/activate
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
