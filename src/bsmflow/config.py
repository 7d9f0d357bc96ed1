"""Workflow configuration: schema validation with readable messages, checks the schema cannot
express, and the list of samples and chunks the DAG is built from."""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from .generate.filters import COMPLEMENT
from .model.param_card import build_param_card


class ConfigError(ValueError):
    """Bad configuration: the message names the file, the key, the value and what is allowed."""


@dataclass(frozen=True)
class Slice:
    """A range [min_gev, max_gev) of a generator-level variable (mhat or pthat); max_gev None is
    open-ended."""

    variable: str
    min_gev: float
    max_gev: float | None

    @property
    def label(self) -> str:
        top = "inf" if self.max_gev is None else f"{self.max_gev:g}"
        return f"{self.variable}{self.min_gev:g}to{top}"


@dataclass(frozen=True)
class Sample:
    """One generated sample: a signal mass point, a background process or one slice of it."""

    name: str
    process: str
    events: int
    mass_gev: int | None = None
    slice: Slice | None = None
    decay_filter: str | None = None
    bias: dict | None = None
    sampling: dict | None = None
    shower_sampling: dict | None = None

    @property
    def is_signal(self) -> bool:
        return self.mass_gev is not None


def _key(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def schema_errors(config: dict, schema_path: str | Path) -> list[str]:
    """Every violation of the JSON schema as 'key = value: problem' lines."""
    from jsonschema import Draft202012Validator

    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = Draft202012Validator(schema)
    messages = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        where = _key(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            unknown = sorted(set(error.instance) - set(allowed))
            messages.append(f"{where}: unknown key(s) {unknown}; allowed: {allowed}")
        elif error.validator == "required":
            messages.append(f"{where}: {error.message}")
        else:
            messages.append(f"{where} = {error.instance!r}: {error.message}")
    return messages


def semantic_errors(config: dict, workdir: str | Path = ".") -> list[str]:
    """Checks beyond the schema: backgrounds and slices, binning, card files, model, writable
    results/. (A sample smaller than chunk_size is one chunk.)"""
    messages = []
    workdir = Path(workdir)
    messages += background_errors(config["backgrounds"])
    if messages:
        return messages  # the processes and their cards cannot be listed
    binning = config["binning"]
    span = binning["max_gev"] - binning["min_gev"]
    n_bins = span / binning["width_gev"]
    if span <= 0 or not math.isclose(n_bins, round(n_bins)):
        messages.append(f"binning = {binning}: max_gev must exceed min_gev by a whole number of width_gev")
    cards = Path(config["cards_dir"])
    needed = [cards / "shower.cmnd"] + [cards / p / "pythia.cmnd" for p in processes(config)]
    for card in needed:
        if not (workdir / card).is_file():
            messages.append(f"cards_dir = {config['cards_dir']!r}: missing card file {card}")
    threshold = config["sqrt_s_gev"] / 2
    for mass in config["signal"]["masses_gev"]:
        if mass >= threshold:
            messages.append(
                f"signal.masses_gev: {mass} is at or above sqrt_s_gev / 2 = {threshold:g} GeV "
                f"(sqrt_s_gev = {config['sqrt_s_gev']:g}): a pair of leptoquarks of that mass cannot "
                "be produced"
            )
    model = config["model"]
    for mass in config["signal"]["masses_gev"]:
        try:
            build_param_card(mass, model["yukawa"], model["top_mass_gev"], model["pdg_id"])
        except ValueError as error:
            messages.append(f"model.yukawa = {config['model']['yukawa']}: {error}")
            break
    messages += model_source_errors(config["model"], workdir)
    messages += inference_errors(config, workdir)
    messages += detector_errors(config.get("detector", "none"), workdir)
    results = workdir / "results"
    if results.exists() and not results.is_dir():
        messages.append(f"results directory {results.resolve()} exists but is not a directory")
    elif not os.access(results if results.exists() else workdir, os.W_OK):
        messages.append(f"results directory {results.resolve()} is not writable")
    return messages


def slice_errors(process: str, slices: list[dict], field: str = "slices") -> list[str]:
    """Slices must be in increasing order, contiguous, non-overlapping and open-ended at the top."""
    key = f"backgrounds.processes.{process}.{field}"
    messages = []
    for i, part in enumerate(slices):
        top = part["max_gev"]
        if top is None and i != len(slices) - 1:
            messages.append(f"{key}[{i}].max_gev = null: only the last slice is open-ended")
        if top is not None and top <= part["min_gev"]:
            messages.append(
                f"{key}[{i}] = {part['min_gev']:g}-{top:g} GeV: unordered edges (max_gev must exceed min_gev)"
            )
    for i, (low, high) in enumerate(zip(slices[:-1], slices[1:], strict=True), start=1):
        if low["max_gev"] is None:
            continue
        if high["min_gev"] > low["max_gev"]:
            messages.append(
                f"{key}[{i}].min_gev = {high['min_gev']:g}: gap after {key}[{i - 1}].max_gev = "
                f"{low['max_gev']:g} (slices must be contiguous)"
            )
        elif high["min_gev"] < low["max_gev"]:
            messages.append(
                f"{key}[{i}].min_gev = {high['min_gev']:g}: overlaps {key}[{i - 1}].max_gev = "
                f"{low['max_gev']:g} (slices must not overlap; list them in increasing order)"
            )
    if slices[-1]["max_gev"] is not None:
        messages.append(
            f"{key}[{len(slices) - 1}].max_gev = {slices[-1]['max_gev']:g}: the last slice must be "
            "open-ended (max_gev: null), or the process is incomplete above it"
        )
    return messages


def background_errors(backgrounds: dict) -> list[str]:
    """Every enabled background is defined, as one sample (events) or as valid slices."""
    messages = []
    defined = backgrounds["processes"]
    for process in backgrounds["enabled"]:
        spec = defined.get(process)
        if spec is None:
            messages.append(
                f"backgrounds.enabled: {process!r} is not defined in backgrounds.processes "
                f"(defined: {sorted(defined)})"
            )
            continue
        key = f"backgrounds.processes.{process}"
        if ("events" in spec) == ("slices" in spec):
            given = "both" if "events" in spec else "neither"
            messages.append(f"{key}: give either events (one sample) or slices, not {given}")
        elif "slices" in spec:
            if "slice_variable" not in spec:
                messages.append(f"{key}: slices need a slice_variable (mhat or pthat)")
            messages += slice_errors(process, spec["slices"])
            if "channel_split" in spec:
                messages += slice_errors(process, spec["channel_split"]["slices"], "channel_split.slices")
                if spec.get("decay_filter"):
                    messages.append(
                        f"{key}: decay_filter = {spec['decay_filter']!r} and channel_split.filter = "
                        f"{spec['channel_split']['filter']!r}: give one of them"
                    )
        elif "slice_variable" in spec:
            messages.append(f"{key}.slice_variable = {spec['slice_variable']!r}: given without slices")
        if "channel_split" in spec and "slices" not in spec:
            messages.append(f"{key}.channel_split: needs slices (the channels its filter rejects)")
    return messages


def inference_errors(config: dict, workdir: Path) -> list[str]:
    """The inference settings fit the scan: a non-empty fit region on the binning's edges, a
    normalisation uncertainty for every background, every mass inside the reference table."""
    from .infer.fit_histograms import fine_edges
    from .infer.reference import read_reference_table

    inference, messages = config["inference"], []
    region = inference["fit_region"]
    if region["max_gev"] <= region["min_gev"]:
        messages.append(f"inference.fit_region = {region}: empty (max_gev must exceed min_gev)")
    else:
        try:
            fine_edges(config["binning"], region)
        except ValueError as error:
            messages.append(str(error))
    given = inference["uncertainties"]["background_normalisation"]
    for process in config["backgrounds"]["enabled"]:
        if process not in given:
            messages.append(
                f"inference.uncertainties.background_normalisation = {given}: no entry for the "
                f"background {process!r}"
            )
    table_path = inference["reference_table"]
    try:
        table = read_reference_table(workdir / table_path)
    except (OSError, ValueError) as error:
        messages.append(f"inference.reference_table = {table_path!r}: {error}")
    else:
        low, high = table["mass_gev"].min(), table["mass_gev"].max()
        for mass in config["signal"]["masses_gev"]:
            if not low <= mass <= high:
                messages.append(
                    f"signal.masses_gev: {mass} is outside inference.reference_table = {table_path!r} "
                    f"({low:g}-{high:g} GeV); the reference cross section is never extrapolated"
                )
    observed = inference["observed"]
    if observed is not None and not (workdir / observed).is_file():
        messages.append(f"inference.observed = {observed!r}: no such file")
    return messages


def model_source_errors(model: dict, workdir: Path) -> list[str]:
    """The model stage's input exists and makes sense (the model file is parsed here)."""
    from .model.modelfile import ModelFileError, load_model_file

    source = model.get("source", "builder")
    block = model["yukawa_block"].upper()
    if source == "builder":
        try:
            spec = load_model_file(workdir / model["file"])
        except ModelFileError as error:
            return [f"model.file = {model['file']!r}: {error}"]
        blocks = [y.block for y in spec.yukawas]
        if block not in blocks:
            return [f"model.yukawa_block = {block!r}: {model['file']} declares the Yukawa blocks {blocks}"]
        if model["pdg_id"] not in [s.pdg for s in spec.scalars]:
            pdgs = [s.pdg for s in spec.scalars]
            return [f"model.pdg_id = {model['pdg_id']}: {model['file']} declares PDG ids {pdgs}"]
    elif source == "ufo" and not (workdir / model["ufo"] / "__init__.py").is_file():
        return [f"model.ufo = {model['ufo']!r}: not a UFO directory (no __init__.py)"]
    return []


def detector_errors(detector: str, workdir: Path) -> list[str]:
    """A detector card must exist (config/detectors/<name>.yaml) and pass its checks."""
    from .detector.card import CardError, card_path, load_card

    if detector == "none":
        return []
    path = card_path(detector, workdir / "config/detectors")
    if not path.is_file():
        available = sorted(p.stem for p in path.parent.glob("*.yaml"))
        return [f"detector = {detector!r}: no card {card_path(detector)}; available: none, {available}"]
    try:
        load_card(path)
    except CardError as error:
        return [f"detector = {detector!r}: {error}"]
    return []


def validate_config(config: dict, schema_path: str | Path, source: str, workdir: str | Path = ".") -> None:
    """Raise ConfigError listing every problem, each prefixed with the config file's name."""
    messages = schema_errors(config, schema_path)
    if not messages:
        messages = semantic_errors(config, workdir)
    if messages:
        raise ConfigError(f"invalid configuration in {source}:\n" + "\n".join(f"  - {m}" for m in messages))


def samples(config: dict, generator: str = "pythia") -> list[Sample]:
    """Signal mass points first (ascending), then backgrounds in config order.

    A background with a channel_split is two decay-channel strata on the Pythia path: the
    channels of its filter in channel_split.slices (samples <process>_<filter>_<slice>) and the
    rest in slices (<process>_not_<filter>_<slice>). MadGraph's process card has no such filter:
    there the process is generated whole, in the slices of channel_split (the larger sample)."""
    signal = config["signal"]
    result = [
        Sample(f"{signal['process']}_m{mass}", signal["process"], signal["events"], mass)
        for mass in sorted(signal["masses_gev"])
    ]
    for process in config["backgrounds"]["enabled"]:
        spec = config["backgrounds"]["processes"][process]
        decay_filter, bias, sampling = (
            spec.get("decay_filter"),
            spec.get("pythia_bias"),
            spec.get("pt_sampling"),
        )
        # Pythia path only, like the rest of the sampling
        in_shower = spec.get("shower_sampling") if generator == "pythia" else None
        if "slices" not in spec:
            result.append(
                Sample(process, process, spec["events"], None, None, decay_filter, bias, sampling, in_shower)
            )
            continue
        split = spec.get("channel_split")
        if split is None:
            strata = [(process, spec["slices"], decay_filter)]
        elif generator == "madgraph":
            strata = [(process, split["slices"], None)]
        else:
            kept = split["filter"]
            strata = [
                (f"{process}_{kept}", split["slices"], kept),
                (f"{process}_{COMPLEMENT}{kept}", spec["slices"], f"{COMPLEMENT}{kept}"),
            ]
        for prefix, parts, channels in strata:
            for part in parts:
                top = None if part["max_gev"] is None else float(part["max_gev"])
                cut = Slice(spec["slice_variable"], float(part["min_gev"]), top)
                name = f"{prefix}_{cut.label}"
                # a slice's own sampling replaces the process'
                chosen = part.get("pt_sampling", sampling)
                shower = part.get("shower_sampling", in_shower) if generator == "pythia" else None
                slice_bias = part.get("pythia_bias", bias)
                result.append(
                    Sample(name, process, part["events"], None, cut, channels, slice_bias, chosen, shower)
                )
    return result


def processes(config: dict) -> list[str]:
    """The signal process and the enabled background processes."""
    return [config["signal"]["process"], *config["backgrounds"]["enabled"]]


def chunk_sizes(events: int, chunk_size: int) -> list[int]:
    """Events per chunk: full chunks, the last one holding the remainder."""
    n_chunks = math.ceil(events / chunk_size)
    return [min(chunk_size, events - i * chunk_size) for i in range(n_chunks)]


def find_madgraph(configured: str | None) -> str | None:
    """Path of mg5_aMC from the config key, else MG5_AMC, else PATH; None when absent."""
    for candidate in (configured, os.environ.get("MG5_AMC")):
        if candidate and Path(candidate).is_file():
            return str(Path(candidate).resolve())
    return shutil.which("mg5_aMC")


SEARCHED = "madgraph.path, the MG5_AMC environment variable, mg5_aMC on PATH"


def locate_madgraph(config: dict, use_containers: bool) -> tuple[str | None, str]:
    """(mg5_aMC to use, where it came from). A local installation is checked now (version 3.5
    or newer, auto-update off); without one, `--sdm apptainer` runs use the madgraph image's."""
    from .generate.mg5 import MadGraphError, installation

    settings = config.get("madgraph") or {}
    found = find_madgraph(settings.get("path"))
    if found is not None:
        try:
            mg5 = installation(found)
        except MadGraphError as error:
            return None, f"MadGraph at {found} is unusable: {error}"
        return found, f"MadGraph {mg5.version_text} at {found}"
    if use_containers:
        executable = settings.get("container_executable", "/opt/madgraph/bin/mg5_aMC")
        image = config["containers"]["madgraph"]
        return executable, f"MadGraph {executable} in the image {image} (--sdm apptainer)"
    return None, f"no MadGraph found (searched {SEARCHED})"


def resolve_generator(requested: str, madgraph: str | None, where: str) -> tuple[str, str]:
    """The generator to run and a sentence saying why, or ConfigError for an impossible request.
    `where` says where MadGraph was found, or what was searched and why it is unusable."""
    if requested == "pythia":
        return "pythia", "generator: pythia requested"
    if requested == "madgraph":
        if madgraph is None:
            raise ConfigError(f"generator = 'madgraph': {where}")
        return "madgraph", f"generator: madgraph requested, using {where}"
    if madgraph is not None:
        return "madgraph", f"generator: auto found {where}"
    return "pythia", f"generator: auto -> pythia ({where})"


def madgraph_card_errors(config: dict, workdir: str | Path = ".") -> list[str]:
    """Every process needs config/cards/<process>/madgraph/{process,run}.mg5, readable; slices
    must be in mhat; a matching card (MLM) needs ickkw = 1 and a qCut above the run card's xqcut."""
    from .generate.madgraph import MADGRAPH_ALPHA_S_MZ
    from .generate.mg5 import MadGraphError, read_process_card, read_run_card

    messages = []
    label = config["pdf"].get("madgraph", "nn23lo1")
    if config.get("variations", {}).get("scale") and label not in MADGRAPH_ALPHA_S_MZ:
        messages.append(
            f"pdf.madgraph = {label!r} with variations.scale: the scale weights know MadGraph's "
            f"alpha_s running for {', '.join(sorted(MADGRAPH_ALPHA_S_MZ))} only"
        )
    for process in config["backgrounds"]["enabled"]:
        variable = config["backgrounds"]["processes"][process].get("slice_variable")
        if variable not in (None, "mhat"):
            messages.append(
                f"backgrounds.processes.{process}.slice_variable = {variable!r}: MadGraph slices are in mhat "
                "(sqrt(s_hat) of the whole final state); pthat slices exist only on the Pythia path"
            )
        messages += matching_errors(Path(workdir) / config["cards_dir"] / process / "madgraph")
    for process in processes(config):
        for name, reader in (("process.mg5", read_process_card), ("run.mg5", read_run_card)):
            card = Path(workdir) / config["cards_dir"] / process / "madgraph" / name
            if not card.is_file():
                messages.append(f"cards_dir = {config['cards_dir']!r}: missing MadGraph card {card}")
                continue
            try:
                reader(card)
            except MadGraphError as error:
                messages.append(str(error))
    return messages


def matching_errors(cards: Path) -> list[str]:
    """An MLM matching card (matching.cmnd) agrees with the run card: ickkw = 1, qCut > xqcut."""
    from .cards import read_pythia_card
    from .generate.mg5 import MadGraphError, read_run_card
    from .summarise.djr import card_value

    card = cards / "matching.cmnd"
    if not card.is_file():
        return []
    try:
        qcut = card_value(read_pythia_card(card), "JetMatching:qCut")
        run = read_run_card(cards / "run.mg5")
    except (ValueError, MadGraphError, OSError) as error:
        return [f"{card}: {error}"]
    if run.get("ickkw") != "1" or "xqcut" not in run:
        return [f"{card}: MLM matching needs 'set run_card ickkw 1' and an xqcut in {cards / 'run.mg5'}"]
    if qcut <= float(run["xqcut"]):
        return [
            f"{card}: JetMatching:qCut = {qcut:g} must lie above the run card's xqcut = {run['xqcut']} "
            "(a merging scale below the generator cut leaves a hole in the jet rates)"
        ]
    return []


# Largest |y| for which Pythia's built-in leptoquark pair cross section is within ~4 % of the
# analytic one (README "Model stage"; tests/test_madgraph_model.py).
PYTHIA_MAX_YUKAWA = 0.3


def check_generator_support(config: dict, generator: str, workdir: str | Path = ".") -> None:
    """ConfigError when the chosen generator cannot simulate the configured model point."""
    if generator == "madgraph":
        messages = madgraph_card_errors(config, workdir)
        if messages:
            raise ConfigError("generator madgraph:\n" + "\n".join(f"  - {m}" for m in messages))
        return
    yukawa = config["model"]["yukawa"]
    couplings = [(i, j) for i in range(3) for j in range(3) if yukawa[i][j] != 0]
    if len(couplings) > 1:
        names = ", ".join(f"y{i + 1}{j + 1}" for i, j in couplings)
        raise ConfigError(
            f"model.yukawa has several non-zero couplings ({names}); Pythia's built-in leptoquark "
            "couples to one quark-lepton pair: keep one, or use generator: madgraph"
        )
    if config["model"]["pdg_id"] != 42:
        raise ConfigError(
            f"model.pdg_id = {config['model']['pdg_id']}: generator pythia needs 42, the PDG id "
            "of Pythia's built-in leptoquark"
        )
    largest = max(abs(y) for row in yukawa for y in row)
    if largest > PYTHIA_MAX_YUKAWA:
        raise ConfigError(
            f"model.yukawa = {yukawa}: |y| = {largest} > {PYTHIA_MAX_YUKAWA} with generator pythia. "
            "Pythia 8's qqbar2LQLQbar has the t-channel lepton exchange at 1/2 and its QCD "
            "interference at -1/4 of the analytic result (MadGraph agrees with the analytic one): "
            "at M = 1 TeV its sigma is off by 4 % at y = 0.3, 8 % at 0.5 and -42 % at 2. "
            "Use generator: madgraph for larger couplings"
        )
