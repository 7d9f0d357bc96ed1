"""STAND-IN for Apptainer, for the tests only: `apptainer build` and `apptainer exec` done with
Debian's debootstrap and bubblewrap, which can be installed here (Apptainer cannot: it is neither
in Debian bookworm nor on PyPI).

The builder turns a definition file (containers/*.def) into a root filesystem by the steps the
definition names, the way `apptainer build` would:

- the base: `debootstrap` of Debian bookworm from the mirror the machine's apt uses, with
  python3, python3-pip, python3-venv and python-is-python3, stands in for the registry image the
  definition names (`From: python:3.11.7-slim-bookworm`). What differs: Debian's Python 3.11.2
  in /usr/bin instead of python.org's 3.11.7 in /usr/local/bin, and Debian's
  EXTERNALLY-MANAGED marker is removed so that `pip install` works as in the python image;
- `%files` copied from the build context (the repository root, as `make images` runs);
- `%post` run inside the root filesystem with `chroot` (/proc, /dev and the host's resolv.conf
  available, the network shared, as in `apptainer build`; the host's CA bundle copied in and
  PIP_CERT set, because this machine reaches PyPI through a proxy with its own CA);
- `%environment` kept as /.singularity.d/env/90-environment.sh, where Apptainer keeps it;
- `%test` run inside with the stand-in `exec`.

A built root filesystem is cached per hash of the definition file and of the files its `%files`
section copies, under $XDG_CACHE_HOME/bsmflow/standin-images (default ~/.cache), so a second
test run does not rebuild it; the debootstrap base is cached separately (a tar) and shared by
every definition.

The stand-in `apptainer` (:func:`install_apptainer`) answers `--version` and runs
`exec [--bind a:b[:ro] ...] [--pwd d] [--home h] IMAGE CMD ...` with bubblewrap inside the
root filesystem the IMAGE file points to: the root filesystem read-only (as a SIF image is), a
private /tmp, /dev and /proc, and only the binds asked for (no other host path is visible). The
host environment passes through except PATH and the host's Python and loader variables (Apptainer
passes the host environment too), then `%environment` is applied.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

SUITE = "bookworm"
BASE_PACKAGES = ("python3", "python3-pip", "python3-venv", "python-is-python3", "ca-certificates")
CONTAINER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ENVIRONMENT_FILE = ".singularity.d/env/90-environment.sh"
HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
HOST_ONLY_VARIABLES = ("PATH", "PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "LD_LIBRARY_PATH", "LD_PRELOAD")


class BuildError(RuntimeError):
    """A definition that does not build: names the section and shows the step's output."""


