# Quick start: `make run` (set up the environment, run the default scan), `make test` (set up,
# lint, run the test suite).
VENV ?= .venv
CORES ?= all
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: run test lint mutation env env-htcondor dag images

env: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip>=24"
	$(VENV)/bin/pip install --quiet --only-binary=pythia8mc -r requirements.txt -r requirements-dev.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

# The HTCondor executor plugin and bindings, for HTCondor access points (profiles/htcondor).
env-htcondor: env
	$(VENV)/bin/pip install --quiet --no-deps -r requirements-htcondor.txt

run: env
	snakemake --cores $(CORES)
	@python -m bsmflow.infer.jobs results/summary/mass_limit.json

# Style and workflow checks; any finding fails (and so fails `make test`).
lint: env
	ruff check .
	ruff format --check .
	snakefmt --check workflow/Snakefile rules
	snakemake --lint
	lint-imports

test: lint
	pytest

# Mutation testing of the reconstruction, selection, analysis and summary-table code against its
# fast unit tests (configured in pyproject.toml; ~10 minutes on 2 cores; not part of make test).
mutation: env
	$(VENV)/bin/pip install --quiet mutmut==3.8.1
	rm -rf mutants
	mutmut run --max-children 2
	python bench/mutation_score.py

dag: env
	snakemake --rulegraph --config generator=pythia | dot -Tsvg > workflow/report/rulegraph.svg

# Apptainer images of containers/*.def (needs apptainer; names carry the image versions that
# config/config.yaml refers to).
images:
	apptainer build containers/bsmflow-hep_0.1.0.sif containers/bsmflow-hep.def
	apptainer build containers/bsmflow-madgraph_3.5.7-0.1.0.sif containers/bsmflow-madgraph.def
