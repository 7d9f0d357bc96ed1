import os
import sys

sys.path.insert(0, f"{workflow.basedir}/../src")  # this workflow's own bsmflow

import bsmflow
from bsmflow.config import (
    ConfigError,
    check_generator_support,
    chunk_sizes,
    locate_madgraph,
    resolve_generator,
    samples,
    validate_config,
)
from bsmflow.detector import level_dir, level_name
from bsmflow.generate.mg5 import custom_files
from bsmflow.seeds import derive_seed
from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import validate

CONFIG_SCHEMA = f"{workflow.basedir}/schemas/config.schema.yaml"


def uses_apptainer():
    """True when Snakemake runs jobs in containers (--sdm apptainer)."""
    methods = getattr(workflow.deployment_settings, "deployment_method", None) or ()
    return any("apptainer" in str(method).lower() for method in methods)


# Validate before any job is scheduled: our validator lists every problem with key and value,
# then snakemake's validate() fills schema defaults.
try:
    validate_config(config, CONFIG_SCHEMA, source=", ".join(map(str, workflow.configfiles)) or "config")
    validate(config, CONFIG_SCHEMA)
    MG5, MG5_WHERE = locate_madgraph(config, uses_apptainer())
    GENERATOR, GENERATOR_REASON = resolve_generator(config["generator"], MG5, MG5_WHERE)
    check_generator_support(config, GENERATOR)
except ConfigError as error:
    raise WorkflowError(str(error))
logger.info(GENERATOR_REASON)
if GENERATOR == "madgraph" and any(s.bias or s.decay_filter or s.sampling for s in samples(config)):
    logger.info(
        "pythia_bias, pt_sampling, decay_filter and channel_split apply to the Pythia path only: "
        "the MadGraph samples are unweighted, their process cards define the decay channels and a "
        "split process is generated whole in the slices of its channel_split"
    )

SAMPLES = {sample.name: sample for sample in samples(config, GENERATOR)}
CHUNKS = {name: chunk_sizes(s.events, config["chunk_size"]) for name, s in SAMPLES.items()}
CARDS = config["cards_dir"]
MODEL_DIR = f"results/model/{config['model']['name']}"
SAMPLE_DIR = f"results/{GENERATOR}"
# the level the analysis and everything after it use: particle level (detector: none) keeps
# results/summary, plots, inference and <sample>/analysis.json; a detector card's level writes
# the same files under results/detector/<card>/ and <sample>/detector/<card>/, so both levels
# live side by side and share the generation, shower and clustering
DETECTOR = config["detector"]
LEVEL = level_name(DETECTOR)
LEVEL_DIR = level_dir(DETECTOR)
SUMMARY_DIR = f"results/{LEVEL_DIR}summary"
PLOTS_DIR = f"results/{LEVEL_DIR}plots"
INFERENCE_DIR = f"results/{LEVEL_DIR}inference"
DETECTORS_DIR = "config/detectors"
PACKAGE_VERSION = bsmflow.__version__


wildcard_constraints:
    sample="|".join(SAMPLES),
    process="|".join({sample.process for sample in SAMPLES.values()}),
    chunk=r"\d+",
    mass=r"\d+",
    generator="pythia|madgraph",
    detector=r"[A-Za-z0-9_.-]+",


def final_outputs():
    """Everything `snakemake` builds by default: summary tables, plots, sample manifests and the
    inference results."""
    manifests = [f"{SAMPLE_DIR}/{name}/{LEVEL_DIR}manifest.json" for name in SAMPLES]
    inference = [f"{SUMMARY_DIR}/limits.csv", f"{SUMMARY_DIR}/mass_limit.json", *inference_plots()]
    hepmc = (
        [path for name in SAMPLES for path in chunk_paths(HEPMC_PATTERN, name)]
        if config["hepmc"]["write"]
        else []
    )
    return summary_tables() + summary_plots() + manifests + inference + djr_outputs() + hepmc


# the record kind is in the file name, not in params: switching the HepMC3 files off reruns
# nothing, switching them on (or changing the record) reruns the shower for the missing files
HEPMC_PATTERN = f"results/{{generator}}/{{sample}}/hepmc/chunk{{chunk}}.{config['hepmc']['record']}.hepmc3.gz"


