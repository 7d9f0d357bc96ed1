# Quick start: `make run` (set up the environment, run the default scan), `make test` (set up,
# lint, run the whole test suite). While developing: `make check` (lint, unit tests and the tiny
# end-to-end workflow, a few minutes).
VENV ?= .venv
CORES ?= all
# the rules the shared output cache serves (bsmflow.provenance.CACHED_RULES; docs/caching.md)
CACHED_RULES = model_sm_ufo madgraph_process madgraph_gridpack madgraph_generate pythia_generate pythia_shower fastjet_cluster detector_response analyse_sample
export PATH := $(abspath $(VENV))/bin:$(PATH)
export NO_MKDOCS_2_WARNING := 1
# pytest on both cores; a test file's tests share one worker (and so its session fixtures)
PYTEST_PARALLEL ?= -n 2 --dist loadfile

.PHONY: run test check lint docs mutation env env-htcondor dag images

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
	@python -m bsmflow.plan describe --cores $(CORES)
	snakemake --cores $(CORES) $(if $(SNAKEMAKE_OUTPUT_CACHE),--cache $(CACHED_RULES))
	@python -m bsmflow.plan mass-limit

# Style, workflow, layer and documentation checks; any finding fails (and so fails `make test`).
lint: env
	ruff check .
	ruff format --check .
	snakefmt --check workflow/Snakefile rules
	snakemake --lint
	lint-imports
	mkdocs build --strict --quiet

# The documentation site in site/ (open site/index.html), or live with `mkdocs serve`.
docs: env
	mkdocs build --strict

# The fast lane: lint, the unit tests and the tiny end-to-end workflow.
check: lint
	pytest $(PYTEST_PARALLEL) tests/unit tests/docs tests/workflow/test_workflow.py

test: lint
	pytest $(PYTEST_PARALLEL)

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
