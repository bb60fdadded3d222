# Taskboard: the two commands of the README, and a few helpers.
#   make demo   install, migrate, import the plan, create demo accounts, start web + worker + beat
#   make test   run the whole test suite (SQLite by default; PostgreSQL/Redis with DATABASE_URL/REDIS_URL)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint coverage coverage-gate messages clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Taskboard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py import_plan
	DEBUG=true $(BIN)/python manage.py load_demo
	DEBUG=true $(BIN)/python manage.py rundemo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The suite with coverage, then the gates. CI collects coverage during `make test` (PYTEST_ADDOPTS) and runs the gates.
coverage: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=
	$(MAKE) coverage-gate

# The access module is covered completely; each app's services/ (every write) at least 90 %.
COVERAGE_GATES := departments/access.py:100 departments/services/*:90 workflows/services/*:90 \
	notices/services/*:90 assessments/services/*:90 indicators/services/*:90
coverage-gate: $(STAMP)
	@$(BIN)/coverage report --skip-covered --format=total >/dev/null
	@for gate in $(COVERAGE_GATES); do \
	  files=$${gate%:*}; minimum=$${gate##*:}; \
	  total=$$($(BIN)/coverage report --include="$$files" --format=total --precision=1) || exit 1; \
	  printf '%-28s %6s %%  (gate %s %%)\n' "$$files" "$$total" "$$minimum"; \
	  $(BIN)/coverage report --include="$$files" --fail-under=$$minimum >/dev/null || \
	    { echo "coverage of $$files is below $$minimum %:"; $(BIN)/coverage report --include="$$files"; exit 1; }; \
	done
	@printf '%-28s %6s %%\n' "all apps" "$$($(BIN)/coverage report --format=total --precision=1)"

# Needs GNU gettext (apt-get install gettext). Chinese for new msgids goes in locale/translations_zh_hans.py.
messages: $(STAMP)
	DEBUG=true $(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	$(BIN)/python locale/build_catalogue.py

clean:
	rm -rf var
