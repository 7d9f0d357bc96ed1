"""The jobs after the generation as the study plans them: shower, clustering, detector response,
analysis, manifests, summaries and inference. A mixin of :class:`bsmflow.plan.study.Study`
(``self`` has its config, generator, level, samples, chunks, layout and the upstream jobs)."""

from __future__ import annotations

from ..analyse.spec import AnalysisSpec
from ..cluster.spec import ClusterSpec
from ..detector.spec import DetectorSpec
from ..infer.spec import InferenceSummarySpec, WorkspaceSpec
from ..shower.spec import ShowerSpec
from ..summarise.spec import SummarySpec

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


class DownstreamJobs:
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
