# Quick start: `make run` (set up the environment, run the default scan), `make test`.
VENV ?= .venv
CORES ?= all
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: run test env dag images

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
	snakemake --rulegraph --config generator=pythia | dot -Tsvg > workflow/report/rulegraph.svg

# Apptainer images of containers/*.def (needs apptainer; names carry the image versions that
# config/config.yaml refers to).
images:
	apptainer build containers/bsmflow-hep_0.1.0.sif containers/bsmflow-hep.def
	apptainer build containers/bsmflow-madgraph_3.5.7-0.1.0.sif containers/bsmflow-madgraph.def
