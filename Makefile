# Quick start: `make run` (set up the environment, run the default scan), `make test`.
VENV ?= .venv
CORES ?= all
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: run test env dag

env: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip>=24"
	$(VENV)/bin/pip install --quiet --only-binary=pythia8mc -r requirements.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

run: env
	snakemake --cores $(CORES)

test: env
	pytest

dag: env
	snakemake --rulegraph | dot -Tsvg > workflow/report/rulegraph.svg
