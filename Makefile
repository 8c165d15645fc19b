# Plume: `make run` serves the demo blog on SQLite (with a task worker), `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

# `make run` is a local server over plain HTTP: debug on unless DEBUG=0 is given, and
# never the HTTPS-only settings production gets by default (see README, "Production").
RUN_ENV := DJANGO_SETTINGS_MODULE=plume.settings DEBUG=$${DEBUG:-1} \
	SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0} \
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-0}

# The development set (tests, lint, benchmarks) on top of the runtime one, and the page
# validators from npm (package.json; --ignore-scripts: vnu-jar's postinstall would download a Java).
DEV := $(VENV)/.dev-installed
CHECKERS := node_modules/.package-lock.json

.PHONY: run dev test lint format migrate demo messages clean bench bench-wordpress bench-spam

# `make run` needs the runtime requirements only: a newcomer's first visit takes seconds.
$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(BIN)/activate

$(DEV): $(BIN)/activate requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(DEV)

$(CHECKERS): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the HTML and accessibility checks will be skipped"; fi

dev: $(DEV) $(CHECKERS)

# The demo's admin login is printed by the server itself, right before its address.
run: $(BIN)/activate
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	@$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@# A task worker beside the server (e-mail goes through it), stopped with the server.
	@$(RUN_ENV) $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	notice="$$($(RUN_ENV) $(BIN)/python manage.py demo)" && \
	PLUME_DEMO_NOTICE="$$notice" $(RUN_ENV) $(BIN)/python manage.py demo_server $(HOST)

test: $(DEV) $(CHECKERS)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing a user-facing string (needs gettext): update the catalogues, translate
# locale/fr/LC_MESSAGES/django.po, then compile; the .mo files are committed.
messages: $(BIN)/activate
	@$(RUN_ENV) $(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=staticfiles --ignore=node_modules
	@$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

# Benchmarks (bench/, README "Benchmarks"): PostgreSQL, Redis, wrk and Varnish are installed and
# started when missing; the data set is generated once and reused.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/plume_bench
bench: $(DEV)
	bench/services.sh $(BENCH_DATABASE_URL)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.generate $(BENCH_GENERATE_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.run $(BENCH_ARGS)

# WordPress side by side (README, "Benchmarks"): Debian's WordPress, php-fpm and nginx are
# installed and MariaDB started when missing; Plume's data set gets a database of its own,
# smaller than `make bench`'s, and WordPress is loaded with the same content.
BENCH_WORDPRESS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/plume_bench_wordpress
BENCH_WORDPRESS_GENERATE_ARGS ?= --posts 2000 --comments 20000
bench-wordpress: $(DEV)
	bench/services.sh $(BENCH_WORDPRESS_DATABASE_URL)
	bench/wordpress.sh
	DATABASE_URL=$(BENCH_WORDPRESS_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(BENCH_WORDPRESS_DATABASE_URL) $(BIN)/python -m bench.generate $(BENCH_WORDPRESS_GENERATE_ARGS)
	DATABASE_URL=$(BENCH_WORDPRESS_DATABASE_URL) $(BIN)/python -m bench.compare $(BENCH_WORDPRESS_ARGS)

# The local spam filter (comments/bayes.py) on a generated French set: precision and recall
# on a held-out part, written into bench/RESULTS.md. Pure Python: no database, no service.
bench-spam: $(BIN)/activate
	$(BIN)/python -m bench.spam --write $(BENCH_SPAM_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache node_modules tests/screenshots
