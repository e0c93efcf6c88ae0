"""Run the Excel functions through classic xlwings' own COM code path, without Windows.

Classic xlwings (Windows desktop Excel) imports ``pythoncom``, ``pywintypes`` and ``win32com``;
here they are stub modules, just enough for ``xlwings.udfs``, ``xlwings._xlwindows`` and
``xlwings.com_server`` to import. Then, exactly as in Excel:

* ``xw.func``/``xw.arg``/``xw.ret`` are ``xlwings.udfs.xlfunc/xlarg/xlret`` (what
  ``xlwings/__init__.py`` binds on Windows), so importing ``nps_xl.excel.udfs`` builds the real
  ``__xlfunc__`` metadata and ``generate_vba_wrapper`` writes the real VBA module;
* :meth:`ClassicExcel.call` goes through ``com_server.XLPython.CallUDF`` — the method the VBA
  wrapper calls — and so through ``udfs.call_udf``: missing-argument handling, the argument
  converters of the ``excel`` engine (``_xlwindows.Engine.clean_value_data``), the function,
  the return converter and the 1×1 → scalar unwrapping.

What is not exercised: Excel itself (COM marshalling of Range objects into tuples of rows).
Arguments are therefore given as COM delivers them: tuples of row tuples, ``None`` for blanks,
floats for numbers, the ``COM_ERRORS`` integers for error values, and :data:`MISSING` for an
omitted argument.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass

#: What VBA passes for an omitted optional argument (DISP_E_PARAMNOTFOUND).
MISSING = -2147352572

UDF_MODULE = "nps_xl.excel.udfs"

_STUBBED = (
    "pythoncom",
    "pywintypes",
    "win32api",
    "win32con",
    "win32event",
    "win32gui",
    "win32process",
    "win32timezone",
    "win32com",
    "win32com.client",
    "win32com.server",
    "win32com.server.dispatcher",
    "win32com.server.policy",
    "win32com.server.util",
    "win32com.server.exception",
)
_REIMPORTED = ("xlwings.udfs", "xlwings._xlwindows", "xlwings.com_server", UDF_MODULE)


class _Anything:
    """Stands in for any Windows API object; never called by the paths under test."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Anything()

    def __getattr__(self, name):
        return _Anything()


