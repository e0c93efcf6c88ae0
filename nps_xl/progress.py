"""How long work tells how far it has come, without the core knowing who listens.

The core (the readers, the engines, the report) calls :func:`phase` when a phase of the work
starts ("reading", "counting", "writing") and :func:`advance` as it goes (bytes of the file for
reading, when the reader can tell; nothing otherwise, and the phase is shown as running). A
surface puts a listener in place with :func:`reporting` for the length of a command; without
one, both calls do nothing (one context-variable look-up), so the core imports no terminal
library and pays nothing when nobody watches. The ``nps-xl`` command's listener draws a rich
progress display on stderr, only when stderr is a terminal and ``--quiet`` was not given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Protocol

__all__ = ["PHASES", "Listener", "advance", "phase", "reporting"]

#: The phases of a report, in order.
PHASES = ("reading", "counting", "writing")


class Listener(Protocol):
    def phase(self, name: str, total: int | None = None) -> None:
        """Phase ``name`` starts; ``total`` units of work (bytes for reading), None: unknown."""

    def advance(self, done: int) -> None:
        """``done`` units of the current phase are finished (not an increment)."""


_LISTENER: ContextVar[Listener | None] = ContextVar("nps_xl_progress", default=None)


def phase(name: str, total: int | None = None) -> None:
    listener = _LISTENER.get()
    if listener is not None:
        listener.phase(name, total)


def advance(done: int) -> None:
    listener = _LISTENER.get()
    if listener is not None:
        listener.advance(done)


@contextlib.contextmanager
def reporting(listener: Listener | None) -> Iterator[None]:
    """``listener`` hears :func:`phase` and :func:`advance` inside the block (None: nobody)."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)
