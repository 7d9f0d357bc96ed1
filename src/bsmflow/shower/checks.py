"""Checks of the shower stage's settings in the config, run before any job."""

from __future__ import annotations

from collections.abc import Iterator

from .sampling import at_hard_process


def _settings(process: str, spec: dict) -> Iterator[tuple[str, dict]]:
    """(config key, settings) of a background process and of each of its slices."""
    key = f"backgrounds.processes.{process}"
    yield key, spec
    groups = {
        "slices": spec.get("slices"),
        "channel_split.slices": (spec.get("channel_split") or {}).get("slices"),
        "madgraph_slices.slices": (spec.get("madgraph_slices") or {}).get("slices"),
    }
    for group, parts in groups.items():
        for i, part in enumerate(parts or []):
            yield f"{key}.{group}[{i}]", part


def sampling_errors(backgrounds: dict) -> list[str]:
    """Each shower_sampling (of a process or of one of its slices) has a veto_scale_gev when it
    decides in the shower and none when it decides at the hard process, before the shower."""
    messages = []
    for process, spec in backgrounds["processes"].items():
        for key, settings in _settings(process, spec):
            sampling = settings.get("shower_sampling")
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
