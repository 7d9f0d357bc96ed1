"""The summary stage (rules/summarise.smk): tables, the histogram file and plots of all samples."""
