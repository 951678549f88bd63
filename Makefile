# Two commands matter: `make demo` (try the bot in the terminal) and `make test` (every check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types pytest locales run clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/salesbot sandbox

run: $(STAMP)
	$(BIN)/salesbot run

test: lint types pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

# Two workers: the machine has two cores, and the bot tier waits on HTTP half the time.
pytest: $(STAMP)
	$(BIN)/pytest -n 2

# Every benchmark script in bench/ in turn (minutes; by hand, never in CI). See bench/README.md.
bench: $(STAMP)
	for script in bench/[!_]*.py; do $(BIN)/python -m bench.$$(basename $$script .py) || exit 1; done

# Re-extract translatable strings and merge them into both catalogs (then translate zh).
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k Tr -k Label -k N_ -k edit_button --no-location --omit-header --width=100 \
		-o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete --width=100

clean:
	rm -rf $(VENV) sandbox.db sandbox.db-*
