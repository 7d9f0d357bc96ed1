"""The shower stage (rules/shower.smk): Pythia 8 showers and hadronizes the LHE events."""
