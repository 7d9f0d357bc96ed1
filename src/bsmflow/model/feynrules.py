"""The FeynRules route to a UFO: a .fr model run through wolframscript + FeynRules' WriteUFO."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


class FeynRulesError(RuntimeError):
    """wolframscript or FeynRules missing, or WriteUFO failing."""


def feynrules_script(feynrules_path: str, model_files: list[str], lagrangian: str, output: str) -> str:
    """Wolfram Language script that loads the models and writes the UFO to `output`."""
    models = ", ".join(f'"{Path(m).resolve()}"' for m in model_files)
    return "\n".join(
        [
            f'$FeynRulesPath = SetDirectory["{Path(feynrules_path).resolve()}"];',
            "<< FeynRules`;",
            f"LoadModel[{models}];",
            "FeynmanGauge = False;",
            f'WriteUFO[{lagrangian}, Output -> "{Path(output).resolve()}"];',
            "Quit[];",
            "",
        ]
    )


def run_feynrules(
    wolframscript: str, feynrules_path: str, model_files: list[str], lagrangian: str, output: str | Path
) -> Path:
    """Write the UFO with FeynRules; every missing piece is named before Mathematica starts."""
    executable = shutil.which(wolframscript)
    if executable is None:
        raise FeynRulesError(
            f"model.feynrules.wolframscript = {wolframscript!r}: not found (searched the path as given "
            "and PATH); FeynRules needs Mathematica's wolframscript. Use model.source: builder or ufo."
        )
    if not (Path(feynrules_path) / "FeynRules.m").is_file():
        raise FeynRulesError(f"model.feynrules.path = {feynrules_path!r}: no FeynRules.m there")
    for model in model_files:
        if not Path(model).is_file():
            raise FeynRulesError(f"model.feynrules.model_files: {model!r} does not exist")
    output = Path(output)
    script = output.with_name(output.name + ".wls")
    script.write_text(feynrules_script(feynrules_path, model_files, lagrangian, str(output)))
    try:
        done = subprocess.run([executable, "-file", str(script)], check=False)  # output: the job log
    finally:
        script.unlink(missing_ok=True)
    if done.returncode != 0 or not (output / "__init__.py").is_file():
        raise FeynRulesError(
            f"WriteUFO did not produce {output} (wolframscript exit {done.returncode}); see the log"
        )
    return output
