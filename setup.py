"""setuptools hook: the shipped workbooks go into the wheel as package data.

Everything else is in pyproject.toml. The workbooks stay in ``workbook_templates/`` at the top
of the repository (where a person without Python finds them); building a wheel copies them to
``nps_xl/workbook_templates/``, where :mod:`nps_xl.shipped` looks first. An editable install
reads them from the checkout instead, so nothing is copied for one.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TEMPLATES = Path(__file__).resolve().parent / "workbook_templates"


class BuildPyWithWorkbooks(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "nps_xl" / "workbook_templates"
        for source in sorted(TEMPLATES.rglob("*")):
            if source.is_file():
                dest = target / source.relative_to(TEMPLATES)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest)


setup(cmdclass={"build_py": BuildPyWithWorkbooks})
