"""Parametrised detector response (rule detector_response): efficiencies, resolutions and the jet
energy scale of a YAML detector card applied to particle-level leptons and jets."""
