"""Generator-level slices of a background: the settings that restrict a sample to its slice in
either generator, and the stitching weight of its events.

A slice is [min_gev, max_gev) of mhat (sqrt(s_hat), the mass of the whole hard final state),
pthat (the 2 -> 2 transverse momentum, Pythia only), ht (the scalar pT sum of the hard process'
jets, MadGraph only) or st (MadGraph only: the scalar pT sum of its jets, b quarks and charged
leptons, the generator-level S_T); max_gev None is open-ended. Slices of one
process partition its phase space, so their events, each weighted by
sigma_slice x L / N_slice, add up to the whole process.
"""

from __future__ import annotations

from ..conventions import PB_TO_FB

PYTHIA_KEYS = {
    "mhat": ("PhaseSpace:mHatMin", "PhaseSpace:mHatMax"),
    "pthat": ("PhaseSpace:pTHatMin", "PhaseSpace:pTHatMax"),
}
MADGRAPH_VARIABLES = ("mhat", "ht", "st")
# MadGraph's run-card key for the lower mhat edge (its integration then starts there)
MADGRAPH_MIN_KEY = "dsqrt_shat"
CUT_FUNCTION = "dummy_cuts"


def pythia_slice_settings(slice: dict | None) -> list[str]:
    """Pythia settings of a slice {variable, min_gev, max_gev}; none for an unsliced sample.
    Pythia's maximum -1 means no upper limit."""
    if slice is None:
        return []
    low, high = PYTHIA_KEYS[slice["variable"]]
    top = -1.0 if slice["max_gev"] is None else slice["max_gev"]
    return [f"{low} = {slice['min_gev']:g}", f"{high} = {top:g}"]


def card_conflicts(settings: list[str], slice: dict | None, card: str) -> list[str]:
    """Card lines that set what the slice sets (the slice must be the only cut on its variable)."""
    if slice is None:
        return []
    keys = {key.lower() for key in PYTHIA_KEYS[slice["variable"]]}
    return [
        f"{card}: {line!r} sets the slice variable {slice['variable']}; the slices in the config set it"
        for line in settings
        if line.split("=", 1)[0].strip().lower() in keys
    ]


def madgraph_slice_settings(slice: dict | None) -> dict[str, str]:
    """Run-card settings of a slice: its lower edge as dsqrt_shat, so that MadGraph integrates
    and samples only above it. For mhat that is the edge itself; for ht and st it is a bound
    that loses nothing: with the incoming partons along the beams, sqrt(s_hat) of the final state
    is at least the scalar sum of its transverse energies, so at least any pT sum of a subset of
    it. Every edge is also in the cut function of :func:`madgraph_cut_function`, which makes the
    slice half-open."""
    if slice is None:
        return {}
    if slice["variable"] not in MADGRAPH_VARIABLES:
        raise ValueError(
            f"slice variable {slice['variable']!r}: MadGraph slices support {MADGRAPH_VARIABLES}"
        )
    return {MADGRAPH_MIN_KEY: f"{slice['min_gev']:g}"}


# Fortran that computes each slice variable from P (the event's momenta in MadGraph's
# dummy_cuts: 1, 2 incoming, 3 ... nexternal outgoing, decay products included)
_VARIABLE_CODE = {
    "mhat": """      do mu = 0, 3
        q(mu) = 0d0
        do i = 3, nexternal
          q(mu) = q(mu) + P(mu, i)
        enddo
      enddo
      x = dsqrt(max(q(0)**2 - q(1)**2 - q(2)**2 - q(3)**2, 0d0))""",
    "ht": """      x = 0d0
      do i = 3, nexternal
        if (is_a_j(i)) x = x + dsqrt(P(1, i)**2 + P(2, i)**2)
      enddo""",
    "st": """      x = 0d0
      do i = 3, nexternal
        if (is_a_j(i) .or. is_a_b(i) .or. is_a_l(i))
     &    x = x + dsqrt(P(1, i)**2 + P(2, i)**2)
      enddo""",
}
_VARIABLE_TEXT = {
    "mhat": "sqrt(s_hat), the mass of\nc     the whole final state",
    "ht": "HT, the scalar pT sum of\nc     the jets (MadGraph's is_a_j: light quarks and gluons)",
    "st": "S_T, the scalar pT sum of\nc     the jets, b quarks and charged leptons",
}


def madgraph_cut_function(slice: dict) -> str:
    """Fortran dummy_cuts (run-card custom_fcts) that keeps events with min <= x < max for the
    slice variable x: mhat (the mass of the whole final state, decay products included, so it
    holds with decay chains), ht or st. An event exactly on an edge belongs to the slice above it."""
    top = "-1d0" if slice["max_gev"] is None else f"{slice['max_gev']:.6f}d0"
    return f"""      logical function dummy_cuts(P)
c     bsmflow slice: xmin <= x < xmax, x = {_VARIABLE_TEXT[slice["variable"]]};
c     a negative xmax means no upper edge.
      implicit none
      include 'nexternal.inc'
      double precision P(0:3, nexternal)
      logical is_a_j(nexternal), is_a_l(nexternal)
      logical is_a_b(nexternal), is_a_a(nexternal)
      logical is_a_onium(nexternal), is_a_nu(nexternal)
      logical is_heavy(nexternal), do_cuts(nexternal)
      common /to_specisa/ is_a_j, is_a_a, is_a_l, is_a_b, is_a_nu,
     &  is_heavy, is_a_onium, do_cuts
      double precision q(0:3), x, xmin, xmax
      integer i, mu
      parameter (xmin = {slice["min_gev"]:.6f}d0, xmax = {top})
{_VARIABLE_CODE[slice["variable"]]}
      dummy_cuts = x .ge. xmin
      if (xmax .ge. 0d0) dummy_cuts = dummy_cuts .and. x .lt. xmax
      return
      end
"""


def stitching_weight(sigma_pb: float, luminosity_fb: float, n_events: int) -> float:
    """Events at the luminosity that one unweighted event of a slice stands for:
    sigma_slice x L / N_slice (pb -> fb)."""
    return sigma_pb * PB_TO_FB * luminosity_fb / n_events
