"""Exported sheets and templates print as they are: filter, repeated header, A4 landscape, page width."""
import io

import pytest
from openpyxl import load_workbook

from conftest import run


def test_an_export_prints_as_it_is(sample_db, tmp_path):
    out = tmp_path / "qua-han.xlsx"
    result = run("export", "overdue", str(out), "--as-of", "21/8/2025")
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.paperSize == 9  # A4 in the OOXML paper-size table
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.oddFooter.center.text == "Trang &P/&N"


@pytest.mark.parametrize("kind", ["held", "results"])
def test_a_template_prints_as_it_is(sample_db, tmp_path, kind):
    out = tmp_path / "mau.xlsx"
    result = run("template", kind, str(out), "--group", "11")
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet.auto_filter.ref.startswith("A1:") and sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and sheet.oddFooter.center.text == "Trang &P/&N"