@dataclass
class Definition:
    """The parts of an Apptainer definition file the stand-in builder uses."""

    path: Path
    header: dict[str, str]
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def files(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.sections.get("files", "").splitlines():
            if line.strip() and not line.strip().startswith("#"):
                source, *destination = line.split()
                pairs.append((source, destination[0] if destination else source))
        return pairs


def parse_definition(path: str | Path) -> Definition:
    """Header lines (Key: value) and the %sections of a definition file, section bodies dedented."""
    path = Path(path)
    header, sections, current, body = {}, {}, None, []
    for line in path.read_text().splitlines():
        if line.startswith("%"):
            if current:
                sections[current] = textwrap.dedent("\n".join(body)).strip() + "\n"
            current, body = line[1:].split()[0], []
        elif current:
            body.append(line)
        elif ":" in line and not line.lstrip().startswith("#"):
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
    if current:
        sections[current] = textwrap.dedent("\n".join(body)).strip() + "\n"
    return Definition(path, header, sections)


def cache_dir() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "bsmflow" / "standin-images"


def missing_tools() -> str | None:
    """Why the stand-in cannot run here (None if it can): installs debootstrap and bubblewrap
    from Debian when they are missing and this is a root shell with apt."""
    needed = {"debootstrap": "debootstrap", "bwrap": "bubblewrap", "chroot": "coreutils"}
    if all(shutil.which(tool) for tool in needed):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "debootstrap and bubblewrap are not installed and cannot be (needs root and apt-get)"
    packages = sorted({needed[tool] for tool in needed if not shutil.which(tool)})
    done = subprocess.run(
        ["apt-get", "install", "-y", "-q", *packages], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        done = subprocess.run(
            f"apt-get update -q && apt-get install -y -q {' '.join(packages)}",
            shell=True,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        return f"installing {packages} with apt-get failed: {done.stderr[-500:]}"
    probe = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"], capture_output=True)
    return None if probe.returncode == 0 else f"bubblewrap cannot create a sandbox here: {probe.stderr!r}"


def apt_mirror() -> str:
    """The Debian mirror the machine's apt uses (deb822 or one-line sources)."""
    for path in [*sorted(Path("/etc/apt/sources.list.d").glob("*.sources")), Path("/etc/apt/sources.list")]:
        if not path.is_file():
            continue
        for line in path.read_text().splitlines():
            if line.startswith("URIs:") and "security" not in line:
                return line.split()[1]
            if line.startswith("deb ") and "security" not in line:
                return next(word for word in line.split()[1:] if "://" in word)
    return "http://deb.debian.org/debian"


def base_tar(log: list[str]) -> Path:
    """The debootstrap base (cached tar, shared by every definition)."""
    mirror = apt_mirror()
    key = hashlib.sha256(f"{SUITE} {mirror} {BASE_PACKAGES}".encode()).hexdigest()[:16]
    tar = cache_dir() / f"base-{SUITE}-{key}.tar"
    if tar.is_file():
        return tar
    tar.parent.mkdir(parents=True, exist_ok=True)
    scratch = tar.with_suffix(".building")
    shutil.rmtree(scratch, ignore_errors=True)
    command = [
        "debootstrap",
        "--variant=minbase",
        f"--include={','.join(BASE_PACKAGES)}",
        SUITE,
        str(scratch),
        mirror,
    ]
    run_step(command, "debootstrap (stands in for the base image)", log)
    with tarfile.open(f"{tar}.tmp", "w") as out:
        out.add(scratch, arcname=".")
    os.replace(f"{tar}.tmp", tar)
    shutil.rmtree(scratch)
    return tar


def content_hash(definition: Definition, context: Path) -> str:
    """SHA-256 of the definition file and of every file its %files section copies."""
    digest = hashlib.sha256(definition.path.read_bytes())
    for source, _ in definition.files:
        paths = [context / source] if (context / source).is_file() else sorted((context / source).rglob("*"))
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(context)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(
    definition_path: str | Path,
    context: str | Path,
    *,
    skip_post: tuple[str, ...] = (),
    images: Path | None = None,
) -> Path:
    """The root filesystem of a definition (built, or from the cache): a directory holding
    ``rootfs`` and ``build.json`` (timings, the log). ``skip_post``: %post and %test lines
    containing any of these strings are left out (what cannot run here, such as a download from
    a host this machine cannot reach); the build record lists them. ``images``: where the built
    root filesystems go (default the cache; the debootstrap base is always cached). A new build
    of a definition replaces its older builds there (each is about 1 GB)."""
    definition, context = parse_definition(definition_path), Path(context)
    skip = "-skip-" + hashlib.sha256(repr(skip_post).encode()).hexdigest()[:8] if skip_post else ""
    images = images or cache_dir()
    image = images / f"{definition.path.stem}-{content_hash(definition, context)}{skip}"
    if (image / "build.json").is_file():
        return image
    shutil.rmtree(image, ignore_errors=True)
    rootfs, log, started = image / "rootfs", [], time.monotonic()
    record = {
        "definition": str(definition.path),
        "image": image.name,
        "skipped_lines": [],
        "stand_in_for": definition.header.get("From"),
    }
    try:
        tar = base_tar(log)
        rootfs.mkdir(parents=True)
        with tarfile.open(tar) as archive:
            archive.extractall(rootfs, filter="fully_trusted")
        for marker in rootfs.glob("usr/lib/python3*/EXTERNALLY-MANAGED"):
            marker.unlink()  # the python image has none: pip installs into the system Python
        for source, destination in definition.files:
            target = rootfs / destination.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if (context / source).is_dir():
                shutil.copytree(context / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(context / source, target)
        post = kept_lines(definition.sections.get("post", ""), skip_post, record)
        in_chroot(rootfs, post, "%post", log)
        environment = rootfs / ENVIRONMENT_FILE
        environment.parent.mkdir(parents=True, exist_ok=True)
        environment.write_text(definition.sections.get("environment", ""))
        test = kept_lines(definition.sections.get("test", ""), skip_post, record)
        if test.strip():
            done = exec_in(rootfs, ["/bin/sh", "-ec", test], binds=[], capture=True)
            log.append(f"%test:\n{done.stdout}{done.stderr}")
            if done.returncode != 0:
                raise BuildError(
                    f"{definition.path}: %test failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
                )
    except BaseException:
        shutil.rmtree(image, ignore_errors=True)  # nothing half-built stays in the cache
        raise
    record |= {"build_s": round(time.monotonic() - started, 1), "log": log}
    (image / "build.json").write_text(json.dumps(record, indent=1))
    for older in images.glob(f"{definition.path.stem}-*"):
        if older != image and older.is_dir() and ("-skip-" in older.name) == bool(skip):
            shutil.rmtree(older, ignore_errors=True)
    return image


def kept_lines(section: str, skip: tuple[str, ...], record: dict) -> str:
    kept = []
    for line in section.splitlines():
        if any(pattern in line for pattern in skip):
            record["skipped_lines"].append(line)
        else:
            kept.append(line)
    return "\n".join(kept) + "\n"


def run_step(command: list[str], what: str, log: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    log.append(f"{what}: exit {done.returncode}")
    if done.returncode != 0:
        raise BuildError(
            f"{what} failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )


def in_chroot(rootfs: Path, script: str, section: str, log: list[str]) -> None:
    """Run a section's script inside the root filesystem with chroot, as `apptainer build` runs
    %post: /proc and /dev mounted, the host's resolv.conf for the network."""
    mounts = []
    try:
        for name, source in (("proc", None), ("dev", "/dev")):
            target = rootfs / name
            target.mkdir(exist_ok=True)
            command = (
                ["mount", "-t", "proc", "proc", str(target)]
                if source is None
                else ["mount", "--bind", source, str(target)]
            )
            subprocess.run(command, check=True, capture_output=True)
            mounts.append(target)
        shutil.copy("/etc/resolv.conf", rootfs / "etc/resolv.conf")
        # this machine reaches PyPI through a proxy with its own CA: the host's bundle replaces the
        # base's, as a site configures its build hosts (a difference to a plain apptainer build)
        shutil.copy(HOST_CA_BUNDLE, rootfs / HOST_CA_BUNDLE.lstrip("/"))
        (rootfs / "tmp").mkdir(exist_ok=True)
        (rootfs / ".post.sh").write_text(script)
        env = {
            "PATH": CONTAINER_PATH,
            "HOME": "/root",
            "LANG": "C.UTF-8",
            "DEBIAN_FRONTEND": "noninteractive",
        }
        done = subprocess.run(
            ["chroot", str(rootfs), "/bin/sh", "-e", "/.post.sh"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        log.append(f"{section}: exit {done.returncode}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        if done.returncode != 0:
            raise BuildError(
                f"{section} failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
    finally:
        for target in reversed(mounts):
            subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)
        (rootfs / ".post.sh").unlink(missing_ok=True)


def exec_in(
    rootfs: Path,
    command: list[str],
    *,
    binds: list[str],
    pwd: str | None = None,
    home: str | None = None,
    capture: bool = False,
) -> subprocess.CompletedProcess:
    """Run ``command`` inside ``rootfs`` with bubblewrap: only ``binds`` (host:container[:ro])
    and ``home`` from the host, %environment applied."""
    args = ["bwrap", "--ro-bind", str(rootfs), "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    args += ["--unshare-all", "--die-with-parent"]
    for bind in ([f"{home}:{home}"] if home else []) + binds:
        host, *rest = bind.split(":")  # host[:container[:options]]
        container, options = (rest[0] if rest else host), rest[1:]
        mount_point(Path(rootfs), container, Path(host).is_dir())
        args += ["--ro-bind" if "ro" in options else "--bind", host, container]
    if pwd:
        args += ["--chdir", pwd]
    env = {k: v for k, v in os.environ.items() if k not in HOST_ONLY_VARIABLES}
    env |= {"PATH": CONTAINER_PATH, **({"HOME": home} if home else {})}
    shell = f'. /{ENVIRONMENT_FILE}; exec "$@"'
    return subprocess.run(
        [*args, "/bin/sh", "-c", shell, "sh", *command],
        env=env,
        capture_output=capture,
        text=True,
        check=False,
    )


def mount_point(rootfs: Path, container: str, directory: bool) -> None:
    """Create the mount point of a bind in the read-only root filesystem beforehand, as
    Apptainer's underlay does for paths the image lacks (not under /tmp, a tmpfs here)."""
    if Path(container).is_relative_to("/tmp"):
        return
    target = rootfs / container.lstrip("/")
    if directory:
        target.mkdir(parents=True, exist_ok=True)
    elif not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()


IMAGE_MARKER = "bsmflow-standin-rootfs: "


def write_image_pointer(path: Path, image: Path) -> None:
    """The file a config's image path names: it points the stand-in `apptainer` at a root
    filesystem (a real SIF would be the image itself)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{IMAGE_MARKER}{image / 'rootfs'}\n")


APPTAINER = """#!{python}
# STAND-IN for apptainer (tests only): runs `exec` inside a root filesystem with bubblewrap.
import json, os, sys
sys.path.insert(0, {tests!r})
from container_standin import IMAGE_MARKER, exec_in
args = sys.argv[1:]
if args == ["--version"]:
    print("apptainer version 1.3.4")
    sys.exit(0)
while args and args[0] in ("--quiet", "--silent", "-q", "-s"):
    args = args[1:]
if not args or args[0] != "exec":
    sys.exit(f"apptainer stand-in: only --version and exec are supported, got {{sys.argv[1:]}}")
args, binds, options = args[1:], [], {{}}
while args[0].startswith("-"):
    name, value, args = args[0].lstrip("-"), args[1], args[2:]
    if name in ("bind", "B"):
        binds += value.split(",")
    else:
        options[name] = value
image, command = args[0], args[1:]
text = open(image).read()
if not text.startswith(IMAGE_MARKER):
    sys.exit(f"apptainer stand-in: {{image}} is not a stand-in image pointer")
rootfs = text[len(IMAGE_MARKER):].strip()
log = os.environ.get("APPTAINER_STAND_IN_LOG")
if log:
    with open(log, "a") as out:
        out.write(json.dumps({{"image": image, "rootfs": rootfs, "binds": binds, **options, "command": command}}) + "\\n")
done = exec_in(rootfs, command, binds=binds, pwd=options.get("pwd"), home=options.get("home"))
sys.exit(done.returncode)
"""


def install_apptainer(bin_dir: Path) -> Path:
    """The stand-in `apptainer` executable in ``bin_dir`` (put it first on PATH)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / "apptainer"
    path.write_text(APPTAINER.format(python=sys.executable, tests=str(Path(__file__).parent)))
    path.chmod(0o755)
    return path
