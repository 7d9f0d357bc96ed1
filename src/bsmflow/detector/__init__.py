"""Parametrised detector response (rule detector_response): efficiencies, resolutions and the jet
energy scale of a YAML detector card applied to particle-level leptons and jets."""

PARTICLE_LEVEL = "particle"


def level_name(detector: str) -> str:
    """The level a config's ``detector`` value gives: 'particle' or 'detector:<card>'."""
    return PARTICLE_LEVEL if detector == "none" else f"detector:{detector}"


def level_label(level: str) -> str:
    """How plots and tables name a level: 'particle level' or 'detector level (<card>)'."""
    if level == PARTICLE_LEVEL:
        return "particle level"
    return f"detector level ({level.split(':', 1)[1]})"


def level_dir(detector: str) -> str:
    """The sub-directory of a level's outputs: '' (particle level keeps the top-level layout) or
    'detector/<card>/'."""
    return "" if detector == "none" else f"detector/{detector}/"
