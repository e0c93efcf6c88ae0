"""Re-exports that import their module on first use (PEP 562), so ``import nps_xl`` (and the
``nps-xl --help`` that imports it) loads no pandas, numpy or scipy until a name needs them.

:func:`lazy_exports` gives a package the ``__getattr__`` and ``__dir__`` of its public names,
each ``name → module``. A name that is also a submodule's name (``nps_xl.counts`` the function,
``nps_xl/counts.py`` the module; ``nps_xl.io.tidy``) stays the function when that submodule is
imported later: the import system binds a submodule as an attribute of its package, which would
otherwise hide the function (an eager ``from nps_xl.counts import counts`` overwrote that binding).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from types import ModuleType


class _LazyPackage(ModuleType):
    """A package whose exported names are not replaced by its submodules of the same name."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and name in self.__dict__.get("_LAZY_EXPORTS", ()):
            return  # the import system binding ``package.name`` to the submodule: keep the export
        super().__setattr__(name, value)


def lazy_exports(
    package: str, exports: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``exports`` maps each module to the public
    names it defines (``{"nps_xl.stats": ("nps", "interval")}``; ``"CANDIDATES as ENCODINGS"``
    re-exports under another name)."""
    module = sys.modules[package]
    by_name: dict[str, tuple[str, str]] = {}
    for source, names in exports.items():
        for entry in names:  # "name", or "name as alias" as in an import statement
            name, _, alias = entry.partition(" as ")
            by_name[alias or name] = (source, name)
    module.__dict__["_LAZY_EXPORTS"] = by_name
    module.__class__ = _LazyPackage

    def __getattr__(name: str) -> object:
        if name not in by_name:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        source, attribute = by_name[name]
        value = getattr(importlib.import_module(source), attribute)
        module.__dict__[name] = value  # the next look-up is an ordinary attribute
        return value

    def __dir__() -> list[str]:
        return sorted(set(module.__dict__) | set(by_name))

    return __getattr__, __dir__
