"""The jobs of the model and generation stages as the study plans them: inputs and specs of the
UFO, the param cards, Pythia's chunks and MadGraph's process, gridpack and chunks. A mixin of
:class:`bsmflow.plan.study.Study` (``self`` has its config, generator, samples, chunks, layout)."""

from __future__ import annotations

import os

from ..generate.mg5 import custom_files
from ..generate.spec import GenerationSpec, GridpackSpec
from ..model.spec import ParamCardSpec, UfoSpec


class UpstreamJobs:
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
        planned = self.samples[sample].slice
        return (
            None
            if planned is None
            else {"variable": planned.variable, "min_gev": planned.min_gev, "max_gev": planned.max_gev}
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
