"""Where a study's files live: every path template of the workflow, in one place.

Paths are relative to the working directory. Templates keep Snakemake's wildcards in braces
({generator}, {sample}, {chunk}, {mass}, {process}, {detector}); a level's outputs (particle level,
or a detector card's) sit under ``level_dir``: '' or 'detector/<card>/'.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..detector.card import DETECTORS_DIR

# the reference cross sections drawn in sigma_vs_mass (the inference has its own, config
# inference.reference_table)
PLOT_REFERENCE_TABLE = "config/reference/lq_pair_xsec.csv"
PLOT_FORMATS = ("png", "pdf")


@dataclass(frozen=True)
class Layout:
    """The results tree of one study: generator ('pythia' or 'madgraph'), the model's name, the
    cards directory and the analysis level's sub-directory."""

    generator: str
    model_name: str
    cards_dir: str
    level_dir: str

    # model stage
    @property
    def model_dir(self) -> str:
        return f"results/model/{self.model_name}"

    def param_card(self, mass) -> str:
        """The model stage's param card of one mass point (GeV, or the '{mass}' wildcard)."""
        return f"{self.model_dir}/param_card_M{mass}.dat"

    sm_ufo = "results/model/SM/UFO"
    plot_reference_table = PLOT_REFERENCE_TABLE

    # cards
    def pythia_card(self, process: str) -> str:
        return f"{self.cards_dir}/{process}/pythia.cmnd"

    @property
    def shower_card(self) -> str:
        return f"{self.cards_dir}/shower.cmnd"

    def madgraph_card(self, process: str, name: str) -> str:
        """cards/<process>/madgraph/<name>: process.mg5, run.mg5 or matching.cmnd."""
        return f"{self.cards_dir}/{process}/madgraph/{name}"

    def matching_card(self, process: str) -> str | None:
        """The MLM matching card of a process on the MadGraph path, None where there is none."""
        path = self.madgraph_card(process, "matching.cmnd")
        return path if self.generator == "madgraph" and os.path.isfile(path) else None

    @staticmethod
    def detector_card(detector: str) -> str:
        return f"{DETECTORS_DIR}/{detector}.yaml"

    # per-sample files (generator and sample given, or left as wildcards)
    @property
    def sample_dir(self) -> str:
        return f"results/{self.generator}"

    def lhe(self, sample: str = "{sample}", chunk="{chunk}") -> str:
        return f"{self.sample_dir}/{sample}/lhe/chunk{chunk}.lhe.gz"

    def generation_record(self, sample: str = "{sample}", chunk="{chunk}") -> str:
        return f"{self.sample_dir}/{sample}/lhe/chunk{chunk}.json"

    def objects(self, sample: str = "{sample}", chunk="{chunk}") -> str:
        """The objects file the analysis reads at this study's level."""
        return f"{self.sample_dir}/{sample}/{self.level_dir}objects/chunk{chunk}.root"

    def shower(self, sample: str = "{sample}", chunk="{chunk}") -> str:
        return f"{self.sample_dir}/{sample}/shower/chunk{chunk}.root"

    def analysis_record(self, sample: str) -> str:
        return f"{self.sample_dir}/{sample}/{self.level_dir}analysis.json"

    def selected_events(self, sample: str) -> str:
        return f"{self.sample_dir}/{sample}/{self.level_dir}selected.root"

    def manifest(self, sample: str) -> str:
        return f"{self.sample_dir}/{sample}/{self.level_dir}manifest.json"

    def gridpack(self, sample: str = "{sample}") -> str:
        return f"results/madgraph/{sample}/gridpack/gridpack.tar.gz"

    def gridpack_record(self, sample: str = "{sample}") -> str:
        return f"results/madgraph/{sample}/gridpack/gridpack.json"

    @staticmethod
    def madgraph_process(process: str) -> str:
        return f"results/madgraph/{process}/process.tar"

    @staticmethod
    def hepmc(record: str) -> str:
        """HepMC3 events of a shower chunk; the record kind (final or full) is in the name."""
        return f"results/{{generator}}/{{sample}}/hepmc/chunk{{chunk}}.{record}.hepmc3.gz"

    # summaries, plots and inference of the level
    @property
    def summary_dir(self) -> str:
        return f"results/{self.level_dir}summary"

    @property
    def plots_dir(self) -> str:
        return f"results/{self.level_dir}plots"

    @property
    def inference_dir(self) -> str:
        return f"results/{self.level_dir}inference"

    def inference(self, sample: str, name: str) -> str:
        """workspace.json, workspace_metadata.json or limits.json of one mass point."""
        return f"{self.inference_dir}/{sample}/{name}"

    def plots(self, stems: list[str]) -> list[str]:
        return [f"{self.plots_dir}/{stem}.{ext}" for stem in stems for ext in PLOT_FORMATS]

    @staticmethod
    def djr(sample: str) -> list[str]:
        """The matching check of a sample: shower level, the same at every analysis level."""
        return [
            f"results/summary/djr_{sample}.json",
            *(f"results/plots/djr_{sample}.{e}" for e in PLOT_FORMATS),
        ]
