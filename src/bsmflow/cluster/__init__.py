"""The cluster stage (rules/cluster.smk): dressed isolated leptons and FastJet jets per event."""
