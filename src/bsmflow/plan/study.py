"""The study plan: one :class:`Study` built from the validated config owns the samples, chunks,
mass points, level, paths and plot names, and hands every job kind its frozen spec.

The rules ask the study (rules/common.smk passes the job's wildcards); no rule or script reshapes
the config. Each spec carries exactly the values that shape its job's output, so Snakemake's
params check reruns a job when, and only when, one of them changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..analyse.spec import AnalysisSpec
from ..cluster.spec import ClusterSpec
from ..conventions import (
    BRAZIL_PLOT,
    SIGMA_VS_MASS_PLOT,
    SIGNAL_SHAPES_PLOT,
    level_dir,
    level_name,
    mass_plot,
)
from ..detector.spec import DetectorSpec
from ..generate.mg5 import custom_files
from ..generate.spec import GenerationSpec, GridpackSpec
from ..infer.spec import InferenceSummarySpec, WorkspaceSpec
from ..model.spec import ParamCardSpec, UfoSpec
from ..seeds import derive_seed
from ..shower.spec import ShowerSpec
from ..summarise.spec import SummarySpec
from .layout import Layout
from .samples import Sample, chunk_sizes, samples

SUMMARY_TABLES = ("cross_sections.csv", "cutflow.csv", "yields.csv", "histograms.csv", "histograms.root")
# the config keys a sample's manifest records (with the sample's own events, slice and sampling)
MANIFEST_KEYS = (
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


@dataclass(frozen=True)
class Study:
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

    # model stage
    def ufo_inputs(self, **_) -> dict:
        """What the UFO is made from: the model file, a ready UFO directory or the FeynRules files."""
        model = self.config["model"]
        if model["source"] == "builder":
            return {"model_file": model["file"]}
        if model["source"] == "ufo":
            return {"ufo": model["ufo"]}
        return {"feynrules": model["feynrules"]["model_files"]}

    def ufo_spec(self, **_) -> dict:
        model = self.config["model"]
        return UfoSpec(
            source=model["source"],
            model_file=model.get("file"),
            ufo=model.get("ufo"),
            feynrules=model.get("feynrules"),
            yukawa=model["yukawa"],
            yukawa_block=model["yukawa_block"],
        ).params()

    def param_card_spec(self, mass: str, **_) -> dict:
        model = self.config["model"]
        return ParamCardSpec(
            mass_gev=int(mass),
            yukawa=model["yukawa"],
            yukawa_block=model["yukawa_block"],
            top_mass_gev=float(model["top_mass_gev"]),
            pdg_id=model["pdg_id"],
        ).params()

    def model_keys(self) -> dict:
        """How to read a param card: the leptoquark's PDG id and Yukawa block."""
        return {
            "pdg_id": self.config["model"]["pdg_id"],
            "yukawa_block": self.config["model"]["yukawa_block"],
        }

    # generation stage
    def slice_of(self, sample: str) -> dict | None:
        """The sample's generator-level slice {variable, min_gev, max_gev}, None if unsliced."""
        cut = self.samples[sample].slice
        return (
            None
            if cut is None
            else {"variable": cut.variable, "min_gev": cut.min_gev, "max_gev": cut.max_gev}
        )

    def generation_spec(self, sample: str, chunk: str, **_) -> dict:
        index, planned = int(chunk), self.samples[sample]
        config = self.config
        pythia = self.generator == "pythia"
        return GenerationSpec(
            sample=sample,
            chunk=index,
            n_events=self.chunks[sample][index],
            seed=self.seed(sample, index, "generate"),
            sqrt_s_gev=float(config["sqrt_s_gev"]),
            pdf=dict(config["pdf"]),
            # the shower variations are not here: switching them reruns only the shower
            variations={key: config["variations"][key] for key in ("scale", "pdf", "pdf_path")},
            slice=self.slice_of(sample) if pythia else None,
            decay_filter=planned.decay_filter if pythia else None,
            bias=planned.bias if pythia else None,
            sampling=planned.sampling if pythia else None,
            param_card_keys=self.model_keys() if pythia and planned.is_signal else None,
        ).params()

    def generation_inputs(self, sample: str, **_) -> dict:
        """The Pythia process card, plus the model stage's param card for a signal sample."""
        planned = self.samples[sample]
        inputs = {"card": self.layout.pythia_card(planned.process)}
        if planned.is_signal:
            inputs["param_card"] = self.layout.param_card(planned.mass_gev)
        return inputs

    def madgraph_custom_files(self, process: str) -> list[str]:
        """Fortran files a process's run card pulls in (custom_fcts), relative to the workdir."""
        return [os.path.relpath(path) for path in custom_files(self.layout.madgraph_card(process, "run.mg5"))]

    def generation_cards(self, sample: str) -> list[str]:
        """Every card that shapes a sample's generation with the active generator."""
        planned = self.samples[sample]
        if self.generator == "pythia":
            cards = [self.layout.pythia_card(planned.process)]
        else:
            process = planned.process
            cards = [
                self.layout.madgraph_card(process, "process.mg5"),
                self.layout.madgraph_card(process, "run.mg5"),
                *self.madgraph_custom_files(process),
            ]
        if planned.is_signal:
            cards.append(self.layout.param_card(planned.mass_gev))
        return cards

    def madgraph_model(self, process: str, **_) -> str:
        """Signal processes import the model stage's UFO; backgrounds the plain SM UFO."""
        return (
            f"{self.layout.model_dir}/UFO"
            if process == self.config["signal"]["process"]
            else self.layout.sm_ufo
        )

    def gridpack_inputs(self, sample: str, **_) -> dict:
        planned = self.samples[sample]
        inputs = {
            "process": self.layout.madgraph_process(planned.process),
            "run_card": self.layout.madgraph_card(planned.process, "run.mg5"),
            "custom": self.madgraph_custom_files(planned.process),
        }
        if planned.is_signal:
            inputs["param_card"] = self.layout.param_card(planned.mass_gev)
        return inputs

    def gridpack_spec(self, sample: str, **_) -> dict:
        return GridpackSpec(
            sample=sample,
            sqrt_s_gev=float(self.config["sqrt_s_gev"]),
            pdf=dict(self.config["pdf"]),
            seed=self.seed(sample, 0, "gridpack"),
            slice=self.slice_of(sample),
        ).params()

    # shower, cluster and detector stages
    def shower_inputs(self, generator: str, sample: str, chunk: str, **_) -> dict:
        inputs = {"lhe": self.layout.lhe(sample, chunk), "card": self.layout.shower_card}
        matching = self.layout.matching_card(self.samples[sample].process)
        if matching is not None:
            inputs["matching"] = matching
        return inputs

    def shower_spec(self, sample: str, chunk: str, **_) -> dict:
        return ShowerSpec(
            sample=sample,
            chunk=int(chunk),
            seed=self.seed(sample, int(chunk), "shower"),
            shower_variations=self.config["variations"]["shower"],
            sampling=self.samples[sample].shower_sampling,
        ).params()

    def hepmc_output(self) -> dict:
        """The shower job's HepMC3 output when config hepmc.write asks for it (none otherwise)."""
        return {"hepmc": self.hepmc_pattern} if self.config["hepmc"]["write"] else {}

    def cluster_spec(self, **_) -> dict:
        objects = self.config["objects"]
        return ClusterSpec(leptons=dict(objects["leptons"]), jets=dict(objects["jets"])).params()

    def detector_spec(self, sample: str, chunk: str, **_) -> dict:
        objects = {key: dict(self.config["objects"][key]) for key in ("leptons", "jets")}
        return DetectorSpec(seed=self.seed(sample, int(chunk), "detector"), objects=objects).params()

    # analysis stage
    def analysis_inputs(self, sample: str, **_) -> dict:
        """The sample's objects at the study's level, chunk by chunk, and its generation records."""
        return {
            "objects": self.chunk_paths(self.layout.objects(), sample),
            "generation": self.chunk_paths(self.layout.generation_record(), sample),
        }

    def analysis_spec(self, sample: str, **_) -> dict:
        planned, config = self.samples[sample], self.config
        return AnalysisSpec(
            sample=planned.name,
            process=planned.process,
            mass_gev=planned.mass_gev,
            slice=self.slice_of(sample),
            selection=dict(config["selection"]),
            binning=dict(config["binning"]),
            luminosity_fb=float(config["luminosity_fb"]),
            level=self.level,
        ).params()

    def manifest_inputs(self, sample: str, **_) -> dict:
        """The sample's stage records plus every card that shaped it (hashed into the manifest)."""
        inputs = self.analysis_inputs(sample)
        inputs["analysis"] = self.layout.analysis_record(sample)
        inputs["cards"] = self.generation_cards(sample) + [self.layout.shower_card]
        if self.detector != "none":
            inputs["cards"].append(self.layout.detector_card(self.detector))
        matching = self.layout.matching_card(self.samples[sample].process)
        if matching is not None:
            inputs["cards"].append(matching)
        return inputs

    def manifest_params(self, sample: str, **_) -> dict:
        """The sample's identity and the config subset that shaped it."""
        planned = self.samples[sample]
        subset = {key: self.config[key] for key in MANIFEST_KEYS}
        subset |= {
            "events": planned.events,
            "slice": self.slice_of(sample),
            "decay_filter": planned.decay_filter,
            "pythia_bias": planned.bias,
            "pt_sampling": planned.sampling,
        }
        if planned.is_signal:
            subset["model"] = self.config["model"]
        return {
            "sample": {"sample": planned.name, "process": planned.process, "mass_gev": planned.mass_gev},
            "config": subset,
            "generator_choice": self.generator_reason,
        }

    # summary and inference stages
    def summary_spec(self) -> dict:
        config = self.config
        return SummarySpec(
            generator=self.generator,
            sqrt_s_gev=float(config["sqrt_s_gev"]),
            luminosity_fb=float(config["luminosity_fb"]),
            complete_above_gev=float(config["inference"]["fit_region"]["min_gev"]),
            level=self.level,
        ).params()

    def workspace_inputs(self, sample: str, **_) -> dict:
        """The signal's and every background's selected events, the signal's cross section and
        param card, the reference table and (when configured) the observed counts."""
        inference = self.config["inference"]
        inputs = {
            "signal_events": self.layout.selected_events(sample),
            "signal_record": self.layout.analysis_record(sample),
            "param_card": self.layout.param_card(self.samples[sample].mass_gev),
            "reference_table": inference["reference_table"],
            "backgrounds": [self.layout.selected_events(name) for name in self.background_samples],
        }
        if inference["observed"] is not None:
            inputs["observed"] = inference["observed"]
        return inputs

    def workspace_spec(self, sample: str, **_) -> dict:
        return WorkspaceSpec(
            sample=sample,
            mass_gev=self.samples[sample].mass_gev,
            backgrounds=self.background_samples,
            background_processes=[self.samples[name].process for name in self.background_samples],
            inference=dict(self.config["inference"]),
            binning=dict(self.config["binning"]),
            model_keys=self.model_keys(),
            toys_seed=self.seed(sample, 0, "toys"),
        ).params()

    def inference_summary_spec(self) -> dict:
        config = self.config
        return InferenceSummarySpec(
            inference=dict(config["inference"]),
            luminosity_fb=float(config["luminosity_fb"]),
            sqrt_s_gev=float(config["sqrt_s_gev"]),
            generator=self.generator,
            level=self.level,
        ).params()
