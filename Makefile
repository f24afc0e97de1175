# clusterbase: `make run` serves the demo, `make test` runs the suite. Both install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: install assets run serve migrate demo test test-wide test-postgres bench load lint schema worker beat messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# GraphiQL's bundles, pinned and checked (api/graphql/ide.py); skipped with a note when npm is missing.
ASSETS_STAMP := var/vendor/.installed-$(shell cksum api/graphql/ide_assets.json | cut -d' ' -f1)
$(ASSETS_STAMP): api/graphql/ide_assets.json | $(STAMP)
	$(BIN)/python -m api.graphql.ide fetch

assets: $(ASSETS_STAMP)

install: $(STAMP) $(ASSETS_STAMP)

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
	@echo "  Admin         http://$(HOST)/admin/  (the demo admin login above)"
	@echo "  Health        http://$(HOST)/healthz  http://$(HOST)/readyz"
	@echo "  Paste the export lines above into your shell: the README's examples use them."
	@echo ""
	$(BIN)/python manage.py runserver $(HOST)

# The production server: gunicorn with production settings unless DJANGO_SETTINGS_MODULE says
# otherwise (needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; see the README's deployment section).
serve: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 --settings $${DJANGO_SETTINGS_MODULE:-config.settings.production}
	$(BIN)/gunicorn -c config/gunicorn.py config.wsgi

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

# A Celery worker. Development settings unless DJANGO_SETTINGS_MODULE is set; a deployment
# runs `celery -A config worker` (production settings).
worker: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config worker --loglevel=INFO

# A bounded load test (50 clients, one minute) against gunicorn on PostgreSQL with a Celery worker;
# prints throughput, p50/p95/p99 per request kind and the error count. Not part of CI.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clusterbase_load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/9
LOAD_STAMP := $(VENV)/.installed-load-$(shell cksum pyproject.toml | cut -d' ' -f1)
$(LOAD_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,load]"
	@touch $(LOAD_STAMP)

load: install $(LOAD_STAMP)
	$(BIN)/python -m benchmarks.load --database-url $(LOAD_DATABASE_URL) --redis-url $(LOAD_REDIS_URL) $(LOAD_ARGS)

# The Celery beat scheduler: the daily reminders, late notices and digests, and the sweep that
# stores figures a lost task left missing (one process; development settings unless set).
beat: install
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

# Translators only (needs GNU gettext): refresh the report and mail catalogues and compile
# them. The compiled .mo files are committed, so installing and running need no gettext.
messages: install
	cd reports && ../$(BIN)/python ../manage.py makemessages -l en -l es -l nb
	cd reports && ../$(BIN)/python ../manage.py compilemessages
	cd notifications && ../$(BIN)/python ../manage.py makemessages -l en -l es -l nb
	cd notifications && ../$(BIN)/python ../manage.py compilemessages

# Lint, formatting, types, and the two generated artefacts checked for drift.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py export_graphql_schema --check
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml

clean:
	rm -rf $(VENV) db.sqlite3 var .pytest_cache
