"""The slice cuts MadGraph runs are half-open: the rendered dummy_cuts function of two adjacent
slices, compiled with gfortran as MadGraph compiles it (fixed form, 72 columns, its FFLAGS), evaluated on events exactly
on the shared edge and just on either side of it. An event on an edge belongs to exactly one
slice, the upper one. gfortran is installed from Debian when missing (as root), else skipped."""

import os
import shutil
import subprocess

import pytest

from bsmflow.generate.slices import madgraph_cut_function

# legs 3, 4: leptons along x; 5, 6: jets along y (massless, E = |p|); nexternal = 6. The momenta
# are chosen so that mhat, HT and S_T come out exact in floating point at the edge.
DRIVER = """      program slicetest
      implicit none
      include 'nexternal.inc'
      double precision P(0:3, nexternal), lep(3), jet1(3), jet2(3)
      logical is_a_j(nexternal), is_a_l(nexternal)
      logical is_a_b(nexternal), is_a_a(nexternal)
      logical is_a_onium(nexternal), is_a_nu(nexternal)
      logical is_heavy(nexternal), do_cuts(nexternal)
      common /to_specisa/ is_a_j, is_a_a, is_a_l, is_a_b, is_a_nu,
     &  is_heavy, is_a_onium, do_cuts
      logical dummy_cuts
      external dummy_cuts
      integer k, i, mu
      data lep /299.9995d0, 300d0, 300.0005d0/
      data jet1 /100d0, 100d0, 100d0/
      data jet2 /100d0, 100d0, 100d0/
      do i = 1, nexternal
        is_a_j(i) = i .ge. 5
        is_a_l(i) = i .eq. 3 .or. i .eq. 4
        is_a_b(i) = .false.
        do mu = 0, 3
          P(mu, i) = 0d0
        enddo
      enddo
      do k = 1, 3
        call event(P, lep(k), jet1(k), jet2(k))
        write (*, '(L1)') dummy_cuts(P)
      enddo
c     HT and S_T events, each written twice: jets of pT 300 and 199.999 / 200 / 200.001,
c     leptons of pT 300 (HT 499.999 / 500 / 500.001, S_T 1099.999 / 1100 / 1100.001)
      do k = 0, 5
        call event(P, 300d0, 300d0, 199.999d0 + 0.001d0 * mod(k, 3))
        write (*, '(L1)') dummy_cuts(P)
      enddo
      end

      subroutine event(P, el, ej1, ej2)
      implicit none
      include 'nexternal.inc'
      double precision P(0:3, nexternal), el, ej1, ej2
      P(0, 3) = el
      P(1, 3) = el
      P(0, 4) = el
      P(1, 4) = -el
      P(0, 5) = ej1
      P(2, 5) = ej1
      P(0, 6) = ej2
      P(2, 6) = -ej2
      end
"""


@pytest.fixture(scope="module")
def gfortran():
    found = shutil.which("gfortran")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "gfortran"]):
            subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
        found = shutil.which("gfortran")
    if found is None:
        pytest.skip("gfortran not found and not installable here (apt-get as root)")
    return found


def passes(gfortran, tmp_path, slice: dict) -> list[bool]:
    """The compiled cut function's verdicts on the nine test events (three each for mhat, HT, S_T)."""
    work = tmp_path / f"{slice['variable']}_{slice['min_gev']:g}_{slice['max_gev']}"
    work.mkdir()
    (work / "nexternal.inc").write_text("      integer nexternal\n      parameter (nexternal = 6)\n")
    (work / "cuts.f").write_text(madgraph_cut_function(slice))
    (work / "driver.f").write_text(DRIVER)
    compiled = subprocess.run(
        [gfortran, "-O", "-w", "-fPIC", "-o", "slicetest", "driver.f", "cuts.f"],  # MadGraph FFLAGS
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stderr
    output = subprocess.run(["./slicetest"], cwd=work, capture_output=True, text=True, check=True).stdout
    return [line.strip() == "T" for line in output.split()]


@pytest.mark.parametrize(
    "variable, edge, events",
    [("mhat", 800.0, slice(0, 3)), ("ht", 500.0, slice(3, 6)), ("st", 1100.0, slice(6, 9))],
)
def test_an_event_on_an_edge_belongs_to_exactly_one_slice(gfortran, tmp_path, variable, edge, events):
    below = passes(gfortran, tmp_path, {"variable": variable, "min_gev": edge / 2, "max_gev": edge})
    above = passes(gfortran, tmp_path, {"variable": variable, "min_gev": edge, "max_gev": None})
    # the events just below, exactly on and just above the edge
    assert below[events] == [True, False, False]
    assert above[events] == [False, True, True]
    top = passes(gfortran, tmp_path, {"variable": variable, "min_gev": edge, "max_gev": 2 * edge})
    assert top[events] == [False, True, True]
