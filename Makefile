# Media-framing workbook. `make` lists the targets.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg
EXAMPLE := examples/ukraine
EXAMPLE_OUT := output/examples/ukraine

.PHONY: help setup report examples test unit check run bench bench-report clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned dependencies and the package (editable)

report: setup ## Execute every notebook headless in place; write every figure and table to figures/
	$(BIN)/python -m analysis report

examples: setup ## Execute every notebook on the Russia-Ukraine example corpus into output/examples/ukraine/
	$(BIN)/python -m analysis report --seeds $(EXAMPLE) --out $(EXAMPLE_OUT)

test: setup ## Run the unit and integration tests, nbval on every notebook, then nbval on the example's notebooks
	$(BIN)/python -m pytest tests $(NBVAL) notebooks
	$(BIN)/python -m analysis report --seeds $(EXAMPLE) --out $(EXAMPLE_OUT)
	FRAMING_SEEDS=$(EXAMPLE) $(BIN)/python -m pytest -p no:cacheprovider $(NBVAL) $(EXAMPLE_OUT)/notebooks

unit: setup ## Run the tests without the notebooks
	$(BIN)/python -m pytest tests

check: setup ## Validate seeds/, the manifest, the lexicon and the actor list
	$(BIN)/python -m analysis check

run: setup ## Compute every table and figure without Jupyter into output/ (cached, with methods.md)
	$(BIN)/python -m analysis run

bench: setup ## Benchmarks on a generated corpus of DOCS articles (default 2000); not part of the tests
	$(BIN)/python benchmarks/bench.py --docs $(or $(DOCS),2000)

bench-report: setup ## report and run at 100, 1,000 and 10,000 generated articles: seconds and peak MiB
	$(BIN)/python benchmarks/bench_report.py --sizes $(or $(SIZES),100,1000,10000)

clean: ## Remove the virtual environment and caches (never figures/ or seeds/)
	rm -rf $(VENV) .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
