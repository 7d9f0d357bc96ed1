"""MadGraph launches of a process output with a param card and run-card settings (the model
tests in real MadGraph share them)."""

from bsmflow.generate.mg5 import cross_section, run


def launch(mg5, base, process, run_name, param_card, settings, extra=""):
    commands = [f"launch {process} -n {run_name}", "shower=OFF", "done", str(param_card)]
    commands += [f"set run_card {key} {value}" for key, value in settings.items()]
    commands += [extra, "done", ""] if extra else ["done", ""]
    run(mg5, "\n".join(commands), base / f"{run_name}.mg5", base / f"{run_name}.log")
    return cross_section(process, run_name)


LHC = {
    "nevents": 2000,
    "ebeam1": 6500,
    "ebeam2": 6500,
    "pdlabel": "nn23lo1",
    "dynamical_scale_choice": 3,
    "use_syst": "False",
    "iseed": 11,
}
