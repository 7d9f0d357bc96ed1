"""The generation stage (rules/generate.smk): the hard process as LHE files, from Pythia 8's
built-in processes or from MadGraph gridpacks."""
