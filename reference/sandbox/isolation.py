"""How a sandbox's server is started: in namespaces of its own (bubblewrap), or, where
that tool is missing, as a plain process (the fallback). Said in one line.

The namespaces level runs each server under bubblewrap (``bwrap``, the tool
Flatpak uses; Debian and Ubuntu package ``bubblewrap``): new PID, mount,
network, IPC, UTS and user namespaces, with no capability at all (root's
included); the whole file system read-only, /proc with it (the kernel's
settings there are the machine's), but a private ``/tmp``, working
folder (``/home/student``) and ``/dev/shm``, each of a bounded size, wiped
between submissions; no network; of the project, only its two packages; no
user namespace of its own to make. No folder of the grader's is visible,
writable or not: a submission's own file reaches it as bytes, its printed
output leaves through a file descriptor, its report through a pipe. The
server is the namespace's first process (``--as-pid-1``): a submission cannot
end it, and when it ends, or the grader does, however (``--die-with-parent``),
every process in the namespace ends with it.

The process level (``--sandbox process``, or where bwrap is missing or cannot
make namespaces, as in a container without user namespaces) runs the same
server as a plain process of the grader's user: each submission in a process
group of its own, from a copy of its file in a fresh folder that is also its
home, with the parent-death signal at every level, the server the reaper of
whatever a submission leaves behind, and the Runner's janitor ending, once
the grader has ended however it ended, every process that still carries the
grading's mark in its environment. It protects against accidents (loops,
exits, crashes, stray files, patched libraries, pools and forks left
running), not against a submission that sets out to read or change other
files of the grader's user, or to hide a process from the janitor.
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
#: home), the folder of the calls, and the shared memory multiprocessing uses.
PROJECT, WORK, INPUTS, SHM = "/opt/numpy-impl", "/home/student", "/inputs", "/dev/shm"
#: The system's programs and libraries, bound whole (read-only), their links with them.
SYSTEM = "/usr"


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
    command = [bwrap, *_namespace_flags(bwrap), *_system(), "--", "true"]
    try:
        tried = subprocess.run(command, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return Isolation("process", bwrap, why=f"bwrap could not be run ({err})")
    if tried.returncode != 0:
        said = tried.stderr.decode(errors="replace").strip().splitlines()
        reason = said[-1] if said else f"status {tried.returncode}"
        return Isolation("process", bwrap, why=f"bwrap cannot make namespaces here ({reason})")
    return Isolation("namespaces", bwrap)


def _namespace_flags(bwrap: str) -> List[str]:
    """Every namespace, a user namespace included (where the grader is root too), no
    capability at all inside, no further user namespace (where bwrap can forbid it),
    the server the first process, and everything ended with the grader."""
    flags = ["--unshare-all", "--unshare-user", "--die-with-parent", "--new-session"]
    flags += ["--as-pid-1", "--cap-drop", "ALL"]
    return flags + (["--disable-userns"] if "--disable-userns" in _options(bwrap) else [])


@cache
def _options(bwrap: str) -> str:
    """What this bwrap's --help lists (its options differ by version)."""
    try:
        return subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _tmpfs(bwrap: str, folder: str, room: Optional[int]) -> List[str]:
    """A fresh tmpfs at ``folder``, of at most ``room`` bytes where bwrap can say so."""
    sized = room is not None and "--size" in _options(bwrap)
    return (["--size", str(room)] if sized else []) + ["--tmpfs", folder]


def _system() -> List[str]:
    """The system, read-only: /usr, the top-level links or folders into it, the
    dynamic linker's cache and the time zone."""
    flags = ["--ro-bind", SYSTEM, SYSTEM]
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
    folders), outermost only: each as Python names it and, where a link leads
    elsewhere, as it is (a virtual environment reached through a link runs by the
    name it was started by, its files where they are)."""
    import numpy

    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    found.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    found.update(site.getsitepackages())
    user = site.getusersitepackages()
    found.update([user] if isinstance(user, str) else user)
    found.add(os.path.dirname(os.path.dirname(os.path.realpath(numpy.__file__))))
    named = {os.path.abspath(p) for p in found if os.path.isdir(p)}
    # a name in the system's folder needs no place of its own: its link is there (and
    # bwrap cannot bind onto a link in a read-only folder)
    inside = {p for p in named if p.startswith(SYSTEM + os.sep)}
    places = sorted((named - inside) | {os.path.realpath(p) for p in named})
    return [p for p in places if not any(p.startswith(q + os.sep) for q in places if q != p)]


@dataclass(frozen=True)
class Setting:
    """Where a server is set up: the project's packages from ``root``, the calls in
    ``inputs`` (a folder), ``env`` its environment, ``fds`` the descriptors it is
    handed (its output file), and ``room``: bytes each of its folders may hold."""

    root: str
    inputs: str
    env: Dict[str, str]
    fds: Sequence[int]
    room: Optional[int]


def server_command(found: Isolation, setting: Setting) -> List[str]:
    """The command that starts a server at level ``found``."""
    module = [sys.executable, "-m", "reference.sandbox", found.level, *map(str, setting.fds)]
    if found.level == "process":
        return module
    bwrap = found.bwrap
    assert bwrap is not None
    # the fresh folders first: a folder bound below may lie inside one of them
    flags = [bwrap, *_namespace_flags(bwrap), *_tmpfs(bwrap, "/tmp", setting.room)]
    flags += [*_tmpfs(bwrap, WORK, setting.room), *_system()]
    for folder in python_folders():  # bwrap follows a link it binds from
        flags += ["--ro-bind", folder, folder]
    for package in ("reference", "numpy_impl"):
        flags += ["--ro-bind-try", os.path.join(setting.root, package), f"{PROJECT}/{package}"]
    flags += ["--ro-bind", setting.inputs, INPUTS, "--dev", "/dev", "--proc", "/proc"]
    # /proc read-only: inside, the server runs as the user that started it, which may be
    # root, who may write the kernel's settings (/proc/sys) without any capability
    flags += ["--remount-ro", "/proc", *_tmpfs(bwrap, SHM, setting.room), "--remount-ro", "/dev"]
    flags += ["--remount-ro", "/", "--chdir", WORK, "--clearenv"]  # only its folders writable
    inside = {**setting.env, "PYTHONPATH": PROJECT, "HOME": WORK, "TMPDIR": "/tmp"}
    for name, value in sorted(inside.items()):
        flags += ["--setenv", name, value]
    return [*flags, "--", *module]
