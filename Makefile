# Fitting models by optimization: the two commands of the README.
#   make lab    create .venv from the lock on first use, then open the course in JupyterLab
#   make test   the same bootstrap, then lint, the static site, unit tests, nbval over every notebook,
#               browser test
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
PORT ?= 8888
# Jupyter refuses to run as root unless told to (containers, some lab machines).
ROOTFLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Commands run with the venv first on PATH (kernels, jupyter), without activating it.
VENVRUN := env PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: lab test lint unit nbval nbval-ulp browser site bench lock execute clean mutation

# `make lab` installs only what the course needs (requirements.txt and course_utils); the test and
# lint tools (requirements-dev.txt) come with the targets that use them. Quiet: a newcomer's first
# screen shows JupyterLab's URL, not pip's notices or setuptools' editable-install banner.
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
$(STAMP): requirements.txt pyproject.toml binder/overrides.json
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade "pip>=24"
	$(PIP) -r requirements.txt
	PYTHONWARNINGS="ignore:Editable installation" $(PIP) --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

$(DEVSTAMP): $(STAMP) requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $(DEVSTAMP)

lab: $(STAMP)
	$(VENVRUN) jupyter lab --port=$(PORT) $(ROOTFLAG) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

test: lint site unit nbval nbval-ulp browser

lint: $(DEVSTAMP)
	$(VENVRUN) ruff check course_utils tests benchmarks tools notebooks

unit: $(DEVSTAMP)
	$(VENVRUN) MPLBACKEND=Agg python -m pytest tests course_utils --doctest-modules --ignore=tests/browser -q

nbval: $(DEVSTAMP)
	$(VENVRUN) python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks -q -p no:cacheprovider

# The same strict nbval with numpy's exp, log, sin, cos, expm1, log1p, tanh, sum, mean moved by +-1 ulp
# (tools/ulp/sitecustomize.py), in some results and then in all: what another CPU, OS or maths
# library may return. A stored output that changes under it would fail on a student's machine.
ULP_SEED ?= 0
nbval-ulp: $(DEVSTAMP)
	for mode in some all; do \
		echo "nbval with +-1 ulp in $$mode results (seed $(ULP_SEED))"; \
		$(VENVRUN) PYTHONPATH="$(CURDIR)/tools/ulp$${PYTHONPATH:+:$$PYTHONPATH}" COURSE_ULP_MODE=$$mode \
			COURSE_ULP_SEED=$(ULP_SEED) python -m pytest --nbval --nbval-current-env \
			--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks -q -p no:cacheprovider || exit 1; \
	done

browser: $(DEVSTAMP)
	$(VENVRUN) python tests/browser/ensure_browser.py
	$(VENVRUN) python -m pytest tests/browser -q -p no:cacheprovider

# The static site for self-study readers, from the committed notebooks (nothing is executed).
site: $(DEVSTAMP)
	$(VENVRUN) python tools/site.py

bench: $(DEVSTAMP)
	$(VENVRUN) python benchmarks/run_all.py

# Mutation testing (slow, not part of `make test`): mutmut mutates one module at a time and runs the
# fast unit tests that cover each mutant; configured in pyproject.toml [tool.mutmut]. One module:
#   make mutation MUTATE=grid      survivors: .venv/bin/mutmut results ; one diff: mutmut show NAME
MUTATE ?= models grid diagnostics optim exercises
MUTATION_CHILDREN ?= 1
mutation: $(DEVSTAMP)
	@for m in $(MUTATE); do \
		echo "== mutation testing course_utils/$$m.py"; \
		$(VENVRUN) MPLBACKEND=Agg mutmut run --max-children $(MUTATION_CHILDREN) "course_utils.$$m.*" \
			|| exit 1; \
	done
	$(VENVRUN) python tools/mutation_score.py $(MUTATE)

# Re-run every notebook top to bottom in a fresh kernel and store its outputs.
execute: $(DEVSTAMP)
	$(VENVRUN) python tools/execute_notebooks.py

# Regenerate the derived pin lists after editing requirements.txt.
lock:
	$(PYTHON) tools/pins.py --write

clean:
	rm -rf $(VENV)
