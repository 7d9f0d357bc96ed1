"""A real single-node SLURM cluster on localhost for the tests (Debian's slurm-wlm + munge).

Started from a minimal configuration in a temporary directory and stopped by PID. Nothing
here is a stand-in: sbatch, squeue, srun, slurmctld and slurmd are the real programs.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

DAEMONS = ("slurmctld", "slurmd", "munged", "sbatch", "squeue", "srun")


def ensure_installed() -> str | None:
    """None when SLURM is usable, else the reason to skip. As root, installs what is missing."""
    if all(shutil.which(name) or Path(f"/usr/sbin/{name}").exists() for name in DAEMONS):
        return None
    if os.geteuid() != 0:
        return "slurm-wlm and munge are not installed and the tests do not run as root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "slurm-wlm", "munge"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
        if result.returncode != 0:
            return f"could not install slurm-wlm: {' '.join(command)}: {result.stderr[-500:]}"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CONFIG = """ClusterName=bsmflowtest
SlurmctldHost=localhost
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
# no slurmdbd: the executor polls squeue, which must still list finished jobs
MinJobAge=600
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=localhost CPUs={cpus} RealMemory=8000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
"""


class LocalCluster:
    """slurmctld + slurmd (+ munged when it was not running) in ``root``; stop() kills by PID."""

    def __init__(self, root: Path):
        self.root = root
        self.conf = root / "slurm.conf"
        self.bin = root / "bin"
        self.pids: list[int] = []

    def start(self) -> dict[str, str]:
        for name in ("state", "spool", "bin"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        self.conf.write_text(
            CONFIG.format(root=self.root, ctld_port=free_port(), d_port=free_port(), cpus=os.cpu_count() or 2)
        )
        # The jobstep plugin strips SLURM_* (SLURM_CONF too) before its inner srun: a wrapper
        # first on PATH points srun back at this cluster's configuration.
        wrapper = self.bin / "srun"
        wrapper.write_text(
            f'#!/bin/sh\nSLURM_CONF={self.conf} exec {shutil.which("srun") or "/usr/bin/srun"} "$@"\n'
        )
        wrapper.chmod(0o755)
        self._start_munge()
        env = self.environment()
        for command in (["slurmctld"], ["slurmd", "-N", "localhost"]):
            subprocess.run(command, env=env, check=True, timeout=60)
        for pid_file in ("slurmctld.pid", "slurmd.pid"):
            self.pids.append(self._wait_for_pid(self.root / pid_file))
        self._wait_until_idle(env)
        return env

    def environment(self) -> dict[str, str]:
        return {**os.environ, "SLURM_CONF": str(self.conf), "PATH": f"{self.bin}:{os.environ['PATH']}"}

    def _start_munge(self) -> None:
        socket_dir = Path("/run/munge")
        alive = subprocess.run(["munge", "-n"], capture_output=True, timeout=30, check=False)
        if alive.returncode == 0:
            return
        socket_dir.mkdir(parents=True, exist_ok=True)
        shutil.chown(socket_dir, "munge", "munge")
        subprocess.run(["munged", "--force"], check=True, timeout=60, capture_output=True)
        self.pids.append(self._wait_for_pid(socket_dir / "munged.pid"))

    @staticmethod
    def _wait_for_pid(path: Path, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if path.exists() and path.read_text().strip():
                return int(path.read_text().strip())
            time.sleep(0.2)
        raise RuntimeError(f"{path} did not appear")

    def _wait_until_idle(self, env: dict[str, str], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = subprocess.run(
                ["sinfo", "-h", "-o", "%T"], env=env, capture_output=True, text=True, timeout=30, check=False
            )
            if state.stdout.strip() == "idle":
                return
            time.sleep(0.5)
        raise RuntimeError(f"the SLURM node did not become idle: {state.stdout} {state.stderr}")

    def stop(self) -> None:
        for pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                os.kill(pid, signal.SIGKILL)

    def log(self) -> str:
        return (self.root / "slurmctld.log").read_text()
