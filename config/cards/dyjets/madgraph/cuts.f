      logical function dummy_cuts(P)
c     Generator-level cut of this process: sqrt(s_hat) > 800 GeV, the invariant mass of the whole
c     final state (the Pythia card's PhaseSpace:mHatMin = 800). Decay products included, so it
c     also holds with decay chains, where the run card cannot cut on the intermediate particles.
      implicit none
      include 'nexternal.inc'
      double precision P(0:3, nexternal)
      double precision q(0:3)
      integer i, mu
      do mu = 0, 3
        q(mu) = 0d0
        do i = 3, nexternal
          q(mu) = q(mu) + P(mu, i)
        enddo
      enddo
      dummy_cuts = q(0)**2 - q(1)**2 - q(2)**2 - q(3)**2 .gt. 800d0**2
      return
      end