def hepmc_output():
    """The shower job's HepMC3 output when config hepmc.write asks for it (none otherwise)."""
    return {"hepmc": HEPMC_PATTERN} if config["hepmc"]["write"] else {}


def matched_samples():
    """Samples the shower stage matches (MadGraph path, processes with a matching card)."""
    return [name for name, sample in SAMPLES.items() if matching_card(sample.process) is not None]


def djr_outputs():
    return [
        path
        for name in matched_samples()
        for path in (
            f"results/summary/djr_{name}.json",  # shower level: the same at every level
            *(f"results/plots/djr_{name}.{e}" for e in ("png", "pdf")),
        )
    ]


def chunk_paths(pattern, sample):
    return expand(pattern, sample=sample, chunk=range(len(CHUNKS[sample])), generator=GENERATOR)


def model_stage_inputs(wildcards):
    """What the UFO is made from: the model file, a ready UFO directory or the FeynRules files."""
    model = config["model"]
    if model["source"] == "builder":
        return {"model_file": model["file"]}
    if model["source"] == "ufo":
        return {"ufo": model["ufo"]}
    return {"feynrules": model["feynrules"]["model_files"]}


def param_card_path(mass):
    """The model stage's param card of one mass point (GeV)."""
    return f"{MODEL_DIR}/param_card_M{mass}.dat"


def model_source(wildcards):
    """What the model stage builds the UFO from, as configured (model.source and its inputs)."""
    model = config["model"]
    return {
        "source": model["source"],
        "model_file": model.get("file"),
        "ufo": model.get("ufo"),
        "feynrules": model.get("feynrules"),
        "yukawa": model["yukawa"],
        "yukawa_block": model["yukawa_block"],
    }


def param_card_keys(wildcards):
    """How to read a signal sample's param card (the leptoquark's PDG id and Yukawa block);
    None for a background, which has no param card."""
    if not SAMPLES[wildcards.sample].is_signal:
        return None
    return {
        "pdg_id": config["model"]["pdg_id"],
        "yukawa_block": config["model"]["yukawa_block"],
    }


def generation_inputs(wildcards):
    """The process card, plus the model stage's param card for a signal sample."""
    sample = SAMPLES[wildcards.sample]
    inputs = {"card": f"{CARDS}/{sample.process}/pythia.cmnd"}
    if sample.is_signal:
        inputs["param_card"] = param_card_path(sample.mass_gev)
    return inputs


def generation_cards(wildcards):
    """Every card that shapes a sample's generation with the active generator."""
    sample = SAMPLES[wildcards.sample]
    if GENERATOR == "pythia":
        cards = [f"{CARDS}/{sample.process}/pythia.cmnd"]
    else:
        cards = [
            madgraph_process_card(sample.process),
            madgraph_run_card(sample.process),
            *madgraph_custom_files(sample.process),
        ]
    if sample.is_signal:
        cards.append(param_card_path(sample.mass_gev))
    return cards


def madgraph_process_card(process):
    return f"{CARDS}/{process}/madgraph/process.mg5"


def madgraph_run_card(process):
    return f"{CARDS}/{process}/madgraph/run.mg5"


def madgraph_custom_files(process):
    """Fortran files a process's run card pulls in (custom_fcts), relative to the workdir."""
    return [os.path.relpath(path) for path in custom_files(madgraph_run_card(process))]


def madgraph_model(wildcards):
    """Signal processes import the model stage's UFO; backgrounds the plain SM UFO."""
    return f"{MODEL_DIR}/UFO" if wildcards.process == config["signal"]["process"] else "results/model/SM/UFO"


def gridpack_inputs(wildcards):
    sample = SAMPLES[wildcards.sample]
    inputs = {
        "process": f"results/madgraph/{sample.process}/process",
        "run_card": madgraph_run_card(sample.process),
        "custom": madgraph_custom_files(sample.process),
    }
    if sample.is_signal:
        inputs["param_card"] = param_card_path(sample.mass_gev)
    return inputs


