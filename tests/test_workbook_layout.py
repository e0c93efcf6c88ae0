"""The workbook layout and the file writer, checked without a spreadsheet engine."""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from nps_xl.i18n import LANGUAGES, text
from nps_xl.workbook import layout as L
from nps_xl.workbook.xlsx import read_sample_survey, write_report, write_template

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
#: Functions every Excel since 2010, LibreOffice and Google Sheets evaluate.
ALLOWED_FUNCTIONS = {"COUNTIF", "COUNTIFS", "SUM", "IF", "OR", "SQRT", "MAX", "MIN", "LOOKUP",
                     "INDEX", "MATCH", "ROWS", "COUNTBLANK", "AND", "NOT", "ISNUMBER",
                     "SUMIFS", "SUMPRODUCT"}  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_names_are_valid_and_distinct(lang):
    names = L.sheet_names(lang)
    assert len(set(names.values())) == len(L.SHEETS)
    for name in names.values():
        assert L.check_sheet_name(name) == name


@pytest.mark.parametrize("bad", ["", "a" * 32, "Q1/Q2", "x[1]", "'quoted'", "History"])
def test_invalid_sheet_names_are_refused(bad):
    with pytest.raises(ValueError, match=r"sheet name|reserved"):
        L.check_sheet_name(bad)


def test_structured_references_escape_special_characters():
    assert L.structured_ref("Score") == "Responses[Score]"
    assert L.structured_ref("评分") == "Responses[评分]"
    assert L.structured_ref("Score [0-10] #1 'x'") == "Responses[Score '[0-10'] '#1 ''x'']"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detect_language_from_headers(lang):
    headers = [*L.response_headers(lang).values(), "Region"]
    assert text("score", L.detect_language(headers)) == text("score", lang)


def test_detect_language_explains_a_missing_score_column():
    with pytest.raises(ValueError, match="no score column"):
        L.detect_language(["When", "Rating"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_formulas_use_only_portable_functions(lang):
    bench = (("global|average|2024", "average"), ("global|top_quartile|2024", "top_quartile"))
    formulas = L.dashboard_formulas(lang, bench)
    score_ref = L.structured_ref(text("score", lang))
    weighted = L.dashboard_formulas(lang, bench, weighted=True)
    for ref, formula in [*formulas.items(), *weighted.items()]:
        assert formula.startswith("="), ref
        assert "[@" not in formula and "#This Row" not in formula
        used = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula))
        assert used <= ALLOWED_FUNCTIONS, (ref, used - ALLOWED_FUNCTIONS)
    counts = [formulas[L.cell(L.DIST_FIRST_ROW + k, L.DIST_COUNT_COL)] for k in range(11)]
    assert counts[9] == f'=COUNTIFS({score_ref},">=9",{score_ref},"<=9")'


def test_defined_names_point_at_the_dashboard_cells():
    names = L.defined_names("zh-Hant")
    assert names["NPS_Score"] == "='儀表板'!$B$9"
    assert names["NPS_Target"] == "='儀表板'!$B$14"
    assert names["NPS_Population"] == "='儀表板'!$B$20"
    assert "NPS_Effective_N" not in names
    assert L.defined_names("zh-Hant", weighted=True)["NPS_Effective_N"] == "='儀表板'!$B$21"
    assert len(names) == len(set(names.values()))


