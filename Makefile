# Fitting models by optimization: the two commands of the README.
#   make lab    create .venv from the lock on first use, then open the course in JupyterLab
#   make test   the same bootstrap, then lint, the static site, unit tests, nbval over every notebook,
#               browser test
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
# Jupyter refuses to run as root unless told to (containers, some lab machines).
ROOTFLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Commands run with the venv first on PATH (kernels, jupyter), without activating it.
VENVRUN := env PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: lab test lint unit nbval browser site bench lock execute clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml binder/overrides.json
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

lab: $(STAMP)
	$(VENVRUN) jupyter lab --port=$(PORT) $(ROOTFLAG) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

test: lint site unit nbval browser

lint: $(STAMP)
	$(VENVRUN) ruff check course_utils tests benchmarks tools notebooks

unit: $(STAMP)
	$(VENVRUN) MPLBACKEND=Agg python -m pytest tests course_utils --doctest-modules --ignore=tests/browser -q

nbval: $(STAMP)
	$(VENVRUN) python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks -q -p no:cacheprovider

browser: $(STAMP)
	$(VENVRUN) python tests/browser/ensure_browser.py
	$(VENVRUN) python -m pytest tests/browser -q -p no:cacheprovider

# The static site for self-study readers, from the committed notebooks (nothing is executed).
site: $(STAMP)
	$(VENVRUN) python tools/site.py

bench: $(STAMP)
	$(VENVRUN) python benchmarks/run_all.py

# Re-run every notebook top to bottom in a fresh kernel and store its outputs.
execute: $(STAMP)
	$(VENVRUN) python tools/execute_notebooks.py

# Regenerate the derived pin lists after editing requirements.txt.
lock:
	$(PYTHON) tools/pins.py --write

clean:
	rm -rf $(VENV)
