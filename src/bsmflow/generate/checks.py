"""Checks of the generation settings the schema cannot express: background slices and strata,
MadGraph's cards and matching, where MadGraph is, which generator runs, and what Pythia's built-in
leptoquark can simulate."""

from __future__ import annotations

import os
import shutil
from fractions import Fraction
from pathlib import Path

from ..cards import card_value, read_pythia_card
from ..model.modelfile import load_model_file
from ..schema import ConfigError
from .madgraph_events import MADGRAPH_ALPHA_S_MZ
from .mg5 import MadGraphError, installation, read_process_card, read_run_card
from .pdf_weights import find_pdf_set
from .pythia import PYTHIA_LEPTOQUARK
from .slices import MADGRAPH_VARIABLES, PYTHIA_KEYS


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
                messages.append(f"{key}: slices need a slice_variable (mhat, pthat, ht or st)")
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
        if "madgraph_slices" in spec:
            messages += slice_errors(process, spec["madgraph_slices"]["slices"], "madgraph_slices.slices")
        if "channel_split" in spec and "slices" not in spec:
            messages.append(f"{key}.channel_split: needs slices (the channels its filter rejects)")
    return messages


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
    settings = config["madgraph"]
    found = find_madgraph(settings["path"])
    if found is not None:
        try:
            mg5 = installation(found)
        except MadGraphError as error:
            return None, f"MadGraph at {found} is unusable: {error}"
        return found, f"MadGraph {mg5.version_text} at {found}"
    if use_containers:
        executable = settings["container_executable"]
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
    messages = []
    label = config["pdf"]["madgraph"]
    if config["variations"]["scale"] and label not in MADGRAPH_ALPHA_S_MZ:
        messages.append(
            f"pdf.madgraph = {label!r} with variations.scale: the scale weights know MadGraph's "
            f"alpha_s running for {', '.join(sorted(MADGRAPH_ALPHA_S_MZ))} only"
        )
    for process in config["backgrounds"]["enabled"]:
        spec = config["backgrounds"]["processes"][process]
        variable = (spec.get("madgraph_slices") or spec).get("slice_variable")
        if variable is not None and variable not in MADGRAPH_VARIABLES:
            messages.append(
                f"backgrounds.processes.{process}.slice_variable = {variable!r}: MadGraph slices are in mhat "
                "(sqrt(s_hat) of the whole final state), ht or st; pthat slices exist only on the Pythia "
                "path (give the MadGraph path its own in madgraph_slices)"
            )
        messages += matching_errors(Path(workdir) / config["cards_dir"] / process / "madgraph")
    for process in [config["signal"]["process"], *config["backgrounds"]["enabled"]]:
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
# analytic one (docs/your-model.md; tests/test_madgraph_model.py).
PYTHIA_MAX_YUKAWA = 0.3


def embedded_model_problem(model: dict, workdir: str | Path = ".") -> str | None:
    """Why Pythia's built-in leptoquark (a colour triplet of charge -1/3 decaying to one quark and
    one charged lepton) cannot stand for the configured model file, or None. Only the builder's
    model files can be read here: a ready UFO or a FeynRules model is taken on trust (PDG 42)."""
    if model["source"] != "builder":
        return None
    spec = load_model_file(Path(workdir) / model["file"])
    if len(spec.scalars) != 1:
        return f"it declares {len(spec.scalars)} new scalars ({', '.join(s.field for s in spec.scalars)})"
    (scalar,) = spec.scalars
    if abs(scalar.color) != 3 or abs(scalar.charge) != Fraction(1, 3):
        return f"its {scalar.field} has colour {scalar.color} and charge {scalar.charge}"
    for y in spec.yukawas:
        values = model["yukawa"] if y.block == model["yukawa_block"].upper() else y.values
        if not any(v != 0 for row in values for v in row):
            continue
        pair = f"{y.bar.family} {y.field.family}"
        if "nu" in (y.bar.family, y.field.family):
            return f"yukawas.{y.name} couples {scalar.field} to {pair}: a decay to a neutrino"
        if "e" not in (y.bar.family, y.field.family):
            return f"yukawas.{y.name} couples {scalar.field} to {pair}: no charged lepton"
    return None


def check_generator_support(
    config: dict, generator: str, workdir: str | Path = ".", reason: str = ""
) -> None:
    """ConfigError when the chosen generator cannot simulate the configured model point; ``reason``
    says how the generator was chosen (it ends the message when MadGraph is what is missing)."""
    if generator == "madgraph":
        messages = madgraph_card_errors(config, workdir)
        if messages:
            raise ConfigError("generator madgraph:\n" + "\n".join(f"  - {m}" for m in messages))
        return
    for process in config["backgrounds"]["enabled"]:
        variable = config["backgrounds"]["processes"][process].get("slice_variable")
        if variable in MADGRAPH_VARIABLES and variable not in PYTHIA_KEYS:
            raise ConfigError(
                f"backgrounds.processes.{process}.slice_variable = {variable!r}: {variable.upper()} slices "
                "exist only on the MadGraph path (its cut function); Pythia slices in mhat or pthat"
            )
    problem = embedded_model_problem(config["model"], workdir)
    if problem is not None:
        model = config["model"]
        raise ConfigError(
            f"model {load_model_file(Path(workdir) / model['file']).name} (model.file = {model['file']!r}) "
            f"needs MadGraph: {problem}, and Pythia's built-in leptoquark (PDG {PYTHIA_LEPTOQUARK}) is a "
            f"colour triplet of charge -1/3 that decays to one quark and one charged lepton. "
            f"{reason or f'generator = {generator!r}'}. Install MadGraph 3.5 or newer and give its "
            "mg5_aMC as madgraph.path or MG5_AMC (docs/madgraph.md), or choose a model Pythia has"
        )
    yukawa = config["model"]["yukawa"]
    couplings = [(i, j) for i in range(3) for j in range(3) if yukawa[i][j] != 0]
    if len(couplings) > 1:
        names = ", ".join(f"y{i + 1}{j + 1}" for i, j in couplings)
        raise ConfigError(
            f"model.yukawa has several non-zero couplings ({names}); Pythia's built-in leptoquark "
            "couples to one quark-lepton pair: keep one, or use generator: madgraph"
        )
    if config["model"]["pdg_id"] != PYTHIA_LEPTOQUARK:
        raise ConfigError(
            f"model.pdg_id = {config['model']['pdg_id']}: generator pythia needs {PYTHIA_LEPTOQUARK}, "
            "the PDG id of Pythia's built-in leptoquark"
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


def pdf_set_errors(variations: dict) -> list[str]:
    """A PDF error set the config names (variations.pdf) must be found now, not as a warning in
    every generation job; variations.pdf null (no PDF uncertainty) is always valid."""
    name, path = variations["pdf"], variations["pdf_path"]
    if name is None:
        return []
    try:
        if find_pdf_set(name, path) is not None:
            return []
    except ValueError as error:
        return [f"variations.pdf = {name!r}: {error}"]
    where = f"variations.pdf_path = {path!r}" if path else "LHAPDF_DATA_PATH (variations.pdf_path is null)"
    return [f"variations.pdf = {name!r}: no such LHAPDF set in {where}; give its directory or pdf: null"]
