"""main.py of the nps-xl xlwings Lite workbooks (``workbook_templates/**/nps_lite.xlsx``).

xlwings Lite runs this file in Pyodide inside Excel (Windows, Mac, Excel on the web) and registers
every function it finds here that carries xlwings' ``@func`` or ``@script`` decorator. The Excel
functions are nps-xl's own, imported unchanged from :mod:`nps_xl.excel.udfs` (one definition for
every Excel route: their ``@func``/``@arg`` declarations live there); the refresh is the NPS
ribbon's *Refresh report* as a script on the workbook Lite hands over.

In Excel: ``=NPS(Responses[Score])``, ``=NPS_CI(Responses[Score])`` (xlwings Lite shows them
under its namespace, e.g. ``=XLWINGS.NPS``); xlwings Lite → Scripts → *refresh_report*.
The packages come from the workbook's requirements.txt: nps-xl and its Lite-safe dependencies.
"""

import xlwings as xw

from nps_xl.excel.refresh import refresh_workbook
from nps_xl.excel.udfs import (  # noqa: F401 - registered by xlwings Lite from this module
    CES,
    CRR,
    CSAT,
    NPS,
    NPS_BENCHMARK,
    NPS_BY,
    NPS_CATEGORY,
    NPS_CI,
    NPS_COUNTS,
    NPS_DRIVERS,
    NPS_FROM_COUNTS,
    NPS_FROM_COUNTS_CI,
    NPS_LABEL,
    NPS_MOE,
    NPS_SAMPLE_SIZE,
    NPS_TEST,
    NPS_TREND,
    NPS_WEIGHTED,
)


@xw.script
def refresh_report(book: xw.Book) -> None:
    """Refresh the report sheets from the Responses table (or set a blank workbook up), as the
    NPS ribbon button does; the status line says what was done."""
    refresh_workbook(book)