def gridpack_params(wildcards):
    return {
        "sample": wildcards.sample,
        "sqrt_s_gev": float(config["sqrt_s_gev"]),
        "pdf": dict(config["pdf"]),
        "seed": derive_seed(config["seed"], wildcards.sample, 0, "gridpack"),
    }


def generation_params(wildcards):
    chunk = int(wildcards.chunk)
    return {
        "sample": wildcards.sample,
        "chunk": chunk,
        "n_events": CHUNKS[wildcards.sample][chunk],
        "seed": derive_seed(config["seed"], wildcards.sample, chunk, "generate"),
        "sqrt_s_gev": float(config["sqrt_s_gev"]),
        "pdf": dict(config["pdf"]),
        # the shower variations are not here: switching them reruns only the shower
        "variations": {key: config["variations"][key] for key in ("scale", "pdf", "pdf_path")},
    }


def sample_slice(wildcards):
    """The sample's generator-level slice {variable, min_gev, max_gev}, None if unsliced."""
    cut = SAMPLES[wildcards.sample].slice
    return None if cut is None else {"variable": cut.variable, "min_gev": cut.min_gev, "max_gev": cut.max_gev}


def decay_filter(wildcards):
    """The sample's decay-channel filter (Pythia path), None without one."""
    return SAMPLES[wildcards.sample].decay_filter


def pythia_bias(wildcards):
    """The sample's Pythia phase-space bias {power, reference_gev}, None if unbiased."""
    return SAMPLES[wildcards.sample].bias


def pt_sampling(wildcards):
    """The sample's pT-sum sampling {particles, threshold_gev, keep_fraction} (Pythia path), None
    without."""
    return SAMPLES[wildcards.sample].sampling


def matching_card(process):
    """The MLM matching card of a MadGraph process (cards/<process>/madgraph/matching.cmnd), or
    None: only the MadGraph path matches, and only processes that have one."""
    path = f"{CARDS}/{process}/madgraph/matching.cmnd"
    return path if GENERATOR == "madgraph" and os.path.isfile(path) else None


def shower_inputs(wildcards):
    inputs = {
        "lhe": f"results/{wildcards.generator}/{wildcards.sample}/lhe/chunk{wildcards.chunk}.lhe.gz",
        "card": f"{CARDS}/shower.cmnd",
    }
    matching = matching_card(SAMPLES[wildcards.sample].process)
    if matching is not None:
        inputs["matching"] = matching
    return inputs


def shower_seed(wildcards):
    return derive_seed(config["seed"], wildcards.sample, int(wildcards.chunk), "shower")


def analysis_inputs(wildcards):
    """The sample's objects at the configured level, chunk by chunk, and its generation records."""
    return {
        "objects": chunk_paths(
            f"{SAMPLE_DIR}/{{sample}}/{LEVEL_DIR}objects/chunk{{chunk}}.root", wildcards.sample
        ),
        "generation": chunk_paths(f"{SAMPLE_DIR}/{{sample}}/lhe/chunk{{chunk}}.json", wildcards.sample),
    }


def analysis_params(wildcards):
    sample = SAMPLES[wildcards.sample]
    return {
        "sample": sample.name,
        "process": sample.process,
        "mass_gev": sample.mass_gev,
        "slice": sample_slice(wildcards),
        "selection": dict(config["selection"]),
        "binning": dict(config["binning"]),
        "luminosity_fb": float(config["luminosity_fb"]),
        "level": LEVEL,
    }


def detector_seed(wildcards):
    return derive_seed(config["seed"], wildcards.sample, int(wildcards.chunk), "detector")


def manifest_inputs(wildcards):
    """The sample's stage records plus every card that shaped it (hashed into the manifest)."""
    inputs = analysis_inputs(wildcards)
    inputs["analysis"] = f"{SAMPLE_DIR}/{wildcards.sample}/{LEVEL_DIR}analysis.json"
    inputs["cards"] = generation_cards(wildcards) + [f"{CARDS}/shower.cmnd"]
    if DETECTOR != "none":
        inputs["cards"].append(f"{DETECTORS_DIR}/{DETECTOR}.yaml")
    matching = matching_card(SAMPLES[wildcards.sample].process)
    if matching is not None:
        inputs["cards"].append(matching)
    return inputs


