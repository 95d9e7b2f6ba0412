# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in every link of the e-mails `make run` prints: follows HOST and PORT.
PORTAL_URL ?= http://$(HOST):$(PORT)
PYTEST_WORKERS ?= auto

.PHONY: run test install install-pip lint format messages translations check-deploy backup restore clean

## run: a running portal at http://127.0.0.1:8000 on SQLite with the seed data and a demo login;
## the scheduler's periodic work (reminders, notices, invitations, sweeps) runs beside the web
## server and stops with it (Ctrl-C stops both).
run: install translations
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_seed_data
	DEBUG=true PORTAL_URL=$(PORTAL_URL) $(BIN)/python manage.py create_demo_secretariat
	DEBUG=true PORTAL_URL=$(PORTAL_URL) $(BIN)/python manage.py run_scheduler --parent-pid $$$$ & \
	trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	DEBUG=true PORTAL_URL=$(PORTAL_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: the whole suite (SQLite unless DATABASE_URL / REDIS_URL point at real servers), in
## parallel processes (pytest-xdist; PYTEST_WORKERS=0 runs it in this one process).
test: install translations
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## install: the locked dependencies (uv.lock) in .venv; only re-syncs when the lock changes.
install: $(VENV)/.synced

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: uv.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv sync --frozen --quiet
	touch $@

## install-pip: the same locked versions without uv, from requirements.txt (exported from uv.lock).
install-pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	touch $(VENV)/.synced

requirements.txt: uv.lock
	$(BIN)/uv export --frozen --all-groups --format requirements-txt --quiet --output-file $@

## translations: compile the committed .po files into .mo (pure Python, no gettext needed).
translations: install
	DEBUG=true $(BIN)/python manage.py compile_translations

## messages: refresh the .po files from the code and templates (needs GNU gettext).
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages --locale fr --locale es --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" --no-obsolete

## lint: ruff, and import-linter holding the layers (pyproject.toml, [tool.importlinter]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## check-deploy: Django's deployment checklist with production-like variables.
check-deploy: install
	DEBUG=false SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=portal.example.org \
	  DATABASE_URL=postgres://untfsse@127.0.0.1/untfsse $(BIN)/python manage.py check --deploy --fail-level WARNING

## backup: the database and every uploaded file into BACKUP_ROOT, with a manifest; then the
## retention. The same command as docker-compose's backup service (README, "Backups and restore").
backup: install
	$(BIN)/python manage.py backup

## restore: BACKUP=<backup folder or name> into an empty database and empty folders (FORCE=1
## erases them first), then verifies every table and file against the backup's manifest.
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=<backup folder> [FORCE=1]" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)"$(if $(filter 1 true yes,$(FORCE)), --force)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