def _module(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


def _unwrap(obj):
    raise TypeError("not a wrapped COM object")


def _stubs() -> dict[str, types.ModuleType]:
    com_error = type("com_error", (Exception,), {})
    stubs = {
        "pythoncom": _module(
            "pythoncom",
            __file__="pythoncom.dll",
            CoInitialize=lambda: None,
            IID_IDispatch="IDispatch",
            IID_IEnumVARIANT="IEnumVARIANT",
            TypeIIDs={"IDispatch": type("PyIDispatch", (), {})},
            com_error=com_error,
        ),
        "pywintypes": _module(
            "pywintypes",
            TimeType=type("TimeType", (), {}),
            IID=lambda s: s,
            com_error=com_error,
        ),
        "win32com.client": _module(
            "win32com.client",
            Dispatch=_Anything(),
            DispatchEx=_Anything(),
            CDispatch=type("CDispatch", (), {}),
            CoClassBaseClass=type("CoClassBaseClass", (), {}),
            DispatchBaseClass=type("DispatchBaseClass", (), {}),
            gencache=_Anything(),
        ),
        "win32com.server.util": _module("win32com.server.util", unwrap=_unwrap, wrap=_Anything()),
    }
    for name in _STUBBED:
        stubs.setdefault(name, _module(name))
    stubs["win32com"].client = stubs["win32com.client"]
    stubs["win32com"].server = stubs["win32com.server"]
    for child in ("dispatcher", "policy", "util", "exception"):
        setattr(stubs["win32com.server"], child, stubs[f"win32com.server.{child}"])
    return stubs


@dataclass
class ClassicExcel:
    """The UDF module as classic xlwings loaded it, and a way to call it like VBA does."""

    module: types.ModuleType
    xlwings_udfs: types.ModuleType
    com_server: types.ModuleType

    def call(self, name: str, *args):
        """``XLPy.CallUDF("nps_xl.excel.udfs", name, Array(args…))`` as the VBA wrapper does."""
        return self.com_server.XLPython().CallUDF(UDF_MODULE, name, args)

    def import_functions(self) -> _Workbook:
        """Run xlwings' own ``import_udfs`` (the ribbon's *Import Functions*) against a
        recording workbook: it receives the VBA module and the ``MacroOptions`` calls that
        give Excel's Insert Function dialog its descriptions."""
        self.xlwings_udfs.udf_modules[UDF_MODULE] = {
            "filename": self.module.__file__,
            "filetime": None,
            "module": self.module,
        }
        book = _Workbook()
        self.xlwings_udfs.import_udfs(UDF_MODULE, book)
        return book


class _Components:
    def __init__(self, book: _Workbook):
        self.book = book

    def __call__(self, name):
        raise sys.modules["pywintypes"].com_error("no such component")

    def Remove(self, component):
        pass

    def Import(self, path):
        with open(path, encoding="utf-8") as f:
            self.book.vba = f.read()


class _Application:
    Version = "16.0"

    def __init__(self, book: _Workbook):
        self.book = book

    def MacroOptions(self, macro, **options):
        self.book.macro_options.append({"macro": macro, **options})


class _Workbook:
    """Records what ``import_udfs`` does to a workbook."""

    Name = "nps.xlsm"

    def __init__(self):
        self.vba = ""
        self.macro_options: list[dict] = []
        self.VBProject = types.SimpleNamespace(VBComponents=_Components(self))
        self.Application = _Application(self)


@contextlib.contextmanager
def classic_excel() -> Iterator[ClassicExcel]:
    """Load ``nps_xl.excel.udfs`` under classic xlwings; undo every change on exit."""
    import xlwings
    from xlwings.main import Engine

    saved_modules = {name: sys.modules.get(name) for name in (*_STUBBED, *_REIMPORTED)}
    saved_decorators = {name: getattr(xlwings, name) for name in ("func", "arg", "ret")}
    saved_ctypes = {name: getattr(ctypes, name, None) for name in ("oledll", "windll", "PyDLL")}
    import nps_xl.excel as package

    saved_attr = getattr(package, "udfs", None)
    engine = None
    try:
        sys.modules.update(_stubs())
        for name in _REIMPORTED:
            sys.modules.pop(name, None)
        # _xlwindows binds Windows DLL entry points at import time.
        ctypes.oledll = ctypes.windll = ctypes.PyDLL = _Anything()
        try:
            windows = importlib.import_module("xlwings._xlwindows")
            xlwings_udfs = importlib.import_module("xlwings.udfs")
            com_server = importlib.import_module("xlwings.com_server")
        finally:
            for name, value in saved_ctypes.items():
                if value is None:
                    delattr(ctypes, name)
                else:
                    setattr(ctypes, name, value)
        engine = Engine(impl=windows.engine)
        xlwings.engines.add(engine)
        xlwings.func = xlwings_udfs.xlfunc
        xlwings.arg = xlwings_udfs.xlarg
        xlwings.ret = xlwings_udfs.xlret
        module = importlib.import_module(UDF_MODULE)
        yield ClassicExcel(module, xlwings_udfs, com_server)
    finally:
        for name, value in saved_decorators.items():
            setattr(xlwings, name, value)
        if engine is not None:
            xlwings.engines.engines.remove(engine)
            xlwings.engines.engines_by_name.pop("excel", None)
        for name, value in saved_modules.items():
            if value is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = value
        if saved_attr is not None:
            package.udfs = saved_attr
        elif hasattr(package, "udfs"):
            del package.udfs
