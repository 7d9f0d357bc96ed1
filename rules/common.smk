import os

import bsmflow
from bsmflow.plan import ConfigError, build_study
from bsmflow.provenance import STAGES, code_digest
from snakemake.exceptions import WorkflowError
from snakemake.logging import logger

CONFIG_SCHEMA = f"{workflow.basedir}/schemas/config.schema.yaml"


def uses_apptainer():
    """True when Snakemake runs jobs in containers (--sdm apptainer)."""
    methods = getattr(workflow.deployment_settings, "deployment_method", None) or ()
    return any("apptainer" in str(method).lower() for method in methods)


# The config is checked (every problem with file, key and value, the schema's defaults filled in)
# and planned before any job is scheduled; rules ask STUDY for paths and job specs.
try:
    STUDY = build_study(
        config,
        CONFIG_SCHEMA,
        source=", ".join(map(str, workflow.configfiles)) or "config",
        use_containers=uses_apptainer(),
    )
except ConfigError as error:
    raise WorkflowError(str(error))
logger.info(STUDY.generator_reason)
if STUDY.generator == "madgraph" and any(
    s.bias or s.decay_filter or s.sampling for s in STUDY.samples.values()
):
    logger.info(
        "pythia_bias, pt_sampling, decay_filter and channel_split apply to the Pythia path only: "
        "the MadGraph samples are unweighted, their process cards define the decay channels and a "
        "process is generated whole in its madgraph_slices (else in the slices of its channel_split)"
    )

LAYOUT = STUDY.layout
LEVEL_DIR = LAYOUT.level_dir
MG5 = STUDY.mg5
PACKAGE_VERSION = bsmflow.__version__
# per stage, the digest of the code its jobs run besides their script (a param of every cached
# rule: `snakemake --cache` reuses outputs between studies only for the same code; docs/caching.md)
CODE = {stage: code_digest(stage) for stage in STAGES}
# the rules of a sample's chain (generation to analysis) are eligible for `--cache` where a shared
# output cache is configured; without one Snakemake would warn about each of them on every run
CACHE_OUTPUTS = bool(os.environ.get("SNAKEMAKE_OUTPUT_CACHE"))


wildcard_constraints:
    sample="|".join(STUDY.samples),
    process="|".join(STUDY.processes),
    chunk=r"\d+",
    mass=r"\d+",
    generator="pythia|madgraph",
    detector=r"[A-Za-z0-9_.-]+",


def from_study(method):
    """An input or params function: the study's ``method`` called with the job's wildcards."""

    def with_wildcards(wildcards):
        return method(**dict(wildcards.items()))

    return with_wildcards


def chunks_of(pattern):
    """An input function: ``pattern`` for every chunk of the job's sample."""

    def with_wildcards(wildcards):
        return STUDY.chunk_paths(pattern, wildcards.sample)

    return with_wildcards


def matching_card_of(wildcards):
    return LAYOUT.matching_card(STUDY.samples[wildcards.sample].process)
