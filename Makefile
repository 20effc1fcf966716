# The CRM workbook. Two commands matter: `make lab` and `make test`.
# Every target first makes sure .venv exists and holds crmlib with its [dev] extra;
# the install is redone only when pyproject.toml changes (or .venv is missing).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmlib-installed
# Keep Jupyter/IPython/matplotlib state of test runs out of the user's home.
TESTENV := CRMLIB_STRICT_CHECKS=1 MPLBACKEND=Agg

.PHONY: lab test test-ui test-fast outputs book bench data release clean distclean venv help

help:
	@echo "make lab      open the workbook in JupyterLab"
	@echo "make test     run the whole test suite (library, doctests, notebooks, parameter variants)"
	@echo "make test-fast  library tests and doctests only (no notebook, kernel or browser)"
	@echo "make test-ui  browser tests only: each chapter in JupyterLab + headless Chromium (installs chromium if missing)"
	@echo "make outputs  re-execute every notebook into build/executed/ (committed notebooks stay output-free)"
	@echo "make book     execute every chapter and case and render the HTML book into build/book/index.html"
	@echo "make bench    run the benchmarks in benchmarks/"
	@echo "make data     regenerate the committed datasets (byte-identical)"
	@echo "make release  rewrite the student copies in student/ (solutions removed, outputs cleared)"
	@echo "make clean    remove build products; make distclean also removes .venv"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# JupyterLab refuses to run as root without --allow-root (containers, CI machines).
ROOTFLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# Serve the whole repository (notebooks/, casework/, datasets/) and open the start page.
lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOTFLAG) --ServerApp.root_dir="$(CURDIR)" \
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
	@for nb in notebooks/*.ipynb $(wildcard casework/*.ipynb); do \
		echo "executing $$nb"; \
		$(BIN)/papermill --cwd $$(dirname $$nb) -k python3 $$nb build/executed/$$(basename $$nb) || exit 1; \
	done

# The static HTML book: every chapter and case executed, one page each, a table of contents
# (crmlib/book.py; checked by tests/test_book.py). Works offline: figures are embedded.
book: $(STAMP)
	$(BIN)/crmlib book --out build/book

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

data: $(STAMP)
	$(BIN)/crmlib data regenerate

# Student copies of every chapter and case (checked by tests/test_instructor.py).
release: $(STAMP)
	$(BIN)/crmlib release notebooks --out student/notebooks
	$(BIN)/crmlib release casework --out student/casework

clean:
	rm -rf build .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
