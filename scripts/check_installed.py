"""Checks of an installed nps-xl (run by scripts/check_wheel.sh with the environment's Python).

Usage: python check_installed.py VENV WHEEL [--copied FOLDER]

* ``nps_xl`` is imported from VENV's site-packages, and its distribution (metadata) too: an
  editable install or a checkout on the path would show up here;
* the installed version is the wheel's and ``nps_xl.__version__``;
* every requirement the wheel declares for this platform is installed in an allowed version;
* every shipped workbook is inside the installed package;
* with ``--copied FOLDER``: ``nps-xl workbooks FOLDER`` copied every one of them.
"""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import parse_wheel_filename


def fail(message: str) -> None:
    sys.exit(f"check_installed: {message}")


def main(argv: list[str]) -> None:
    venv, wheel = Path(argv[0]).resolve(), Path(argv[1])
    import nps_xl
    from nps_xl import shipped

    where = Path(nps_xl.__file__).resolve()
    if not where.is_relative_to(venv):
        fail(f"nps_xl was imported from {where}, not from the environment {venv}")
    dist = importlib.metadata.distribution("nps-xl")
    located = Path(dist.locate_file("nps_xl/__init__.py")).resolve()
    if located != where:
        fail(f"the nps-xl metadata found first belongs to {located}, not {where}")
    direct = dist.read_text("direct_url.json") or ""
    if '"editable": true' in direct:
        fail("nps-xl is an editable install")
    wheel_version = str(parse_wheel_filename(wheel.name)[1])
    if not dist.version == nps_xl.__version__ == wheel_version:
        fail(
            f"versions differ: metadata {dist.version}, nps_xl {nps_xl.__version__}, "
            f"wheel {wheel_version}"
        )
    for line in dist.requires or []:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        try:
            have = importlib.metadata.version(req.name)
        except importlib.metadata.PackageNotFoundError:
            fail(f"{req} is not installed")
        if not req.specifier.contains(have, prereleases=True):
            fail(f"{req} is required, {req.name} {have} is installed")
    folder = shipped.templates_folder()
    if not folder.is_relative_to(venv):
        fail(f"the workbooks were found in {folder}, outside the environment")
    files = shipped.shipped_files()  # raises naming what is missing
    print(f"nps-xl {dist.version} from {where.parent}: {len(files)} workbooks in {folder.name}/")
    if len(argv) > 2 and argv[2] == "--copied":
        copied = Path(argv[3])
        missing = [n for n in shipped.shipped_names() if not (copied / n).is_file()]
        if missing:
            fail(f"nps-xl workbooks did not copy {', '.join(missing)}")
        print(f"nps-xl workbooks copied {len(files)} files")


if __name__ == "__main__":
    main(sys.argv[1:])
