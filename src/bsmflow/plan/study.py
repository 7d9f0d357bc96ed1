"""The study plan: one :class:`Study` built from the validated config owns the samples, chunks,
mass points, level, paths and plot names, and hands every job kind its frozen spec.

The rules ask the study (rules/common.smk passes the job's wildcards); no rule or script reshapes
the config. Each spec carries exactly the values that shape its job's output, so Snakemake's
params check reruns a job when, and only when, one of them changes. The jobs' inputs and specs
are methods of the mixins in :mod:`.upstream` (model, generation) and :mod:`.downstream`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..conventions import (
    BRAZIL_PLOT,
    SIGMA_VS_MASS_PLOT,
    SIGNAL_SHAPES_PLOT,
    level_dir,
    level_name,
    mass_plot,
)
from ..seeds import derive_seed
from .downstream import DownstreamJobs
from .layout import Layout
from .samples import Sample, chunk_sizes, samples
from .upstream import UpstreamJobs

SUMMARY_TABLES = ("cross_sections.csv", "cutflow.csv", "yields.csv", "histograms.csv", "histograms.root")


@dataclass(frozen=True)
class Study(UpstreamJobs, DownstreamJobs):
    """A validated config (schema defaults filled), the generator that runs it and why."""

    config: dict
    generator: str
    generator_reason: str = ""
    mg5: str | None = None
    samples: dict[str, Sample] = field(init=False)
    chunks: dict[str, list[int]] = field(init=False)
    layout: Layout = field(init=False)

    def __post_init__(self) -> None:
        planned = {s.name: s for s in samples(self.config, self.generator)}
        set_ = object.__setattr__
        set_(self, "samples", planned)
        set_(
            self, "chunks", {n: chunk_sizes(s.events, self.config["chunk_size"]) for n, s in planned.items()}
        )
        layout = Layout(
            self.generator, self.config["model"]["name"], self.config["cards_dir"], level_dir(self.detector)
        )
        set_(self, "layout", layout)

    # what the study is
    @property
    def detector(self) -> str:
        return self.config["detector"]

    @property
    def level(self) -> str:
        return level_name(self.detector)

    @property
    def signal_samples(self) -> list[str]:
        return [name for name, sample in self.samples.items() if sample.is_signal]

    @property
    def background_samples(self) -> list[str]:
        return [name for name, sample in self.samples.items() if not sample.is_signal]

    @property
    def masses(self) -> list[int]:
        return [self.samples[name].mass_gev for name in self.signal_samples]

    @property
    def processes(self) -> list[str]:
        return sorted({sample.process for sample in self.samples.values()})

    @property
    def matched_samples(self) -> list[str]:
        """Samples the shower stage matches (MadGraph path, processes with a matching card)."""
        return [n for n, s in self.samples.items() if self.layout.matching_card(s.process) is not None]

    def seed(self, sample: str, chunk: int, stage: str) -> int:
        return derive_seed(self.config["seed"], sample, chunk, stage)

    def chunk_paths(self, pattern: str, sample: str) -> list[str]:
        """``pattern`` with the sample's chunks and the generator filled in."""
        return [
            pattern.format(generator=self.generator, sample=sample, chunk=chunk)
            for chunk in range(len(self.chunks[sample]))
        ]

    def container(self, stage: str) -> str:
        """The Apptainer image of a stage; the detector stage uses the cluster stage's unless it
        has its own."""
        images = self.config["containers"]
        if stage == "detector" and "detector" not in images:
            stage = "cluster"
        return images[stage]

    # what `snakemake` builds
    def final_outputs(self) -> list[str]:
        """Summary tables, plots, sample manifests, the inference results, the matching checks and
        (when configured) the HepMC3 files."""
        outputs = self.summary_tables() + self.summary_plots()
        outputs += [self.layout.manifest(name) for name in self.samples]
        outputs += [f"{self.layout.summary_dir}/limits.csv", f"{self.layout.summary_dir}/mass_limit.json"]
        outputs += self.inference_plots()
        outputs += [path for name in self.matched_samples for path in self.layout.djr(name)]
        if self.config["hepmc"]["write"]:
            outputs += [path for name in self.samples for path in self.chunk_paths(self.hepmc_pattern, name)]
        return outputs

    @property
    def hepmc_pattern(self) -> str:
        return self.layout.hepmc(self.config["hepmc"]["record"])

    def summary_tables(self) -> list[str]:
        return [f"{self.layout.summary_dir}/{name}" for name in SUMMARY_TABLES]

    def summary_plots(self) -> list[str]:
        stems = [mass_plot("mlq_min", mass) for mass in self.masses] + [
            SIGNAL_SHAPES_PLOT,
            SIGMA_VS_MASS_PLOT,
        ]
        return self.layout.plots(stems)

    def inference_plots(self) -> list[str]:
        return self.layout.plots([BRAZIL_PLOT] + [mass_plot("fit", mass) for mass in self.masses])

    def analysis_records(self) -> list[str]:
        return [self.layout.analysis_record(name) for name in self.samples]

    def inference_files(self, name: str) -> list[str]:
        """workspace.json, workspace_metadata.json or limits.json of every mass point."""
        return [self.layout.inference(sample, name) for sample in self.signal_samples]
