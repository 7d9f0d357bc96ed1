"""The model stage (rules/model.smk): a UFO from a model file, a ready UFO or FeynRules, its
validation, and one param card per mass point."""
