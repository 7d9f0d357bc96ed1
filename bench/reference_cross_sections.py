"""Regenerate the Pythia entries of tests/data/reference_cross_sections.json: the hard process of
every Pythia sample of a config (its cards, slices and decay filters) with 40 000 events and seed
1, the cross sections the seeded test runs are compared with (tests/reference.py).

    python bench/reference_cross_sections.py tests/configs/tiny/config.yaml [--events N]

Signal samples use a param card built for their mass from the config's model block. Only the
given config's samples are (re)written; other entries are kept.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import yaml
from common import REPO, RESULTS, arguments

from bsmflow import __version__
from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec
from bsmflow.model.param_card import build_param_card, format_param_card
from bsmflow.plan.samples import samples

DATA = REPO / "tests/data/reference_cross_sections.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config")
    parser.add_argument("--events", type=int, default=40_000)
    parser.add_argument("--only", nargs="*", help="sample names to regenerate (default: all)")
    args = arguments(parser)
    output = DATA
    if args.smoke:  # the first sample, a few events, and the table written beside the results
        args.events, output = 20, RESULTS / "reference_cross_sections.json"
    config = yaml.safe_load(Path(args.config).read_text())
    if args.smoke:
        args.only = [samples(config)[0].name]
    reference = json.loads(DATA.read_text())
    model = config["model"]
    keys = {"pdg_id": model["pdg_id"], "yukawa_block": model["yukawa_block"]}
    with tempfile.TemporaryDirectory() as scratch:
        for sample in samples(config):
            if args.only and sample.name not in args.only:
                continue
            card = REPO / config["cards_dir"] / sample.process / "pythia.cmnd"
            param_card = None
            if sample.is_signal:
                param_card = Path(scratch) / f"param_card_{sample.name}.dat"
                card_data = build_param_card(
                    sample.mass_gev, model["yukawa"], model["top_mass_gev"], model["pdg_id"]
                )
                param_card.write_text(format_param_card(card_data, model["yukawa_block"]))
            cut = None
            if sample.slice is not None:
                cut = {
                    "variable": sample.slice.variable,
                    "min_gev": sample.slice.min_gev,
                    "max_gev": sample.slice.max_gev,
                }
            chunk = GenerationSpec(
                sample.name, 0, args.events, 1, float(config["sqrt_s_gev"]), dict(config["pdf"])
            )
            record = generate_lhe(
                str(card),
                str(param_card) if param_card else None,
                keys if param_card else None,
                str(Path(scratch) / f"{sample.name}.lhe.gz"),
                str(Path(scratch) / f"{sample.name}.json"),
                chunk,
                slice=cut,
                decay_filter=sample.decay_filter,
            )
            reference["pythia"][sample.name] = {
                "sigma_pb": record["sigma_pb"],
                "sigma_err_pb": record["sigma_err_pb"],
                "n_events": args.events,
                "seed": 1,
                "generator_version": record["generator_version"],
                "bsmflow_version": __version__,
            }
            print(f"{sample.name}: {record['sigma_pb']:.6g} +- {record['sigma_err_pb']:.2g} pb", flush=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(reference, indent=1) + "\n")


if __name__ == "__main__":
    main()
