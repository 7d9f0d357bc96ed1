"""The inference stage (rules/infer.smk): pyhf workspaces per mass point, expected (and observed)
CLs limits and discovery significance, and the excluded mass."""
