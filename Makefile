# The CRM workbook. Two commands matter: `make lab` and `make test`.
# Every target first makes sure .venv exists and holds crmlib with its [dev] and [book] extras,
# installed under the tested constraints; the install is redone only when pyproject.toml or the
# constraints change (or .venv is missing).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmlib-installed
# Keep Jupyter/IPython/matplotlib state of test runs out of the user's home.
# tests/_site/sitecustomize.py: a second of CPU less in each of the ~40 Python processes of a run
TESTENV := CRMLIB_STRICT_CHECKS=1 MPLBACKEND=Agg PYTHONPATH=$(CURDIR)/tests/_site$(if $(PYTHONPATH),:$(PYTHONPATH))

# The exact versions CI passed with, so that a class installs next semester what was tested:
# constraints.txt (CI's Python, 3.11, and newer), constraints-oldest.txt on Python 3.10 (the lower
# bounds of pyproject.toml, which .ci/other-pythons tests there; numpy and pandas of
# constraints.txt no longer support 3.10). `make venv CONSTRAINTS=` installs the newest releases
# instead; `make constraints` refreshes constraints.txt from them.
ifeq ($(origin CONSTRAINTS),undefined)
CONSTRAINTS := $(shell $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) -c \
	'import sys; print("constraints-oldest.txt" if sys.version_info < (3, 11) else "constraints.txt")')
endif

# Held back when the newest releases are installed (make constraints): matplotlib 3.11 draws text glyph
# by glyph in Python, 2-3x slower for every explorer interaction (constraints.txt says more).
HOLDS := "matplotlib<3.11"

.PHONY: lab test test-ui test-fast lint format constraints outputs book bench data editions release wheel clean distclean venv help

help:
	@echo "make lab      open the workbook in JupyterLab"
	@echo "make test     run the whole test suite (library, doctests, notebooks, parameter variants)"
	@echo "make test-fast  library tests and doctests only (no notebook, kernel or browser)"
	@echo "make test-ui  browser tests only: each chapter in JupyterLab + headless Chromium (installs chromium if missing)"
	@echo "make lint     ruff: lint findings and unformatted files (what CI checks first)"
	@echo "make format   ruff: apply the safe lint fixes and the formatter"
	@echo "make constraints  reinstall .venv with the newest releases and write their versions to constraints.txt"
	@echo "make outputs  re-execute every notebook into build/executed/ (committed notebooks stay output-free)"
	@echo "make book     execute every chapter and case and build the HTML book (English and Chinese) into build/book/"
	@echo "make bench    run the benchmarks in benchmarks/"
	@echo "make data     regenerate the committed datasets (byte-identical)"
	@echo "make editions regenerate the Chinese editions (notebooks/zh/) from the English notebooks and their texts"
	@echo "make release  rewrite the student copies in student/ (solutions removed, outputs cleared)"
	@echo "make wheel    build dist/crmlib-<version>-py3-none-any.whl (crmlib with its datasets) for students without git"
	@echo "make clean    remove build products; make distclean also removes .venv"

venv: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(if $(CONSTRAINTS),-c $(CONSTRAINTS),$(HOLDS)) -e ".[dev,book]"
	@touch $(STAMP)

# A fresh .venv with the newest releases that pyproject.toml admits, frozen into constraints.txt.
# Run `make test` with it, and commit constraints.txt when it passes: CI then installs exactly that.
constraints:
	rm -rf $(VENV)
	$(MAKE) venv CONSTRAINTS=
	@{ echo "# Exact versions of everything .venv holds besides crmlib (pip freeze --exclude-editable), installed"; \
	   echo "# by make with -c constraints.txt. Written by 'make constraints' on $$(date -u +%F) with"; \
	   echo "# $$($(BIN)/python -V) on $$(uname -sm); committed after 'make test' passed with them."; \
	   $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt
	@touch $(STAMP)
	@echo "constraints.txt written: now run make test, and commit it if the tests pass"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# JupyterLab refuses to run as root without --allow-root (containers, CI machines).
ROOTFLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# JupyterLab's defaults for this venv (its app settings folder): no pop-up asking to fetch Jupyter
# news and no update check when the workbook opens (a user's own settings still win).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_OVERRIDES): $(STAMP)
	@mkdir -p $(dir $@)
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $@

# Serve the whole repository (notebooks/, casework/, datasets/) and open the start page.
lab: $(STAMP) $(LAB_OVERRIDES)
	$(BIN)/jupyter lab $(ROOTFLAG) --ServerApp.root_dir="$(CURDIR)" --LabApp.news_url=None \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

test: $(STAMP)
	$(TESTENV) $(BIN)/python -m pytest -q

# Browser tests only (tests/ui). Chromium comes from the distribution (never `playwright install`):
# .ci/install-chromium installs Debian's package when we are root, otherwise prints the command and
# stops. CRMLIB_REQUIRE_BROWSER=1: here a missing browser is a failure, not a skip.
test-ui: $(STAMP)
	@sh .ci/install-chromium
	$(TESTENV) CRMLIB_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/ui

# Library tests and doctests only: no notebook, no kernel, no browser (markers in pyproject.toml).
test-fast: $(STAMP)
	$(TESTENV) $(BIN)/python -m pytest -q -m "not notebook and not ui and not slow"

outputs: $(STAMP)
	@mkdir -p build/executed
	@for nb in notebooks/*.ipynb $(wildcard casework/*.ipynb notebooks/zh/*.ipynb casework/zh/*.ipynb); do \
		out=build/executed/$${nb#*/}; mkdir -p $$(dirname $$out); \
		echo "executing $$nb"; \
		$(BIN)/papermill --cwd $$(dirname $$nb) -k python3 $$nb $$out || exit 1; \
	done

# The HTML book, English and Chinese editions: every chapter and case executed once with its
# defaults, then built by Sphinx + MyST-NB (crmlib/book.py; checked by tests/test_book.py), with
# Sphinx's warnings as errors. Works offline: open build/book/index.html.
book: $(STAMP)
	$(BIN)/crmlib book --out build/book --strict

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

data: $(STAMP)
	$(BIN)/crmlib data regenerate

# The editions in other languages (notebooks/zh/ …): each generated from its English notebook and
# the text file notebooks/zh/text/<stem>.md (crmlib/editions.py; checked by tests/test_editions.py).
editions: $(STAMP)
	$(BIN)/crmlib editions

# Student copies of every chapter and case, and of their editions (checked by tests/test_instructor.py).
release: $(STAMP)
	$(BIN)/crmlib release notebooks --out student/notebooks
	$(BIN)/crmlib release casework --out student/casework
	@for d in $(wildcard notebooks/zh casework/zh); do \
		echo "$(BIN)/crmlib release $$d --out student/$$d"; $(BIN)/crmlib release $$d --out student/$$d || exit 1; \
	done

# One file a student installs crmlib and the bundled datasets from (README: Student set-up):
# `pip install crmlib-<version>-py3-none-any.whl` (its dependencies come from the package index).
# pip builds it with the setuptools that pyproject.toml asks for (tests/test_instructor.py runs this
# recipe and installs the wheel into a throw-away venv).
wheel: $(STAMP)
	rm -rf dist build/lib
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	@ls dist/*.whl

clean:
	rm -rf build dist .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
