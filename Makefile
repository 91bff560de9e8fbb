# eventsapp — the two commands: `make run` (demo on 127.0.0.1:5000) and `make test`.
# `make run PORT=5001` serves on another port (the links in mails and QR codes follow it);
# `make mailbox` prints the mails the demo sends (tools/mailbox.py).
PORT      ?= 5000
MAIL_PORT ?= 1025
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app eventsapp
PYTHON ?= python3
# Registrations per size of bench/reports.py (default 10000 100000 1000000).
BENCH_SIZES ?=

.PHONY: run test install assets messages translations bench clean mailbox

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Browser libraries come from npm (package-lock.json) and are copied into static/vendor/.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The QR decoder of the scanner page: barcode-detector's ponyfill (zxing-cpp in WebAssembly)
# and exactly the zxing-wasm reader it pins, served from one folder (no CDN).
VENDOR_QR := static/vendor/barcode-detector

assets: node_modules/.installed
	mkdir -p static/vendor $(VENDOR_QR)
	cp node_modules/barcode-detector/dist/iife/ponyfill.js $(VENDOR_QR)/ponyfill.js
	cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm $(VENDOR_QR)/zxing_reader.wasm

# Re-extract the _() / _l() strings into messages.pot, the catalogues' template (kept in the
# repository), and merge it into the catalogues; then translate the new entries and run
# `make translations`. No #: locations and no dated header, so that the diffs stay small.
# The files are listed because babel.cfg's patterns are relative to the current directory
# (so neither .venv nor node_modules is scanned).
I18N_SOURCES = $(sort $(shell find eventsapp templates -name '*.py' -o -name '*.html'))

messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--omit-header -o eventsapp/translations/messages.pot $(I18N_SOURCES)
	$(VENV)/bin/pybabel update -i eventsapp/translations/messages.pot -d eventsapp/translations \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

translations: install
	$(VENV)/bin/pybabel compile --statistics -d eventsapp/translations

run: install assets translations
	$(FLASK) db upgrade
	$(FLASK) demo
	FLASK_MAIL_SEND_AFTER_REQUEST=true FLASK_PUBLIC_BASE_URL=$${FLASK_PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Prints every mail the app sends; run the app with FLASK_MAIL_PORT=$(MAIL_PORT) to send there.
mailbox: install
	$(PY) tools/mailbox.py --port $(MAIL_PORT)

# The floors (import-linter) and ruff first (pyproject.toml has their settings), then the suite.
test: install assets translations
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check
	$(PY) -m pytest

# Load test under gunicorn + PostgreSQL + Redis, driven by wrk (Debian's package).
bench: install
	command -v wrk >/dev/null || apt-get install -y -q wrk
	$(PY) bench/run.py
	$(PY) bench/load.py
	$(PY) bench/reports.py $(BENCH_SIZES)

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache .import_linter_cache .grimp_cache
