"""Provenance: timestamps, tool versions, the workflow's git commit and per-sample manifests."""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import metadata
from pathlib import Path

from . import __version__
from .cards import file_sha256
from .rootio import read_metadata
from .stage import utc_now, write_record

TOOLS = ("pythia8mc", "fastjet", "snakemake", "awkward", "uproot", "vector", "hist", "numpy")


# the stages whose jobs Snakemake may cache between studies, in pipeline order: a stage's code
# may import only those before it (the import contract's layers in pyproject.toml)
STAGES = ("model", "generate", "shower", "cluster", "detector", "analyse")
# the rules of those stages that Snakemake's output cache may serve (each has `cache:`); name them
# after --cache: a bare --cache is not passed on to jobs that run on a cluster (docs/caching.md)
CACHED_RULES = (
    "model_sm_ufo",
    "madgraph_process",
    "madgraph_gridpack",
    "madgraph_generate",
    "pythia_generate",
    "pythia_shower",
    "fastjet_cluster",
    "detector_response",
    "analyse_sample",
)
# libraries whose version shapes those jobs' outputs, next to bsmflow's own code
CODE_TOOLS = (
    "pythia8mc",
    "fastjet",
    "awkward",
    "uproot",
    "vector",
    "hist",
    "numpy",
    "pylhe",
    "pyhepmc",
    "ufo-sm",
)


def code_digest(stage: str, package: Path | None = None) -> str:
    """SHA-256 of what a job of ``stage`` runs besides its rule's script: bsmflow's top-level
    modules, the stage's subpackage and those of the stages before it, and the versions of the
    libraries in :data:`CODE_TOOLS`. A rule passes it as a param, so that an edit of that code
    reruns the stage's jobs and a shared output cache never serves another code's outputs."""
    package = package or Path(__file__).parent
    wanted = set(STAGES[: STAGES.index(stage) + 1])
    files = sorted(package.glob("*.py")) + sorted(
        path for name in wanted for path in (package / name).rglob("*.py")
    )
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in CODE_TOOLS:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} not installed\n".encode())
    return digest.hexdigest()


def tool_versions() -> dict[str, str]:
    """Installed versions of the workflow's tools (and bsmflow itself)."""
    versions = {"bsmflow": __version__}
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def workflow_commit(directory: str | Path) -> str:
    """``git rev-parse HEAD`` of the workflow, '+dirty' if tracked files differ from it."""

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", "-C", str(directory), *args], capture_output=True, text=True, timeout=30, check=False
        )

    try:
        head = git("rev-parse", "HEAD")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (git not available)"
    if head.returncode != 0:
        return "unknown (not a git checkout)"
    dirty = git("diff", "--quiet", "HEAD").returncode != 0
    return head.stdout.strip() + ("+dirty" if dirty else "")


def build_manifest(
    *,
    sample: dict,
    config_subset: dict,
    generation: list[dict],
    objects: list[dict],
    analysis: dict,
    card_hashes: dict[str, str],
    commit: str,
) -> dict:
    """Everything that shaped one sample, gathered from the records its jobs wrote.

    ``generation``: the generate stage's JSON sidecars; ``objects``: the ROOT metadata of the
    objects the analysis read: the cluster stage's (which embeds the shower's) or, at detector
    level, the detector stage's (which embeds the cluster stage's as ``particle_level``);
    ``analysis``: the analyse stage's record.
    """
    detectors = [record for record in objects if record.get("stage") == "detector"]
    clusters = [record.get("particle_level", record) for record in objects]
    showers = [record["shower"] for record in clusters]
    return {
        **sample,
        "generator": analysis["generator"],
        "generator_version": analysis["generator_version"],
        "config": config_subset,
        "cards_sha256": card_hashes,
        "level": analysis.get("level", "particle"),
        "seeds": [
            {"chunk": gen["chunk"], "generate": gen["seed"], "shower": shower["seed"]}
            | ({"detector": detectors[i]["seed"]} if detectors else {})
            for i, (gen, shower) in enumerate(zip(generation, showers, strict=True))
        ],
        "n_events": sum(gen["n_events"] for gen in generation),
        "n_chunks": len(generation),
        "sigma_pb": analysis["sigma_pb"],
        "sigma_err_pb": analysis["sigma_err_pb"],
        "variations": variation_summary(generation, showers),
        "versions": {
            "generator": sorted({gen["generator_version"] for gen in generation}),
            "shower_pythia": sorted({shower["versions"]["pythia"] for shower in showers}),
            "fastjet": sorted({record["versions"]["fastjet"] for record in clusters}),
            "bsmflow_per_stage": sorted(
                {r["bsmflow_version"] for r in [*generation, *showers, *clusters, *detectors, analysis]}
            ),
            "manifest_environment": tool_versions(),
        },
        "workflow_commit": commit,
        "started": min(gen["started"] for gen in generation),
        "finished": analysis["finished"],
        "manifest_written": utc_now(),
    }


def variation_summary(generation: list[dict], showers: list[dict]) -> dict:
    """Which variation weights the sample carries and who computed them: the generation jobs'
    method for the LHE weights (scale, PDF), Pythia's UncertaintyBands for the shower ones."""
    methods = sorted({(gen.get("variations") or {}).get("method") or "none" for gen in generation})
    return {
        "lhe_weights": (generation[0].get("variations") or {}).get("ids", []),
        "lhe_weights_computed_by": methods,
        "pdf_note": (generation[0].get("variations") or {}).get("pdf_note"),
        "shower_weights": [n for n in showers[0].get("variations") or [] if n.startswith(("isr_", "fsr_"))],
        "shower_weights_computed_by": "Pythia UncertaintyBands (in the shower job)",
    }


def write_manifest(
    output: str,
    *,
    generation_records: list[str],
    object_files: list[str],
    analysis_record: str,
    cards: list[str],
    workflow_dir: str,
    sample: dict,
    config: dict,
    generator_choice: str,
) -> dict:
    """Read the sample's stage records, build its manifest and write it as JSON."""
    manifest = build_manifest(
        sample=sample,
        config_subset=config,
        generation=[json.loads(Path(path).read_text()) for path in generation_records],
        objects=[read_metadata(path) for path in object_files],
        analysis=json.loads(Path(analysis_record).read_text()),
        card_hashes={card: file_sha256(card) for card in cards},
        commit=workflow_commit(workflow_dir),
    )
    manifest["generator_choice"] = generator_choice
    write_record(output, manifest)
    return manifest
