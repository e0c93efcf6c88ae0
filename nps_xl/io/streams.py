"""Standard input (``-``) and pipes (``<(cat answers.csv)``, which passes ``/dev/fd/63``, a
FIFO) read as files: the stream is copied once into a private temp file, within the size
limit, and that file is read as any other, its format decided from its first bytes."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from nps_xl.io._common import SurveyFileError
from nps_xl.io.guards import MAX_UNCOMPRESSED_BYTES

__all__ = ["MAX_STREAM_BYTES", "STDIN", "is_stream", "staged"]

STDIN = "-"
MAX_STREAM_BYTES = MAX_UNCOMPRESSED_BYTES  # what a pipe may bring, as an unpacked workbook
_CHUNK = 4 * 1024 * 1024


def is_stream(path: str | os.PathLike) -> bool:
    """Whether ``path`` is standard input (``-``) or a pipe, socket or device: something
    read once, from the start, without a size."""
    if str(path) == STDIN:
        return True
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


def display_name(path: str | os.PathLike) -> str:
    """The name messages give a stream: ``stdin`` for ``-``, else the path's own name."""
    return "stdin" if str(path) == STDIN else Path(path).name


def _copy(source, target, name: str) -> None:
    """Copy ``source`` into ``target`` in chunks, refusing a stream above the limit."""
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > MAX_STREAM_BYTES:
            raise SurveyFileError.from_key(
                "error_stream_too_big", name=name, limit=f"{MAX_STREAM_BYTES // 1024**3}"
            )
        target.write(chunk)


@contextlib.contextmanager
def staged(path: str | os.PathLike) -> Iterator[Path]:
    """``path`` itself for a file; for standard input or a pipe, a private temp file holding
    what it brought (named as the stream: ``stdin``, ``63``), removed afterwards."""
    if not is_stream(path):
        yield Path(path)
        return
    from nps_xl import files

    name = display_name(path)
    with files.private_temp_folder() as folder:
        target = folder / name
        with open(target, "wb") as out:
            if str(path) == STDIN:
                _copy(sys.stdin.buffer, out, name)
            else:
                with open(path, "rb") as source:
                    _copy(source, out, name)
        yield target