def test_col_letters():
    assert [L.col_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def _sheet_xml(path, index: int) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def test_user_text_stays_text(tmp_path):
    """Formula injection: comments starting with = + - @ are written as strings."""
    frame = pd.DataFrame(
        {
            "Response ID": ['=HYPERLINK("x")', "R2", "R3", "R4"],
            "Date": ["2025-01-01", "2025-01-02", "2025-02-01", None],
            "Score": [0, 3, 9, 10],
            "Comment": ["=1+1", "+SUM(A1:A2)", "-2", "@cmd"],
        }
    )
    path = write_report(tmp_path / "r.xlsx", frame)
    xml = _sheet_xml(path, 2)
    root = ElementTree.fromstring(xml)
    assert not root.findall(".//m:f", NS), "no formula may appear on the Responses sheet"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(1).to_python()
    assert [r[3] for r in rows[1:]] == ["=1+1", "+SUM(A1:A2)", "-2", "@cmd"]
    assert rows[1][0] == '=HYPERLINK("x")'
    # the follow-up sheet carries the detractors' comments, as text too
    assert not ElementTree.fromstring(_sheet_xml(path, 5)).findall(".//m:f", NS)


def test_responses_table_validation_and_dates(tmp_path):
    path = write_report(tmp_path / "r.xlsx", read_sample_survey().head(50), lang="bg")
    with zipfile.ZipFile(path) as z:
        table = ElementTree.fromstring(z.read("xl/tables/table1.xml"))
        styles = z.read("xl/styles.xml").decode("utf-8")
    assert table.get("name") == "Responses" and table.get("ref") == "A1:D51"
    headers = [c.get("name") for c in table.findall(".//m:tableColumn", NS)]
    assert headers == list(L.response_headers("bg").values())
    root = ElementTree.fromstring(_sheet_xml(path, 2))
    dv = root.find(".//m:dataValidation", NS)
    assert dv.get("type") == "whole" and dv.get("sqref") == "C2:C1048576"
    assert dv.get("errorStyle") is None  # "stop": the default
    assert dv.get("error") == text("wb_score_error_message", "bg")
    assert dv.get("prompt") == text("wb_score_input_message", "bg")
    assert len(root.findall(".//m:cfRule", NS)) == 3
    assert 'formatCode="dd.mm.yyyy &quot;г.&quot;"' in styles
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(1).to_python()
    assert rows[1][1].isoformat().startswith("2025-05-01")


def test_cached_values_are_the_python_values(tmp_path):
    """Files show numbers before any recalculation (XlsxWriter's cached formula values)."""
    frame = pd.DataFrame({"Score": [10, 10, 9, 8, 7, 6, 0, None, "x"]})
    path = write_report(tmp_path / "r.xlsx", frame, target=10)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    value = {f.name: rows[f.row][L.VALUE_COL] for f in L.FIGURES}
    assert value["NPS_N"] == 7 and value["NPS_Promoters"] == 3 and value["NPS_Detractors"] == 2
    assert value["NPS_Score"] == pytest.approx(100 / 7)
    assert value["NPS_Gap"] == pytest.approx(100 / 7 - 10)
    assert value["NPS_Blank"] == 1 and value["NPS_Invalid"] == 1
    assert value["NPS_Band"] == "Acceptable"
    invalid = (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_index(L.SHEETS.index("invalid"))
        .to_python()
    )
    assert invalid[1][:2] == [10, "x"]  # Excel row 10 of Responses holds "x"


def test_aggregates_only_writes_values_not_answers(tmp_path):
    frame = pd.DataFrame({"Score": np.r_[np.full(60, 10), np.full(40, 3)]})
    path = write_report(tmp_path / "r.xlsx", frame, embed_answers=False)
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/tables/")]
        dash = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    formulas = [f.text for f in dash.findall(".//m:f", NS)]
    assert not any("Responses" in f for f in formulas)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[L.FIGURE_BY_NAME["NPS_Score"].row][L.VALUE_COL] == pytest.approx(20.0)


def test_bad_columns_are_explained(tmp_path):
    frame = pd.DataFrame({"Rating": [1, 2]})
    with pytest.raises(ValueError, match="score column 'Score'"):
        write_report(tmp_path / "r.xlsx", frame)
    with pytest.raises(ValueError, match="Segment column"):
        write_report(tmp_path / "r.xlsx", frame, score="Rating", segments=["Region"])


def test_empty_template_has_a_ready_table(tmp_path):
    path = write_template(tmp_path / "t.xlsx", lang="lt")
    with zipfile.ZipFile(path) as z:
        table = ElementTree.fromstring(z.read("xl/tables/table1.xml"))
    assert table.get("ref") == "A1:D2"
    sheets = [s.name for s in CalamineWorkbook.from_path(str(path)).sheets_metadata]
    assert sheets == list(L.sheet_names("lt").values())
