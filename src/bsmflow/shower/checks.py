"""Checks of the shower stage's settings in the config, run before any job."""

from __future__ import annotations

from .sampling import at_hard_process


def sampling_errors(backgrounds: dict) -> list[str]:
    """Each shower_sampling (of a process or of one of its slices) has a veto_scale_gev when it
    decides in the shower and none when it decides at the hard process, before the shower."""
    messages = []
    for process, spec in backgrounds["processes"].items():
        places = {f"backgrounds.processes.{process}": spec}
        for group in ("slices", "channel_split", "madgraph_slices"):
            if group == "slices":
                parts, prefix = spec.get("slices") or [], "slices"
            else:
                parts, prefix = (spec.get(group) or {}).get("slices") or [], f"{group}.slices"
            for i, part in enumerate(parts):
                places[f"backgrounds.processes.{process}.{prefix}[{i}]"] = part
        for key, place in places.items():
            sampling = place.get("shower_sampling")
            if not sampling:
                continue
            scale = sampling.get("veto_scale_gev")
            if at_hard_process(sampling) and scale is not None:
                messages.append(
                    f"{key}.shower_sampling.veto_scale_gev = {scale}: not used with decide_at = "
                    "hard_process (the decision is taken on the LHE event, before the shower); remove it"
                )
            elif not at_hard_process(sampling) and scale is None:
                messages.append(
                    f"{key}.shower_sampling: veto_scale_gev missing; the decision in the shower "
                    "(decide_at = shower, the default) is taken when the evolution reaches it"
                )
    return messages
