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
* One rule for every file the CLI writes (the workbook of ``-o``, each CSV of ``--tables``):
  :func:`check_destination` before the run, :func:`write_atomically` to write. The input is
  never written over, whatever the destination's name: it is compared by identity (the
  device and inode of :func:`os.stat`, which follows symbolic links), so a hard link or a
  symbolic link to the input counts as the input.
* An operating-system error while writing (permission denied, a full disk, a file-size
  limit, a read-only file system) is raised as :class:`OSError` naming the destination, not
  the temporary file, and the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_LEFTOVER = re.compile(r"^\.(?P<stem>.+)\.nps-xl-(?P<pid>\d+)\.tmp\.(?:xlsx|csv)$")
_PRIVATE = re.compile(r"^nps-xl-(?P<pid>\d+)-")


class OutputExists(FileExistsError):
    """The destination exists and replacing it was not asked for."""


class SameAsInput(ValueError):
    """The destination is one of the input files (by path, hard link or symbolic link)."""


class NotAFile(IsADirectoryError):
    """The destination exists and is a folder (or another thing that is not a file)."""


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are the same file: same device and inode (:func:`os.stat`
    follows symbolic links, and hard links share the inode). False when either is missing."""
    try:
        one, two = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return False
    return (one.st_dev, one.st_ino) == (two.st_dev, two.st_ino)


def check_destination(out: Path, *, force: bool, inputs: tuple[Path, ...] = ()) -> Path:
    """Refuse a destination that is an input (:class:`SameAsInput`, even with ``force``), a
    folder (:class:`NotAFile`) or, without ``force``, an existing file (:class:`OutputExists`).
    The final, race-free check is :func:`write_atomically`'s exclusive create."""
    for source in inputs:
        if same_file(out, source):
            raise SameAsInput(str(out))
    if os.path.lexists(out):
        if out.exists() and not out.is_file():
            raise NotAFile(errno.EISDIR, os.strerror(errno.EISDIR), str(out))
        if not force:
            raise OutputExists(str(out))
    return out


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
        _write_and_place(out, tmp, write, replace=replace, pause=pause)
    except (OutputExists, SameAsInput):
        raise
    except OSError as exc:
        # the user's path, not the temporary file's; the cause as the system gave it
        raise OSError(exc.errno, exc.strerror or str(exc), str(out)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _write_and_place(
    out: Path, tmp: Path, write: Callable[[Path], None], *, replace: bool, pause: float
) -> None:
    write(tmp)
    if not tmp.exists() or tmp.stat().st_size == 0:
        raise OSError(errno.EIO, f"the writer produced no file for {out.name}", str(out))
    if pause:
        import time

        time.sleep(pause)
    if replace:
        os.replace(tmp, out)
        return
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise OutputExists(str(out)) from None
    except OSError:  # a file system without hard links: exclusive create, then copy
        try:
            target = open(out, "xb")  # noqa: SIM115 (removed again when the copy fails)
        except FileExistsError:
            raise OutputExists(str(out)) from None
        try:
            with target, open(tmp, "rb") as source:
                shutil.copyfileobj(source, target)
        except BaseException:
            with contextlib.suppress(OSError):
                out.unlink()  # never half a file under the user's name
            raise
