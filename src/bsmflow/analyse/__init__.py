"""The analysis stage (rules/analyse.smk): event selection, lepton-jet pairing, cutflow and
m_LQ histograms per sample."""
