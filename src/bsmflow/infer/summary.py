"""The inference summary over the scan (rule inference_summary): limits.csv with one row per
mass point, mass_limit.json with the excluded mass and its band, and the line make run prints."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..io import atomic_output
from ..stage import write_record
from .mass_limit import crossing

LIMIT_COLUMNS = {
    "expected_limit_fb": "median",
    "expected_m2_fb": "m2",
    "expected_m1_fb": "m1",
    "expected_p1_fb": "p1",
    "expected_p2_fb": "p2",
}


def limit_table(records: list[dict]) -> pd.DataFrame:
    """limits.csv: one row per mass point."""
    rows = []
    for r in sorted(records, key=lambda r: r["mass_gev"]):
        row = {
            "mass_gev": r["mass_gev"],
            "sigma_theory_fb": r["theory_sigma_br_fb"],
            "sigma_theory_err_fb": r["theory_sigma_br_err_fb"],
            **{column: r["limit_fb_expected"][key] for column, key in LIMIT_COLUMNS.items()},
            "cls_expected_mu1": r["cls_mu1_expected"],
            "z0_expected": r["z0_expected"],
            "calculator": r["calculator"],
        }
        if "limit_fb_observed" in r:
            row["observed_limit_fb"] = r["limit_fb_observed"]
        rows.append(row)
    return pd.DataFrame(rows)


def mass_limits(table: pd.DataFrame) -> dict:
    """The expected mass limit and its +-1 sigma band (and the observed one, with data)."""
    masses, theory = table["mass_gev"].tolist(), table["sigma_theory_fb"].tolist()
    result = {
        "expected": crossing(masses, table["expected_limit_fb"].tolist(), theory),
        # a weaker limit (+1 sigma) excludes less: the band's low edge
        "expected_minus_1sigma": crossing(masses, table["expected_p1_fb"].tolist(), theory),
        "expected_plus_1sigma": crossing(masses, table["expected_m1_fb"].tolist(), theory),
    }
    if "observed_limit_fb" in table:
        result["observed"] = crossing(masses, table["observed_limit_fb"].tolist(), theory)
    return result


def write_limit_summary(
    limit_files: list[str],
    output_csv: str,
    output_json: str,
    *,
    inference: dict,
    luminosity_fb: float,
    level: str = "particle",
) -> dict:
    """limits.csv (one row per mass point, with its ``level``) and mass_limit.json."""
    records = [json.loads(Path(path).read_text()) for path in limit_files]
    table = limit_table(records)
    table["level"] = level
    crossings = mass_limits(table)
    summary = {
        "expected_mass_limit_gev": crossings["expected"]["value"],
        "expected_mass_limit_bound": crossings["expected"]["bound"],
        "expected_mass_limit_band_gev": {
            "minus_1sigma": crossings["expected_minus_1sigma"],
            "plus_1sigma": crossings["expected_plus_1sigma"],
        },
        "method": (
            f"CLs with the profile-likelihood test statistic q~_mu (pyhf {__import__('pyhf').__version__}), "
            f"{inference['cl']:g} CL, calculator per point: "
            f"{dict(zip(table['mass_gev'].tolist(), table['calculator'], strict=True))}; "
            "mass limit where the expected sigma x BR limit crosses the theory curve, log-linear "
            "interpolation between scan points"
        ),
        "normalisation": inference["signal_normalisation"],
        "luminosity_fb": luminosity_fb,
        "level": level,
        "observable": inference["observable"],
        "fit_region": inference["fit_region"],
    }
    if "observed" in crossings:
        summary["observed_mass_limit_gev"] = crossings["observed"]["value"]
        summary["observed_mass_limit_bound"] = crossings["observed"]["bound"]
    with atomic_output(output_csv) as tmp:
        table.to_csv(tmp, index=False)
    write_record(output_json, summary)
    return summary


def describe(summary: dict) -> str:
    """One line for the terminal: the expected mass limit with its band."""
    value, bound = summary["expected_mass_limit_gev"], summary["expected_mass_limit_bound"]
    band = summary["expected_mass_limit_band_gev"]

    def text(c):
        return f"{c['value']:.0f} GeV" if c["value"] is not None else c["bound"] + " GeV"

    central = f"{value:.0f} GeV" if value is not None else f"{bound} GeV (no crossing in the scan)"
    return (
        f"expected mass limit ({summary['normalisation']} normalisation, "
        f"{summary['luminosity_fb']:g} fb^-1): "
        f"{central}, -1 sigma {text(band['minus_1sigma'])}, +1 sigma {text(band['plus_1sigma'])}"
    )