def manifest_params(wildcards):
    """The sample's identity and the config subset that shaped it."""
    sample = SAMPLES[wildcards.sample]
    subset = {
        key: config[key]
        for key in (
            "sqrt_s_gev",
            "pdf",
            "seed",
            "chunk_size",
            "cards_dir",
            "objects",
            "selection",
            "binning",
            "luminosity_fb",
            "variations",
            "detector",
        )
    }
    subset["events"] = sample.events
    subset["slice"] = sample_slice(wildcards)
    subset["decay_filter"] = sample.decay_filter
    subset["pythia_bias"] = sample.bias
    subset["pt_sampling"] = sample.sampling
    if sample.is_signal:
        subset["model"] = config["model"]
    return {
        "sample": {"sample": sample.name, "process": sample.process, "mass_gev": sample.mass_gev},
        "config": subset,
        "generator_choice": GENERATOR_REASON,
    }


def analysis_records():
    return [f"{SAMPLE_DIR}/{name}/{LEVEL_DIR}analysis.json" for name in SAMPLES]


def summary_tables():
    names = ["cross_sections.csv", "cutflow.csv", "yields.csv", "histograms.csv", "histograms.root"]
    return [f"{SUMMARY_DIR}/{name}" for name in names]


def summary_plots():
    masses = [s.mass_gev for s in SAMPLES.values() if s.is_signal]
    stems = [f"mlq_min_M{mass}" for mass in masses] + ["mlq_min_signal_shapes", "sigma_vs_mass"]
    return [f"{PLOTS_DIR}/{stem}.{ext}" for stem in stems for ext in ("png", "pdf")]


def container_for(stage):
    """The configured Apptainer image of a stage (used only with --sdm apptainer); the detector
    stage runs in the cluster stage's image unless it has its own."""
    if stage == "detector" and "detector" not in config["containers"]:
        stage = "cluster"
    return config["containers"][stage]


def mass_point(wildcards):
    return int(wildcards.mass)


def signal_samples():
    return [name for name, sample in SAMPLES.items() if sample.is_signal]


def workspace_inputs(wildcards):
    """The signal's and every background's selected events, the signal's cross section and param
    card, the reference table and (when configured) the observed counts."""
    sample = SAMPLES[wildcards.sample]
    inputs = {
        "signal_events": f"{SAMPLE_DIR}/{sample.name}/{LEVEL_DIR}selected.root",
        "signal_record": f"{SAMPLE_DIR}/{sample.name}/{LEVEL_DIR}analysis.json",
        "param_card": param_card_path(sample.mass_gev),
        "reference_table": config["inference"]["reference_table"],
        "backgrounds": [f"{SAMPLE_DIR}/{name}/{LEVEL_DIR}selected.root" for name in background_samples()],
    }
    if config["inference"]["observed"] is not None:
        inputs["observed"] = config["inference"]["observed"]
    return inputs


def background_samples():
    return [name for name, sample in SAMPLES.items() if not sample.is_signal]


def inference_settings(wildcards):
    """The inference config (only the inference jobs read it: editing it reruns only them)."""
    return dict(config["inference"])


def workspace_params(wildcards):
    sample = SAMPLES[wildcards.sample]
    return {
        "sample": sample.name,
        "mass_gev": sample.mass_gev,
        "backgrounds": background_samples(),
        "background_processes": [SAMPLES[name].process for name in background_samples()],
        "inference": dict(config["inference"]),
        "binning": dict(config["binning"]),
        "model_keys": {"pdg_id": config["model"]["pdg_id"], "yukawa_block": config["model"]["yukawa_block"]},
    }


def toys_seed(wildcards):
    return derive_seed(config["seed"], wildcards.sample, 0, "toys")


def limit_records():
    return [f"{INFERENCE_DIR}/{name}/limits.json" for name in signal_samples()]


def inference_plots():
    masses = [SAMPLES[name].mass_gev for name in signal_samples()]
    stems = ["limits_brazil"] + [f"fit_M{mass}" for mass in masses]
    return [f"{PLOTS_DIR}/{stem}.{ext}" for stem in stems for ext in ("png", "pdf")]
