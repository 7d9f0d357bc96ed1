      double precision function user_dynamical_scale(P)
c     mu_R = mu_F = (mT(S1) + mT(S1dag)) / 2, the leptoquarks rebuilt from their decay products
c     (legs 3+4 and 5+6, the order of the process card's decay chains). For a 2 -> 2 with equal
c     masses this equals Pythia's sqrt(mT1 mT2) (SigmaProcess:renormScale2 = factorScale2 = 2).
      implicit none
      include 'nexternal.inc'
      double precision P(0:3, nexternal)
      double precision q(0:3), r(0:3)
      integer mu
      do mu = 0, 3
        q(mu) = P(mu, 3) + P(mu, 4)
        r(mu) = P(mu, 5) + P(mu, 6)
      enddo
      user_dynamical_scale = (dsqrt(max(0d0, (q(0) + q(3)) * (q(0) - q(3))))
     &   + dsqrt(max(0d0, (r(0) + r(3)) * (r(0) - r(3))))) / 2d0
      return
      end
