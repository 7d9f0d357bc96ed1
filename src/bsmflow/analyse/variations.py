"""Theory variations (event weights) turned into uncertainties: which weights belong together, their
envelopes for tables and plots, and the normalisation and shape parts for the fit.

Groups: ``scale``, the seven (mu_R, mu_F) points (weight ids muR_*_muF_*), taken as an envelope
(bin by bin the lowest and highest of the seven); ``isr`` and ``fsr``, Pythia's shower
renormalisation scale x 0.5 (up: more radiation) and x 2 (down), taken as the two-sided variation
they are; ``pdf``, the members of an error set (pdf_<member>), combined as the set prescribes
(:mod:`bsmflow.generate.pdf_weights`).
"""

from __future__ import annotations

import numpy as np

SCALE = "scale"
SHOWER_GROUPS = {"isr": ("isr_mur_0p5", "isr_mur_2"), "fsr": ("fsr_mur_0p5", "fsr_mur_2")}
PDF_PREFIX = "pdf_"


def groups(names: list[str]) -> dict[str, list[str]]:
    """Group -> the variation names present, in order: scale, isr, fsr, pdf (empty groups left out).
    For isr and fsr the first name is the up variation."""
    found = {SCALE: [name for name in names if name.startswith("muR_")]}
    for group, pair in SHOWER_GROUPS.items():
        present = [name for name in pair if name in names]
        if present and len(present) != 2:
            raise ValueError(f"variation {group} needs both {pair}, found {present}")
        found[group] = present
    found["pdf"] = [name for name in names if name.startswith(PDF_PREFIX)]
    unknown = set(names) - {name for members in found.values() for name in members}
    if unknown:
        raise ValueError(f"unknown variation weights {sorted(unknown)}")
    return {group: members for group, members in found.items() if members}


def band(group: str, nominal: np.ndarray, variations: dict[str, np.ndarray], members: list[str]):
    """(down, up) arrays of one group around ``nominal`` (bin contents or yields). scale: the
    envelope of the seven points; isr/fsr: the two variations as they are (up = muR x 0.5);
    pdf: nominal -/+ the set's combined uncertainty (members given in order, see pdf_weights)."""
    if group == SCALE:
        stack = np.array([variations[name] for name in members] + [nominal])
        return stack.min(axis=0), stack.max(axis=0)
    if group in SHOWER_GROUPS:
        up, down = members
        return np.asarray(variations[down]), np.asarray(variations[up])
    if group == "pdf":
        from ..generate.pdf_weights import combined_uncertainty, error_type_of

        values = np.array([variations[name] for name in members])
        error = combined_uncertainty(values, error_type_of(members[0]))
        return nominal - error, nominal + error
    raise ValueError(f"unknown variation group {group!r}")


def envelopes(
    nominal: np.ndarray, variations: dict[str, np.ndarray]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every group's (down, up) around ``nominal``."""
    nominal = np.asarray(nominal, dtype=float)
    return {
        group: band(group, nominal, variations, members)
        for group, members in groups(list(variations)).items()
    }


def total_band(
    nominal: np.ndarray, bands: dict[str, tuple[np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray]:
    """(down, up): the groups' deviations from ``nominal`` added in quadrature, each side taking
    every group's deviations in that direction (the bands the plots draw)."""
    nominal = np.asarray(nominal, dtype=float)
    down_sq = np.zeros_like(nominal)
    up_sq = np.zeros_like(nominal)
    for low, high in bands.values():
        for edge in (low, high):
            deviation = np.asarray(edge) - nominal
            up_sq += np.where(deviation > 0, deviation, 0.0) ** 2
            down_sq += np.where(deviation < 0, deviation, 0.0) ** 2
    return nominal - np.sqrt(down_sq), nominal + np.sqrt(up_sq)


def symmetrised(hi: float, lo: float) -> tuple[float, float]:
    """A normalisation variation whose up and down shifts go the same way (a statistical artefact
    or a non-linear effect that the fit's interpolation turns into a second minimum) is made
    symmetric with the larger shift, in the direction of ``hi``; others are kept."""
    if (hi - 1) * (lo - 1) <= 0:
        return hi, lo
    shift = max(abs(hi - 1), abs(lo - 1))
    sign = 1.0 if hi >= 1 else -1.0
    return 1 + sign * shift, max(1 - sign * shift, 1e-6)


def fit_systematics(
    nominal: np.ndarray, variations: dict[str, np.ndarray], *, process: str, shape_only: set[str]
) -> list[dict]:
    """pyhf modifiers of one sample from its variation histograms in the fitted bins: per group a
    normsys (the up and down totals over the nominal total) and a histosys (the up and down
    templates scaled to the nominal total: shape only), sharing one nuisance parameter. Groups in
    ``shape_only`` get only the histosys. Names: scale_<process> (uncorrelated between processes:
    different processes, different scale uncertainties), isr, fsr and pdf (one parameter shared
    by every sample: the same shower and the same PDF set). The normalisation of the scale group
    is the envelope of the seven points' totals; a same-sided normalisation is symmetrised
    (:func:`symmetrised`); a part without effect (one fitted bin has no shape) is left out."""
    nominal = np.asarray(nominal, dtype=float)
    total = float(nominal.sum())
    if total <= 0:
        return []
    totals = {name: float(np.sum(values)) for name, values in variations.items()}
    modifiers = []
    for group, (down, up) in envelopes(nominal, variations).items():
        name = f"{SCALE}_{process}" if group == SCALE else group
        low_total, high_total = (
            float(v) for v in band(group, np.array(total), totals, groups(list(totals))[group])
        )
        if group not in shape_only and low_total > 0 and high_total > 0:
            hi, lo = symmetrised(high_total / total, low_total / total)
            if max(abs(hi - 1), abs(lo - 1)) > 1e-9:
                modifiers.append({"name": name, "type": "normsys", "data": {"hi": hi, "lo": lo}})
        up_total, down_total = float(np.sum(up)), float(np.sum(down))
        hi_data = up * (total / up_total) if up_total > 0 else nominal
        lo_data = down * (total / down_total) if down_total > 0 else nominal
        if not (np.allclose(hi_data, nominal, rtol=1e-9) and np.allclose(lo_data, nominal, rtol=1e-9)):
            modifiers.append(
                {
                    "name": name,
                    "type": "histosys",
                    "data": {"hi_data": hi_data.tolist(), "lo_data": lo_data.tolist()},
                }
            )
    return modifiers
