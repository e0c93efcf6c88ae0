"""Recalculate workbooks in headless LibreOffice and read the values back (tests, benchmark).

LibreOffice ignores ``fullCalcOnLoad`` in .xlsx files, so every run uses a private profile whose
``registrymodifications.xcu`` sets ``/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode``
to 0 ("always recalculate"). Each call gets its own profile directory, so runs may go in
parallel. Several files are converted in one ``soffice`` invocation (start-up dominates).

Values are read with the CSV export filter
``Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,N``: comma, double
quote, UTF-8, values not "as shown" (full precision), sheet ``N`` (1-based). Pictures come from
the PDF export and ``pdftoppm -png``.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
 <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet}"


class LibreOfficeError(RuntimeError):
    """LibreOffice did not produce the expected output."""


def find_soffice() -> str | None:
    """Path of the ``soffice`` (or ``libreoffice``) executable, or None when not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile(root: Path) -> str:
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    return root.resolve().as_uri()


def convert(
    paths: Sequence[str | Path], convert_to: str, outdir: str | Path, *, timeout: float = 300
) -> None:
    """Run ``soffice --headless --convert-to <convert_to>`` on ``paths`` in one invocation,
    with a fresh private profile that recalculates every formula on load."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError("LibreOffice (soffice) is not installed; install libreoffice-calc.")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nps-xl-lo-") as tmp:
        cmd = [
            soffice,
            f"-env:UserInstallation={_profile(Path(tmp) / 'profile')}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            convert_to,
            "--outdir",
            str(outdir),
            *[str(Path(p).resolve()) for p in paths],
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(f"LibreOffice took more than {timeout:g} s: {cmd}") from exc
    if done.returncode != 0:
        raise LibreOfficeError(f"LibreOffice failed ({done.returncode}): {done.stderr.strip()}")


def recalculated_csv(
    paths: Sequence[str | Path], outdir: str | Path, *, sheet: int = 1, timeout: float = 300
) -> dict[Path, Path]:
    """Recalculate each workbook and export sheet ``sheet`` (1-based) as CSV into ``outdir``.

    Returns ``{workbook: csv file}``; raises ``LibreOfficeError`` if a CSV is missing. Files
    with the same stem must go to different ``outdir``s.
    """
    paths = [Path(p) for p in paths]
    stems = [p.stem for p in paths]
    clash = [a for a in stems for b in stems if a != b and (a == b or a.startswith(b + "-"))]
    if len(set(stems)) != len(stems) or clash:
        raise ValueError("Workbooks converted together need distinct file names.")
    outdir = Path(outdir)
    for stem in stems:  # LibreOffice 7.4 names the file <stem>-<sheet name>.csv
        for old in [*outdir.glob(f"{stem}-*.csv"), outdir / f"{stem}.csv"]:
            old.unlink(missing_ok=True)
    convert(paths, CSV_FILTER.format(sheet=sheet), outdir, timeout=timeout)
    out = {}
    for p in paths:
        found = [*outdir.glob(f"{p.stem}-*.csv"), *outdir.glob(f"{p.stem}.csv")]
        if len(found) != 1:
            raise LibreOfficeError(f"LibreOffice wrote no CSV for {p.name} into {outdir}.")
        out[p] = found[0]
    return out


def read_csv_grid(path: str | Path) -> list[list[str]]:
    """The CSV export as a list of rows of strings."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh)]


def render_png(
    path: str | Path, outdir: str | Path, *, dpi: int = 110, first_page: int = 1,
    last_page: int = 1, timeout: float = 300,
) -> list[Path]:  # fmt: skip
    """Recalculate ``path``, export it to PDF and render pages to PNG (``pdftoppm``).

    Returns the PNG files (one per page). The Dashboard is the first sheet, printed on one page.
    """
    path, outdir = Path(path), Path(outdir)
    pdf = outdir / f"{path.stem}.pdf"
    pdf.unlink(missing_ok=True)
    convert([path], "pdf", outdir, timeout=timeout)
    if not pdf.exists():
        raise LibreOfficeError(f"LibreOffice wrote no PDF for {path.name} (expected {pdf}).")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise LibreOfficeError("pdftoppm is not installed; install poppler-utils.")
    prefix = outdir / path.stem
    cmd = [pdftoppm, "-png", "-r", str(dpi), "-f", str(first_page), "-l", str(last_page)]
    done = subprocess.run([*cmd, str(pdf), str(prefix)], capture_output=True, timeout=timeout)
    if done.returncode != 0:
        raise LibreOfficeError(f"pdftoppm failed: {done.stderr.decode(errors='replace')}")
    pngs = sorted(outdir.glob(f"{path.stem}-*.png"))
    if not pngs:
        raise LibreOfficeError(f"pdftoppm wrote no PNG for {pdf}.")
    return pngs


def page_pixels(pdf: str | Path, *, page: int = 1, dpi: int = 30, timeout: float = 120):
    """Grey levels (0–255, numpy array rows × columns) of one PDF page, for "is it blank?"."""
    import numpy as np

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise LibreOfficeError("pdftoppm is not installed; install poppler-utils.")
    cmd = [pdftoppm, "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)]
    done = subprocess.run(cmd, capture_output=True, timeout=timeout)
    data = done.stdout
    if done.returncode != 0 or not data.startswith(b"P5"):
        raise LibreOfficeError(f"pdftoppm could not render page {page} of {pdf}.")
    # PGM header: P5 <width> <height> <maxval> then one byte per pixel
    fields, pos = [], 2
    while len(fields) < 3:
        while data[pos : pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos : pos + 1].isspace():
            pos += 1
        fields.append(int(data[start:pos]))
    width, height, _ = fields
    pixels = np.frombuffer(data, dtype=np.uint8, offset=pos + 1, count=width * height)
    return pixels.reshape(height, width)
