"""The NPS ribbon add-in (nps_xl.xlam): built from xlwings' own ribbon template."""

from __future__ import annotations

import shutil
import struct
import subprocess
import uuid
import zipfile
from pathlib import Path

import defusedxml.ElementTree as safe_et
import pytest
import xlwings
from typer.testing import CliRunner

from nps_xl.excel import addin
from nps_xl.i18n import LANGUAGES, text

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbook_templates" / "nps_xl.xlam"
XLWINGS_TEMPLATE = Path(xlwings.__file__).with_name("quickstart_addin_ribbon.xlam")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
REWRITTEN = {
    "customUI/customUI.xml",
    "docProps/core.xml",
    "xl/workbook.xml",
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return addin.build_addin(tmp_path_factory.mktemp("addin") / "nps_xl.xlam")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def config_values(files: dict[str, bytes]) -> dict[str, object]:
    """Column A → column B of the configuration sheet, read the way the VBA reads it."""
    strings = [
        "".join(t.text or "" for t in si.iter(f"{MAIN}t"))
        for si in safe_et.fromstring(files["xl/sharedStrings.xml"]).iter(f"{MAIN}si")
    ]
    cells: dict[str, object] = {}
    for c in safe_et.fromstring(files["xl/worksheets/sheet1.xml"]).iter(f"{MAIN}c"):
        v = c.find(f"{MAIN}v")
        if v is None:
            value: object = ""
        elif c.get("t") == "s":
            value = strings[int(v.text)]
        elif c.get("t") == "b":
            value = v.text == "1"
        else:
            value = v.text
        cells[c.get("r")] = value
    config, row = {}, 1
    while cells.get(f"A{row}"):  # GetConfigFromSheet: A1 down to the first empty cell
        config[cells[f"A{row}"]] = cells.get(f"B{row}", "")
        row += 1
    return config


# --------------------------------------------------------------------------- the package


def test_valid_zip_with_the_templates_parts_in_order(built: Path) -> None:
    with zipfile.ZipFile(built) as z:
        assert z.testzip() is None
        names = z.namelist()
    with zipfile.ZipFile(XLWINGS_TEMPLATE) as z:
        assert names == z.namelist()


def test_every_xml_part_parses(built: Path) -> None:
    files = parts(built)
    xml_parts = [n for n in files if n.endswith((".xml", ".rels"))]
    assert len(xml_parts) == 11
    for name in xml_parts:
        safe_et.fromstring(files[name])


def test_vba_project_is_byte_identical_to_xlwings(built: Path) -> None:
    assert parts(built)["xl/vbaProject.bin"] == parts(XLWINGS_TEMPLATE)["xl/vbaProject.bin"]


def test_only_ribbon_and_configuration_parts_change(built: Path) -> None:
    ours, theirs = parts(built), parts(XLWINGS_TEMPLATE)
    changed = {name for name in theirs if ours[name] != theirs[name]}
    assert changed == REWRITTEN


def test_build_is_deterministic(tmp_path: Path) -> None:
    a = addin.build_addin(tmp_path / "a" / "nps_xl.xlam")
    b = addin.build_addin(tmp_path / "b" / "nps_xl.xlam")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {info.date_time for info in z.infolist()} == {addin.ZIP_DATE}


def test_shipped_addin_equals_a_fresh_build(built: Path) -> None:
    # Compare entries, not zip bytes: deflate output may differ between zlib versions.
    assert SHIPPED.is_file(), "run `nps-xl addin build workbook_templates/nps_xl.xlam`"
    assert parts(SHIPPED) == parts(built)
    assert xlwings.__version__ == "0.37.8", "rebuild workbook_templates/nps_xl.xlam"
    with zipfile.ZipFile(SHIPPED) as z:
        assert [i.date_time for i in z.infolist()] == [addin.ZIP_DATE] * len(z.infolist())


# --------------------------------------------------------------------------- the ribbon


def ribbon(path: Path) -> tuple[object, object, object]:
    root = safe_et.fromstring(parts(path)["customUI/customUI.xml"])
    (tab,) = root.iter(f"{UI}tab")
    (group,) = tab.iter(f"{UI}group")
    (button,) = group.iter(f"{UI}button")
    return tab, group, button


def test_nps_tab_with_a_large_refresh_button(built: Path) -> None:
    tab, group, button = ribbon(built)
    assert tab.get("label") == "NPS"
    assert group.get("label") == "Report"
    assert button.get("label") == "Refresh report"
    assert button.get("size") == "large"
    assert button.get("imageMso") == "RefreshAll"
    assert button.get("screentip") == "Refresh the NPS report"
    supertip = button.get("supertip")
    assert "Responses" in supertip and "Status" in supertip
    assert len(supertip) <= 1024  # the Office limit for supertip


def test_button_calls_the_vba_callback_of_the_template(built: Path) -> None:
    template_ui = safe_et.fromstring(parts(XLWINGS_TEMPLATE)["customUI/customUI.xml"])
    (template_button,) = template_ui.iter(f"{UI}button")
    _, _, button = ribbon(built)
    assert button.get("onAction") == template_button.get("onAction") == "RibbonMyAddin.RunMain"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ribbon_words_follow_the_language(tmp_path: Path, lang: str) -> None:
    tab, group, button = ribbon(addin.build_addin(tmp_path / "nps_xl.xlam", lang=lang))
    assert tab.get("label") == "NPS"
    assert group.get("label") == text("ribbon_group", lang)
    assert button.get("label") == text("ribbon_refresh", lang)
    assert button.get("supertip") == text("ribbon_refresh_supertip", lang)


# --------------------------------------------------------------------------- the VBA it keeps


def _cfb_streams(data: bytes) -> dict[str, bytes]:
    """Streams of an OLE compound file ([MS-CFB]); enough for a vbaProject.bin."""
    sector = 1 << struct.unpack_from("<H", data, 30)[0]
    mini = 1 << struct.unpack_from("<H", data, 32)[0]
    n_fat, first_dir, _, cutoff, first_minifat = struct.unpack_from("<IIIII", data, 44)
    difat = list(struct.unpack_from("<109I", data, 76))[:n_fat]

    def sec(i: int) -> bytes:
        return data[(i + 1) * sector : (i + 2) * sector]

    fat = [x for i in difat for x in struct.unpack(f"<{sector // 4}I", sec(i))]

    def chain(i: int) -> list[int]:
        out = []
        while i < 0xFFFFFFFA:
            out.append(i)
            i = fat[i]
        return out

    directory = b"".join(sec(i) for i in chain(first_dir))
    entries = [directory[k : k + 128] for k in range(0, len(directory), 128)]
    minifat = [x for i in chain(first_minifat) for x in struct.unpack(f"<{sector // 4}I", sec(i))]
    ministream = b"".join(sec(i) for i in chain(struct.unpack_from("<I", entries[0], 116)[0]))
    streams = {}
    for e in entries:
        if e[66] != 2:
            continue
        name = e[: struct.unpack_from("<H", e, 64)[0] - 2].decode("utf-16-le")
        start, size = struct.unpack_from("<IQ", e, 116)
        if size < cutoff:
            blob, i = b"", start
            while i < 0xFFFFFFFA:
                blob += ministream[i * mini : (i + 1) * mini]
                i = minifat[i]
        else:
            blob = b"".join(sec(i) for i in chain(start))
        streams[name] = blob[:size]
    return streams


def _decompress(buf: bytes) -> bytes:
    """[MS-OVBA] 2.4.1 decompression of a module's source."""
    out, pos = bytearray(), 1
    while pos < len(buf):
        header = struct.unpack_from("<H", buf, pos)[0]
        chunk, pos = buf[pos + 2 : pos + (header & 0x0FFF) + 3], pos + (header & 0x0FFF) + 3
        if not header & 0x8000:
            out += chunk
            continue
        start, i = len(out), 0
        while i < len(chunk):
            flags, i = chunk[i], i + 1
            for bit in range(8):
                if i >= len(chunk):
                    break
                if not flags >> bit & 1:
                    out.append(chunk[i])
                    i += 1
                    continue
                token = struct.unpack_from("<H", chunk, i)[0]
                i += 2
                bits = max((len(out) - start - 1).bit_length(), 4)
                length, offset = (token & (0xFFFF >> bits)) + 3, (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def vba_module(vba_project: bytes, module: str) -> str:
    stream = _cfb_streams(vba_project)[module]
    return _decompress(stream[stream.index(b"\x00Attribut") - 3 :]).decode("latin-1")


def test_the_callback_imports_the_module_named_like_the_file(built: Path) -> None:
    vba = parts(built)["xl/vbaProject.bin"]
    source = vba_module(vba, "RibbonMyAddin")
    assert "Sub RunMain(control As IRibbonControl)" in source
    assert 'Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, "."' in source
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in source
    assert built.name.removesuffix(".xlam") == "nps_xl"  # → import nps_xl;nps_xl.main()


def test_vba_reads_the_myaddin_conf_sheet_and_names_the_installed_dll(built: Path) -> None:
    source = vba_module(parts(built)["xl/vbaProject.bin"], "xlwings")
    assert 'Public Const PROJECT_NAME As String = "myaddin"' in source
    assert 'Set sht = wb.Sheets(PROJECT_NAME & ".conf")' in source
    assert f'"xlwings64-{xlwings.__version__}.dll"' in source
    # The button's workbook is the active one, not the add-in: --wb=ActiveWorkbook.Name.
    assert '" --wb=" & """" & ActiveWorkbook.Name' in source


# --------------------------------------------------------------------------- the configuration


def test_configuration_sheet_is_switched_on_and_keeps_its_vba_code_name(built: Path) -> None:
    files = parts(built)
    sheets = safe_et.fromstring(files["xl/workbook.xml"]).iter(f"{MAIN}sheet")
    assert [s.get("name") for s in sheets] == ["myaddin.conf"]
    sheet_pr = safe_et.fromstring(files["xl/worksheets/sheet1.xml"]).find(f"{MAIN}sheetPr")
    assert sheet_pr.get("codeName") == "Sheet2"


def test_configuration_values(built: Path) -> None:
    assert config_values(parts(built)) == {
        "Interpreter_Win": "",
        "Interpreter_Mac": "",
        "PYTHONPATH": "",
        "Conda Path": "",
        "Conda Env": "",
        "UDF Modules": "nps_xl.excel.udfs",
        "Debug UDFs": False,
        "Use UDF Server": False,
        "Show Console": False,
    }


def test_every_setting_has_a_note_for_the_user(built: Path) -> None:
    files = parts(built)
    notes = [c for c in safe_et.fromstring(files["xl/worksheets/sheet1.xml"]).iter(f"{MAIN}c")]
    assert sum(c.get("r").startswith("C") and c.get("t") == "s" for c in notes) == 9


def test_interpreter_is_filled_in_and_escaped(tmp_path: Path) -> None:
    path = addin.build_addin(
        tmp_path / "nps_xl.xlam",
        interpreter_win=r"C:\Users\Ann & Bo\env\python.exe",
        interpreter_mac="/Users/ann/<env>/bin/python",
    )
    config = config_values(parts(path))
    assert config["Interpreter_Win"] == r"C:\Users\Ann & Bo\env\python.exe"
    assert config["Interpreter_Mac"] == "/Users/ann/<env>/bin/python"


# --------------------------------------------------------------------------- install


def test_startup_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    win = addin.startup_dir("Windows")
    assert win == tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    mac = addin.startup_dir("Darwin", home=tmp_path)
    assert mac.relative_to(tmp_path).parts == (
        "Library",
        "Group Containers",
        "UBF8T346G9.Office",
        "User Content",
        "Startup",
        "Excel",
    )
    with pytest.raises(addin.AddinError, match="needs desktop Excel"):
        addin.startup_dir("Linux")


def test_install_on_windows_copies_into_xlstart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPDATA", str(tmp_path))
    done = addin.install_addin(system="Windows", interpreter=r"C:\py\python.exe")
    target = tmp_path / "Microsoft" / "Excel" / "XLSTART" / "nps_xl.xlam"
    assert target.is_file()
    assert done[0] == text("addin_installed", "en", path=target)
    assert r"C:\py\python.exe" in done[1]
    config = config_values(parts(target))
    assert config["Interpreter_Win"] == r"C:\py\python.exe"
    assert config["Interpreter_Mac"] == ""


def test_install_elsewhere_explains_that_excel_is_needed() -> None:
    with pytest.raises(addin.AddinError) as err:
        addin.install_addin(system="Linux")
    assert "Linux" in str(err.value) and "nps-xl addin build" in str(err.value)


def test_cli_build_and_install(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "nps_xl.xlam"
    result = runner.invoke(addin.addin_app, ["build", str(out), "--lang", "lt"])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and xlwings.__version__ in result.output
    assert ribbon(out)[1].get("label") == "Ataskaita"
    result = runner.invoke(addin.addin_app, ["install", "--dir", str(tmp_path / "start")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "start" / "nps_xl.xlam").is_file()


# --------------------------------------------------------------------------- a real engine


@pytest.mark.libreoffice
def test_libreoffice_reads_the_configuration_sheet(built: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = tmp_path / f"profile-{uuid.uuid4().hex}"
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(built, work / "nps_xl.xlam")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--infilter=Calc MS Excel 2007 VBA XML",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(work),
            str(work / "nps_xl.xlam"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    csv = work / "nps_xl-myaddin.conf.csv"
    assert csv.is_file(), list(work.iterdir())
    rows = [line.split(",", 2) for line in csv.read_text(encoding="utf-8").splitlines()]
    assert [r[0] for r in rows][:6] == [
        "Interpreter_Win",
        "Interpreter_Mac",
        "PYTHONPATH",
        "Conda Path",
        "Conda Env",
        "UDF Modules",
    ]
    assert rows[5][1] == "nps_xl.excel.udfs"
    assert rows[6][1] == "FALSE"


def test_no_folder_of_a_build_machine_is_kept(built: Path) -> None:
    with zipfile.ZipFile(built) as z:
        workbook = z.read("xl/workbook.xml")
    assert b"absPath" not in workbook
    assert b"C:\\Users" not in workbook
