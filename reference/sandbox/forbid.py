"""What a submission may not use (:class:`~reference.sandbox.records.Forbidden`), refused.

A task may forbid functions (``module.function``) and modules. In the child,
before the submission loads, each function is replaced wherever its package's
loaded modules bind it by a stand-in that raises :class:`Refused` (with the
original's signature, not the original); each module is forgotten and its
import refused by the first finder on ``sys.meta_path``; and an audit hook
refuses the opening of their files (a module loaded again, its source read),
but for linecache, which reads lines for a traceback. A use while the
function is called is named in the report (:class:`Tripwire`); so is one that
stops the file loading. This is a deterrent for a student's shortcut, not a
wall against a determined one: the hook lives in the submission's own
process (its state can be reached through the garbage collector), and a new
interpreter the submission starts has none. A server imports the forbidden
functions' modules once (:func:`preload`), before it forks its children.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import inspect
import linecache
import os
import sys
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from reference.sandbox.records import Forbidden, Report


def preload(forbidden: Forbidden) -> Dict[str, Any]:
    """The functions ``forbidden`` names, by name, their modules imported (a server
    imports them before it forks its children; a child finds them loaded). One that
    cannot be imported cannot be used either, and is left out."""
    found = {}
    for name in forbidden.functions:
        module, _, attribute = name.rpartition(".")
        with contextlib.suppress(Exception):
            found[name] = getattr(importlib.import_module(module), attribute)
    return found


class Refused(BaseException):
    """What a forbidden function, the import of a forbidden module, or the reading of
    their files raises (past ``except Exception``); ``name``: what was used."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} may not be used here")
        self.name = name


class Tripwire:
    """What a child refuses (:class:`~reference.sandbox.records.Forbidden`), and the uses
    it names in the report: those made while the function is called (``calling``); a
    use while the file loads raises all the same, and is named only if the file then
    does not load (one it catches is not the function's answer)."""

    def __init__(self, report: Report) -> None:
        self.report, self.calling = report, False
        self.files: Dict[str, str] = {}  # a file (or a folder, ending with a "/"): whose
        self.inside = False  # in the audit hook (what it calls is audited too)

    def used(self, name: str) -> Refused:
        if self.calling and name not in self.report.forbidden:
            self.report.forbidden.append(name)
        return Refused(name)

    def audit(self, event: str, args: Tuple[Any, ...]) -> None:
        """A file of what is forbidden opened (a module loaded again, its source read)
        raises, unless linecache reads it for a traceback."""
        if event != "open" or self.inside or not args or not isinstance(args[0], (str, bytes)):
            return
        self.inside = True
        try:
            path = os.path.realpath(os.fsdecode(args[0]))
            name = self.files.get(path) or next(
                (n for f, n in self.files.items() if f.endswith(os.sep) and path.startswith(f)),
                None,
            )
            if name is not None and not _from_linecache():
                raise self.used(name)
        finally:
            self.inside = False


def _from_linecache() -> bool:
    """Is linecache (a traceback's lines) what opens the file?"""
    try:
        frame = sys._getframe(2)
    except ValueError:
        return False
    while frame is not None:
        if frame.f_code.co_filename == linecache.__file__:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def forbid(forbidden: Forbidden, report: Report) -> Tripwire:
    """Make every use of what ``forbidden`` names raise :class:`Refused` (named in
    ``report.forbidden`` while the function is called): each function, wherever its
    package's loaded modules bind it (a package that re-exports it included), the file
    it is defined in (loaded again, or read), and each module with those under it
    (unloaded, refused by the first finder on ``sys.meta_path``, its folder's files
    refused to an audit hook, which cannot be removed)."""
    wire = Tripwire(report)
    for name, original in preload(forbidden).items():
        package, module = name.partition(".")[0], name.rpartition(".")[0]
        stand_in = _refusing(name, wire.used)
        with contextlib.suppress(ValueError, TypeError):
            stand_in.__signature__ = inspect.signature(original)  # type: ignore[attr-defined]
        for loaded in [m for n, m in list(sys.modules.items()) if n.partition(".")[0] == package]:
            for key, value in list(vars(loaded).items()):
                if value is original:
                    setattr(loaded, key, stand_in)
        # the file of the module that defines it (a wrapped function's code may lie elsewhere)
        source = os.path.realpath(str(sys.modules[module].__file__))
        wire.files[source] = wire.files[os.path.realpath(
            importlib.util.cache_from_source(source))] = module  # fmt: skip
    for name in forbidden.modules:
        with contextlib.suppress(Exception):
            spec = importlib.util.find_spec(name)
            folders = list(spec.submodule_search_locations or []) if spec else []
            for folder in folders:
                wire.files[os.path.join(os.path.realpath(folder), "")] = name
    if forbidden.modules:
        _unload(forbidden.modules)
        sys.meta_path.insert(0, _Finder(forbidden.modules, wire.used))
    if wire.files:
        sys.addaudithook(wire.audit)
    return wire


def _refusing(name: str, used: Callable[[str], Refused]) -> Callable[..., Any]:
    """What stands for the function ``name``: a call raises."""

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise used(name)

    return refused


def _under(name: str, modules: Sequence[str]) -> Optional[str]:
    """The one of ``modules`` that module ``name`` is, or is under."""
    return next((m for m in modules if name == m or name.startswith(m + ".")), None)


def _unload(modules: Sequence[str]) -> None:
    """``modules`` and those under them forgotten: an import finds them anew."""
    for name in [n for n in list(sys.modules) if _under(n, modules)]:
        parent, _, child = name.rpartition(".")
        sys.modules.pop(name)
        with contextlib.suppress(AttributeError, KeyError):
            delattr(sys.modules[parent], child)


class _Finder(importlib.abc.MetaPathFinder):
    """The first finder on ``sys.meta_path``: an import of a forbidden module raises."""

    def __init__(self, modules: Sequence[str], used: Callable[[str], Refused]) -> None:
        self.modules, self.used = modules, used

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        named = _under(fullname, self.modules)
        if named is not None:
            raise self.used(named)
