"""`congress template`: sheets ready to fill, that import back as they are."""
import datetime as dt

import pytest
from conftest import digest, run
from openpyxl import load_workbook


def test_held_template_for_a_group(sample_db, tmp_path):
    path = tmp_path / "to17.xlsx"
    result = run("template", "held", str(path), "--group", "17")
    assert result.exit_code == 0 and "tổ chức" in result.stdout
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Mã", "Tên tổ chức", "Đảng bộ trực thuộc", "Ngày dự kiến", "Ngày tổ chức",
                                           "Ghi chú"]
    codes = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "X.NINHGIANG.03" in codes and not any(c.startswith("P.ANBIEN") for c in codes)
    assert sheet.column_dimensions["B"].width >= 40
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "date" and validation.formula2 == "TODAY()" and str(validation.sqref).startswith("E2:E")
    assert sheet["E2"].number_format == "dd/mm/yyyy"
    before = digest(sample_db)
    assert run("import", "held", str(path), "--group", "17").stdout.startswith("Không có gì thay đổi")
    assert digest(sample_db) == before


def test_filled_template_imports(sample_db, tmp_path):
    path = tmp_path / "to17.xlsx"
    run("template", "held", str(path), "--group", "17")
    workbook = load_workbook(path)
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "X.NINHGIANG.03")
    row[4].value = dt.datetime(2026, 11, 20)
    workbook.save(path)
    result = run("import", "held", str(path), "--group", "17")
    assert result.exit_code == 0 and "1 mới" in result.stdout


def test_schedule_and_orgs_templates(sample_db, tmp_path):
    assert run("template", "schedule", str(tmp_path / "s.xlsx")).exit_code == 0
    sheet = load_workbook(tmp_path / "s.xlsx").active
    assert [c.value for c in sheet[1]] == ["Mã", "Tên tổ chức", "Đảng bộ trực thuộc", "Ngày dự kiến", "Ghi chú"]
    assert sheet.max_row == 1 + 6  # only the six not yet held
    assert run("template", "orgs", str(tmp_path / "o.xlsx"), "--group", "1").exit_code == 0
    before = digest(sample_db)
    assert run("import", "orgs", str(tmp_path / "o.xlsx")).stdout.startswith("Không có gì thay đổi")
    assert digest(sample_db) == before


@pytest.mark.parametrize("args, words", [
    (["t.ods"], "Tệp mẫu Excel: tên tệp phải kết thúc bằng .xlsx (tệp CSV: .csv, .txt hoặc .tsv)."),
    (["t", "--format", "csv"], "Tệp mẫu CSV: tên tệp phải kết thúc bằng .csv, .txt hoặc .tsv."),
    (["t.csv", "--format", "xlsx"], "Tệp t.csv có đuôi .csv nhưng --format là xlsx."),
    (["t.xlsx", "--group", "99"], "Không có tổ công tác số 99"),
])
def test_a_template_is_xlsx_or_csv_by_name_and_its_group_must_exist(sample_db, tmp_path, args, words):
    result = run("template", "held", *args)
    assert result.exit_code == 1 and result.stderr.startswith("Lỗi: ") and words in result.stderr, result.stderr
    assert list(tmp_path.glob("t*")) == []


def _excel_day(formula: str) -> dt.date:
    return dt.date(*map(int, formula.removeprefix("DATE(").removesuffix(")").split(",")))


# the sheet's date check is the import's window (rules.py), so Excel refuses what the import refuses
@pytest.mark.parametrize("kind, bound, shift, accepted", [
    ("held", "formula1", -1, False), ("held", "formula1", 0, True),
    ("schedule", "formula1", -1, False), ("schedule", "formula1", 0, True),
    ("schedule", "formula2", 0, True), ("schedule", "formula2", 1, False),
])
def test_template_date_check_is_the_imports_window(sample_db, tmp_path, kind, bound, shift, accepted):
    path = tmp_path / f"{kind}.xlsx"
    assert run("template", kind, str(path), "--group", "17").exit_code == 0
    workbook = load_workbook(path)
    sheet = workbook.active
    (validation,) = sheet.data_validations.dataValidation
    day = _excel_day(getattr(validation, bound)) + dt.timedelta(days=shift)
    column = [c.value for c in sheet[1]].index("Ngày tổ chức" if kind == "held" else "Ngày dự kiến")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "X.NINHGIANG.03")
    row[column].value = dt.datetime(day.year, day.month, day.day)
    workbook.save(path)
    result = run("import", kind, str(path), "--group", "17", "--force")
    assert (result.exit_code == 0) is accepted, result.stderr
