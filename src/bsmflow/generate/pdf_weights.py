"""PDF uncertainty as per-event weights, from an LHAPDF 6 error set found on disk.

The default environment ships no error set (Pythia carries only central members), so this is
used only when ``variations.pdf`` names a set and its directory is found in ``variations.pdf_path``
or LHAPDF_DATA_PATH (for example inside an image that installs LHAPDF sets). The members are read
by Pythia's own LHAGrid1 reader (PDF:pSet = LHAGrid1:<member file>), so no LHAPDF library is
needed. Each event gets, per member k,

    w_k = w x f_k(x1, mu_F) f_k(x2, mu_F) / [f(x1, mu_F) f(x2, mu_F)]

with f the set the events were generated with. The members are combined as the set's ErrorType
says (replicas: standard deviation; hessian: half the difference of each eigenvector pair in
quadrature; symmhessian: deviations from member 0 in quadrature). Weight ids:
pdf_<errortype>_<member>, so that a reader knows how to combine them. Without a set, nothing is
computed and every output says so (:func:`pdf_note`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .scale_weights import proton_pdf

WEIGHT_GROUP = "pdf_variation"
ERROR_TYPES = ("replicas", "hessian", "symmhessian")


@dataclass(frozen=True)
class PdfSet:
    name: str
    error_type: str
    members: list[Path]

    def weight_ids(self) -> list[str]:
        return [f"pdf_{self.error_type}_{k:04d}" for k in range(len(self.members))]


def search_path(pdf_path: str | None) -> list[Path]:
    """Where sets are looked for: the configured directory, else LHAPDF_DATA_PATH (':'-separated)."""
    if pdf_path:
        return [Path(pdf_path)]
    return [Path(p) for p in os.environ.get("LHAPDF_DATA_PATH", "").split(":") if p]


def find_pdf_set(name: str, pdf_path: str | None) -> PdfSet | None:
    """The set's members and error type from <dir>/<name>/<name>.info and <name>_NNNN.dat, or
    None when no directory holds it. A set that is found but malformed raises ValueError."""
    for directory in search_path(pdf_path):
        info_file = directory / name / f"{name}.info"
        if not info_file.is_file():
            continue
        info = {}
        for line in info_file.read_text().splitlines():
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip().strip('"')
        error_type = info.get("ErrorType", "").lower()
        if error_type not in ERROR_TYPES:
            raise ValueError(
                f"{info_file}: ErrorType {info.get('ErrorType')!r}, expected one of {ERROR_TYPES}"
            )
        try:
            count = int(info["NumMembers"])
        except (KeyError, ValueError) as error:
            raise ValueError(f"{info_file}: no integer NumMembers") from error
        members = [directory / name / f"{name}_{k:04d}.dat" for k in range(count)]
        missing = [str(m) for m in members if not m.is_file()]
        if missing:
            raise ValueError(f"{info_file}: member files missing: {missing[:3]}")
        return PdfSet(name, error_type, members)
    return None


def pdf_note(name: str | None, found: PdfSet | None, pdf_path: str | None) -> str:
    """The sentence every output carries about the PDF uncertainty."""
    if name is None:
        return "PDF uncertainty not evaluated (variations.pdf: null; no error set in the default environment)"
    if found is None:
        where = ", ".join(map(str, search_path(pdf_path))) or "no LHAPDF_DATA_PATH"
        return f"PDF uncertainty not evaluated: set {name} not found in {where}"
    return f"PDF uncertainty from {name} ({len(found.members)} members, {found.error_type})"


def member_ratios(pdf_set: PdfSet, x1, x2, id1, id2, mu_f, xf_nominal) -> np.ndarray:
    """(n_events, n_members) ratios f_k f_k / (f f) at each event's x1, x2, ids and mu_F."""
    nominal = np.array(
        [
            xf_nominal(int(a), u, q * q) * xf_nominal(int(b), v, q * q)
            for a, b, u, v, q in zip(id1, id2, x1, x2, mu_f, strict=True)
        ]
    )
    ratios = np.empty((len(nominal), len(pdf_set.members)))
    for k, member in enumerate(pdf_set.members):
        pdf, _owner = proton_pdf(f"LHAGrid1:{member}")
        ratios[:, k] = [
            pdf.xf(int(a), u, q * q) * pdf.xf(int(b), v, q * q)
            for a, b, u, v, q in zip(id1, id2, x1, x2, mu_f, strict=True)
        ]
    return ratios / nominal[:, None]


def error_type_of(weight_id: str) -> str:
    """pdf_symmhessian_0003 -> symmhessian."""
    return weight_id.split("_")[1]


def combined_uncertainty(members: np.ndarray, error_type: str) -> np.ndarray:
    """The set's uncertainty on a quantity (bin contents, yields) from its values per member
    (first axis, member 0 first)."""
    members = np.asarray(members, dtype=float)
    if error_type == "replicas":
        return members[1:].std(axis=0, ddof=1)
    if error_type == "hessian":
        pairs = members[1:].reshape(-1, 2, *members.shape[1:])
        return np.sqrt(np.sum(((pairs[:, 0] - pairs[:, 1]) / 2) ** 2, axis=0))
    if error_type == "symmhessian":
        return np.sqrt(np.sum((members[1:] - members[0]) ** 2, axis=0))
    raise ValueError(f"unknown PDF ErrorType {error_type!r}")
