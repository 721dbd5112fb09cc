"""How a sandbox's server is started: in namespaces of its own (bubblewrap), or, where
that tool is missing, as a plain process (the fallback). Said in one line.

The namespaces level runs each server under bubblewrap (``bwrap``, the tool
Flatpak uses; Debian and Ubuntu package ``bubblewrap``): new PID, mount,
network, IPC and UTS namespaces (and a user namespace where the grader is not
root); the system and the Python environment read-only; a private ``/tmp`` and
working folder (``/home/student``), wiped between submissions; no network; of the
project, only its two packages. No folder of the grader's is visible,
writable or not: a submission's own file reaches it as bytes, its printed
output leaves through a file descriptor, its report through a pipe. The
server is the namespace's first process (``--as-pid-1``): a submission cannot
end it, and when it ends, or the grader does, however (``--die-with-parent``),
every process in the namespace ends with it.

The process level (``--sandbox process``, or where bwrap is missing or cannot
make namespaces, as in a container without user namespaces) runs the same
server as a plain process of the grader's user: each submission in a process
group of its own, from a copy of its file in a fresh folder, with the
parent-death signal at every level and the server as the reaper of whatever
a submission leaves behind. It protects against accidents (loops, exits,
crashes, stray files, patched libraries), not against a submission that sets
out to read or change other files of the grader's user.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from typing import Dict, List, Optional, Sequence

#: The levels a grading may ask for: the best there is ("auto"), namespaces or
#: nothing ("required"), or the plain process ("process").
WANTED = ("auto", "required", "process")
#: Inside a namespace: the project's packages, the submission's working folder (its
#: home), and the folder of the calls.
PROJECT, WORK, INPUTS = "/opt/numpy-impl", "/home/student", "/inputs"


class SandboxUnavailable(RuntimeError):
    """Namespaces were required and cannot be made here (one line, why)."""


@dataclass(frozen=True)
class Isolation:
    """The level a sandbox runs at, "namespaces" or "process", the bwrap found (if
    any), and why namespaces are not used ("" when they are)."""

    level: str
    bwrap: Optional[str] = None
    why: str = ""

    @property
    def notice(self) -> str:
        """One line for the user when the fallback is used ("" when it is not)."""
        if self.level == "namespaces" or not self.why:
            return ""
        return (
            f"note: {self.why}: each submission runs as a plain process (no namespaces;"
            " see the README's 'What the sandbox protects against')"
        )


def isolation(wanted: str = "auto") -> Isolation:
    """The level to run at, as ``wanted`` (WANTED); SandboxUnavailable when namespaces
    are required and cannot be had."""
    if wanted not in WANTED:
        raise ValueError(f"unknown sandbox {wanted!r}: choose one of {', '.join(WANTED)}")
    if wanted == "process":
        return Isolation("process")
    found = _namespaces()
    if found.level == "process" and wanted == "required":
        raise SandboxUnavailable(f"--sandbox required, but {found.why}")
    return found


@cache
def _namespaces() -> Isolation:
    """Namespaces if bwrap is here and can make them (tried once), else why not."""
    if not sys.platform.startswith("linux"):
        return Isolation("process", why=f"namespaces need Linux, and this is {sys.platform}")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Isolation("process", why="bubblewrap (bwrap) is not installed")
    command = [bwrap, *_namespace_flags(), *_system(), "--", "true"]
    try:
        tried = subprocess.run(command, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return Isolation("process", bwrap, why=f"bwrap could not be run ({err})")
    if tried.returncode != 0:
        said = tried.stderr.decode(errors="replace").strip().splitlines()
        reason = said[-1] if said else f"status {tried.returncode}"
        return Isolation("process", bwrap, why=f"bwrap cannot make namespaces here ({reason})")
    return Isolation("namespaces", bwrap)


def _namespace_flags() -> List[str]:
    return ["--unshare-all", "--die-with-parent", "--new-session", "--as-pid-1"]


def _system() -> List[str]:
    """The system, read-only: /usr, the top-level links or folders into it, the
    dynamic linker's cache and the time zone."""
    flags = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.islink(top):
            flags += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            flags += ["--ro-bind", top, top]
    for name in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"):
        flags += ["--ro-bind-try", name, name]
    return flags


def python_folders() -> List[str]:
    """The folders the interpreter and NumPy live in (its prefixes, its site
    folders), outermost only."""
    import numpy

    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    found.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    found.update(site.getsitepackages())
    user = site.getusersitepackages()
    found.update([user] if isinstance(user, str) else user)
    found.add(os.path.dirname(os.path.dirname(os.path.realpath(numpy.__file__))))
    real = sorted({os.path.realpath(p) for p in found if os.path.isdir(p)})
    return [p for p in real if not any(p.startswith(q + os.sep) for q in real if q != p)]


def server_command(
    found: Isolation, root: str, inputs: str, env: Dict[str, str], fds: Sequence[int]
) -> List[str]:
    """The command that starts a server at level ``found``: the project's packages
    from ``root``, the calls in ``inputs`` (a folder), ``env`` its environment, and
    ``fds`` the descriptors it is handed (its output file)."""
    module = [sys.executable, "-m", "reference.sandbox", found.level, *map(str, fds)]
    if found.level == "process":
        return module
    assert found.bwrap is not None
    # the fresh folders first: a folder bound below may lie inside one of them
    flags = [found.bwrap, *_namespace_flags(), "--tmpfs", "/tmp", "--tmpfs", WORK, *_system()]
    for folder in python_folders():
        flags += ["--ro-bind", folder, folder]
        if os.path.realpath(folder) != folder:  # pragma: no cover - realpath'd above
            flags += ["--ro-bind", folder, os.path.realpath(folder)]
    for package in ("reference", "numpy_impl"):
        flags += ["--ro-bind-try", os.path.join(root, package), f"{PROJECT}/{package}"]
    flags += ["--ro-bind", inputs, INPUTS, "--dev", "/dev", "--proc", "/proc"]
    flags += ["--chdir", WORK, "--clearenv"]
    inside = {**env, "PYTHONPATH": PROJECT, "HOME": WORK, "TMPDIR": "/tmp"}
    for name, value in sorted(inside.items()):
        flags += ["--setenv", name, value]
    return [*flags, "--", *module]
