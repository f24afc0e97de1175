# clusterbase: `make run` serves the demo, `make test` runs the suite. Both install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: install run serve migrate demo test test-wide test-postgres bench lint schema worker beat messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "  REST API      http://$(HOST)/api/v1/programs/"
	@echo "  API docs      http://$(HOST)/api/docs/"
	@echo "  OpenAPI       http://$(HOST)/api/schema/"
	@echo "  GraphQL       http://$(HOST)/graphql/  (GraphiQL; send the token as a header)"
	@echo "  Admin         http://$(HOST)/admin/"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST)

serve: install
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the property tests (hypothesis marks them), randomized with five times the examples:
# the `wide` profile of conftest.py. `make test` runs them derandomized, the same every run.
test-wide: install
	$(BIN)/python -m pytest --hypothesis-profile=wide -m hypothesis $(PYTEST_ARGS)

# The suite against the machine's PostgreSQL and Redis, with a real Celery worker where a test needs one.
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
	CELERY_WORKER_TESTS=1 \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

# The Celery beat scheduler: the daily reminders, late notices and digests (one process).
beat: install
	@mkdir -p var
	$(BIN)/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

# Translators only (needs GNU gettext): refresh the mail catalogues and compile them. The
# compiled .mo files are committed, so installing and running need no gettext.
messages: install
	cd notifications && ../$(BIN)/python ../manage.py makemessages -l en -l es -l nb
	cd notifications && ../$(BIN)/python ../manage.py compilemessages

# Lint, formatting, types, and the two generated artefacts checked for drift.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py export_graphql_schema --check

clean:
	rm -rf $(VENV) db.sqlite3 var .pytest_cache
