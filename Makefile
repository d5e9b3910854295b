# The two commands: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes (pytest-xdist); `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto

.PHONY: run test lint format messages install install-test clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@echo "First run: creating .venv and installing the dependencies (this takes a few minutes)."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make a second `make` skip the install unless pyproject.toml changed.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Links in emails and the demo's instructions point at the port being served.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Loading the demo..."
	@$(BIN)/python manage.py demo > var/demo-logins.txt
	@# The demo's own messages (its history) are sent now, into a file, not over the logins.
	@$(BIN)/python manage.py db_worker --batch --no-startup-delay > var/demo-messages.log 2>&1
	@echo "Starting the task worker, the periodic jobs and the web server on http://127.0.0.1:$(PORT)/ (Ctrl+C stops all three)"
	@$(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	  $(BIN)/python manage.py run_periodic --loop 60 --verbosity 0 & periodic=$$!; \
	  $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT) & server=$$!; \
	  trap 'kill $$worker $$periodic $$server 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python scripts/wait_for_port.py $(PORT); \
	  echo; cat var/demo-logins.txt; \
	  echo "Open http://127.0.0.1:$(PORT)/ and sign in. Messages (a parent's sign-in code, alerts) print below."; \
	  wait $$server

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=babysteps.test_settings $(BIN)/pytest -n $(TEST_WORKERS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Gather every marked string into the catalogues (then translate the parent-facing ones:
# tests/portal/test_languages.py names any left), and compile them.
messages: $(VENV)/.installed-test
	$(BIN)/python manage.py makemessages -l cy -l pl -l ur -e html,txt,py --add-location=file --no-obsolete \
	  --ignore=".venv/*" --ignore="tests/*" --ignore="bench/*" --ignore="scripts/*"
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
