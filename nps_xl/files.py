"""Writing a report file so that no run leaves half a workbook or a stray file behind.

* The workbook is written to a temporary file beside the destination
  (``.report.nps-xl-<pid>.tmp.xlsx``) and moved into place in one step, so an interrupted run
  leaves either the previous report or none.
* XlsxWriter's own temporary files (the streamed Responses rows, up to ~100 MB) go to a private
  folder ``nps-xl-<pid>-…`` in the system temp folder, removed when the run ends.
* A run killed outright (``kill -9``, a power cut) cannot clean up after itself: every later run
  removes the leftovers of runs whose process no longer exists — only files and folders named
  the way nps-xl names them, owned by the same user, and (in the report's folder) only regular
  files, never a folder of the user's.
* Without ``--force`` an existing report is never replaced, even when two runs race for the
  same new path: the file is put in place with a hard link, which fails when the path exists
  (create-exclusive); the loser stops with the "already exists" message.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_LEFTOVER = re.compile(r"^\.(?P<stem>.+)\.nps-xl-(?P<pid>\d+)\.tmp\.xlsx$")
_PRIVATE = re.compile(r"^nps-xl-(?P<pid>\d+)-")


class OutputExists(FileExistsError):
    """The destination exists and replacing it was not asked for."""


def temporary_path(out: Path, pid: int | None = None) -> Path:
    return out.with_name(f".{out.stem}.nps-xl-{pid or os.getpid()}.tmp{out.suffix}")


def alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but is not ours, or the platform cannot tell: leave it
    return True


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete temporary reports in ``folder`` and private temp folders of nps-xl runs whose
    process is gone. Returns what was removed."""
    removed = []
    candidates = []  # (path, pid, a folder is expected)
    with contextlib.suppress(OSError):
        for p in folder.iterdir():
            if (m := _LEFTOVER.match(p.name)) is not None:
                candidates.append((p, int(m["pid"]), False))
    with contextlib.suppress(OSError):
        for p in Path(tempfile.gettempdir()).iterdir():
            if (m := _PRIVATE.match(p.name)) is not None:
                candidates.append((p, int(m["pid"]), True))
    for path, pid, folder_expected in candidates:
        if alive(pid) or not _ours(path, folder_expected):
            continue
        with contextlib.suppress(OSError):
            if folder_expected:
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def _ours(path: Path, folder: bool) -> bool:
    """A leftover is removed only if it is what nps-xl made there (a regular file beside the
    report, a folder in the temp folder), not a link, and owned by this user."""
    try:
        info = path.lstat()
    except OSError:
        return False
    kind = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    owner = getattr(os, "getuid", None)
    return kind and (owner is None or info.st_uid == owner())


@contextlib.contextmanager
def private_temp_folder() -> Iterator[Path]:
    """A temp folder for this run only (named with the process id), removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix=f"nps-xl-{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_atomically(
    out: Path, write: Callable[[Path], None], *, replace: bool, pause: float = 0.0
) -> None:
    """``write(tmp)`` a temporary file beside ``out``, then put it in place: ``replace=True``
    replaces an existing file (atomic ``os.replace``); otherwise ``out`` must not exist, checked
    and claimed in one step (``os.link``), else :class:`OutputExists`."""
    tmp = temporary_path(out)
    try:
        write(tmp)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OSError(f"The workbook writer produced no file for {out.name}.")
        if pause:
            import time

            time.sleep(pause)
        if replace:
            os.replace(tmp, out)
        else:
            try:
                os.link(tmp, out)
            except FileExistsError:
                raise OutputExists(str(out)) from None
            except OSError:  # a file system without hard links: exclusive create, then copy
                try:
                    with open(out, "xb") as target, open(tmp, "rb") as source:
                        shutil.copyfileobj(source, target)
                except FileExistsError:
                    raise OutputExists(str(out)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
