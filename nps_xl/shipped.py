"""The workbooks nps-xl ships, found the same way in a clone and in an installed wheel.

The repository keeps them in ``workbook_templates/`` at its top (where a person without Python
finds them); ``setup.py`` copies that folder into the wheel as ``nps_xl/workbook_templates/``.
So :func:`templates_folder` looks inside the package first (an installed wheel or sdist) and
then beside it (a clone, or an editable install of one). Per language (English at the top,
the others in ``<lang>/``): ``nps_survey.xlsx``, ``nps_dashboard.xlsx``, ``nps_lite.xlsx``;
once: ``nps_xl.xlam``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nps_xl.numbers import LANGUAGES

FOLDER_NAME = "workbook_templates"
#: In an installed wheel (setup.py puts the folder here).
PACKAGE_FOLDER = Path(__file__).resolve().with_name(FOLDER_NAME)
#: In a clone of the repository (and an editable install of it).
CHECKOUT_FOLDER = Path(__file__).resolve().parent.parent / FOLDER_NAME


class MissingWorkbooks(FileNotFoundError):
    """The installation has no shipped workbooks (a broken install)."""


def shipped_names() -> list[str]:
    """Every shipped file as a ``/``-separated path relative to the templates folder."""
    from nps_xl.excel.addin import ADDIN_NAME
    from nps_xl.excel.lite import LITE_FILE

    names = ("nps_survey.xlsx", "nps_dashboard.xlsx", LITE_FILE)  # TEMPLATE_FILES + Lite
    out = []
    for lang in LANGUAGES:
        prefix = "" if lang == "en" else f"{lang}/"
        out += [prefix + name for name in names]
    return [*out, ADDIN_NAME]


def templates_folder() -> Path:
    """The folder holding the shipped workbooks of this installation."""
    for folder in (PACKAGE_FOLDER, CHECKOUT_FOLDER):
        if (folder / "nps_survey.xlsx").is_file():
            return folder
    raise MissingWorkbooks(
        f"No {FOLDER_NAME} folder in {PACKAGE_FOLDER.parent}: this nps-xl installation is "
        "incomplete; reinstall it (pip install --force-reinstall nps-xl)."
    )


def shipped_files() -> list[Path]:
    """The shipped workbooks of this installation; raises when one of them is missing."""
    folder = templates_folder()
    paths = [folder / name for name in shipped_names()]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise MissingWorkbooks(f"Missing from this nps-xl installation: {', '.join(missing)}.")
    return paths


def copy_workbooks(destination: Path, *, force: bool = False) -> list[Path]:
    """Copy every shipped workbook into ``destination`` (languages in sub-folders, as shipped).
    Without ``force`` nothing is copied when one of the files exists there already."""
    folder = templates_folder()
    pairs = [(src, destination / src.relative_to(folder)) for src in shipped_files()]
    existing = [dst for _, dst in pairs if dst.exists()]
    if existing and not force:
        raise FileExistsError(existing[0])
    for src, dst in pairs:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    return [dst for _, dst in pairs]
