# Two commands matter: `make demo` (try the bot in the terminal) and `make test` (every check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types pytest locales run clean bench fonts

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/salesbot sandbox

run: $(STAMP)
	$(BIN)/salesbot run

test: fonts lint types pytest

# The Chinese font printable documents and charts are drawn in (bot/documents/fonts.py finds it at run
# time): Debian's fonts-wqy-microhei, installed with apt when it is missing (quiet unless apt
# fails, then its own words say why).
fonts:
	@if ! dpkg-query -W -f '$${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "ok installed"; then \
		as_root=""; if [ "$$(id -u)" -ne 0 ]; then as_root="sudo"; fi; \
		if ! log=$$($$as_root apt-get update -qq 2>&1 && $$as_root env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends fonts-wqy-microhei 2>&1); then \
			echo "$$log" >&2; echo "install the Debian package fonts-wqy-microhei" >&2; exit 1; \
		fi; \
	fi

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
