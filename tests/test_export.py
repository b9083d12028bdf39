"""`congress export`: files Excel opens safely, and that import back unchanged."""
import codecs
import csv
import datetime as dt
import io
import json

import pytest
from conftest import digest, run, sql
from openpyxl import load_workbook


@pytest.mark.parametrize("name", ["orgs.csv", "orgs.xlsx"])
def test_export_orgs_then_import_changes_nothing(sample_db, tmp_path, name):
    path = tmp_path / name
    assert run("export", "orgs", str(path)).stdout == f"Đã xuất 1.964 dòng ra {path}.\n"
    before = digest(sample_db)
    result = run("import", "orgs", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Không có gì thay đổi: 1.964 không đổi.\n"
    assert digest(sample_db) == before


def edit(path, changes: dict[str, dict[str, object]]) -> None:
    """Changes cells of an exported sheet as a user would in Excel: {code: {header: new value}}."""
    if path.suffix == ".xlsx":
        workbook = load_workbook(path)
        rows = list(workbook.active.iter_rows())
        headers = [c.value for c in rows[0]]
        for row in rows[1:]:
            for header, value in changes.get(row[0].value, {}).items():
                row[headers.index(header)].value = value
        workbook.save(path)
        return
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for row in rows[1:]:
        for header, value in changes.get(row[0], {}).items():
            row[rows[0].index(header)] = str(value)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(rows)


def stored(db, code) -> tuple:
    """(name, party members, parent's code, working group number) as the database holds them."""
    return sql(db, "select o.name, o.party_members, p.code, g.number from organisation o "
                   "left join organisation p on p.id = o.parent_id left join workinggroup g on g.id = o.working_group_id "
                   "where o.code = :code", code=code)[0]


@pytest.mark.parametrize("name", ["orgs.csv", "orgs.xlsx"])
def test_one_cell_changed_in_an_export_imports(sample_db, tmp_path, name):
    path = tmp_path / name
    run("export", "orgs", str(path))
    edit(path, {"X.NINHGIANG.03": {"Tên tổ chức": "Chi bộ Trường TH Ninh Giang"}})
    assert "Sẽ ghi: 0 mới, 1 thay đổi, 1.963 không đổi" in run("import", "orgs", str(path), "--dry-run").stdout
    result = run("import", "orgs", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Đã nhập {name}: 0 mới, 1 thay đổi, 1.963 không đổi (tổ chức).\n"
    assert stored(sample_db, "X.NINHGIANG.03") == ("Chi bộ Trường TH Ninh Giang", 26, "X.NINHGIANG", None)


@pytest.mark.parametrize("name", ["orgs.csv", "orgs.xlsx"])
def test_a_committee_moves_to_another_group_through_import(sample_db, tmp_path, name):
    path = tmp_path / name
    run("export", "orgs", str(path))
    edit(path, {"X.NINHGIANG": {"Tổ": 5}})  # its grassroots rows still say 17
    assert "X.NINHGIANG — Đảng bộ xã Ninh Giang: tổ công tác 17 → 5" in run("import", "orgs", str(path), "--dry-run").stdout
    result = run("import", "orgs", str(path))
    assert result.exit_code == 0, result.stderr
    assert stored(sample_db, "X.NINHGIANG")[3] == 5
    assert "số 5" in run("org", "show", "X.NINHGIANG.03").stdout
    assert sql(sample_db, "select c.action from change c join organisation o on o.id = c.organisation_id "
                          "where o.code = 'X.NINHGIANG' order by c.id desc limit 1") == [("group.assign",)]


@pytest.mark.parametrize("name", ["orgs.csv", "orgs.xlsx"])
def test_export_edit_import_round_trip(sample_db, tmp_path, name):
    path = tmp_path / name
    run("export", "orgs", str(path))
    edit(path, {
        "P.HAIAN.01": {"Tên tổ chức": "Chi bộ Tổ dân phố 1, phường Hải An", "Đảng viên": 140},
        "X.NINHGIANG": {"Tổ": 5},
        "X.NINHGIANG.03": {"Cấp trên": "P.HAIAN"},  # «Đảng bộ trực thuộc» and «Tổ» left as exported
    })
    result = run("import", "orgs", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Đã nhập {name}: 0 mới, 3 thay đổi, 1.961 không đổi (tổ chức).\n"
    assert stored(sample_db, "P.HAIAN.01") == ("Chi bộ Tổ dân phố 1, phường Hải An", 140, "P.HAIAN", None)
    assert stored(sample_db, "X.NINHGIANG") == ("Đảng bộ xã Ninh Giang", None, "HP", 5)
    assert stored(sample_db, "X.NINHGIANG.03") == ("Chi bộ Trường Tiểu học Ninh Giang", 26, "P.HAIAN", None)
    before = digest(sample_db)
    again = run("import", "orgs", str(path))
    assert again.exit_code == 0, again.stderr
    assert again.stdout == "Không có gì thay đổi: 1.964 không đổi.\n"
    assert digest(sample_db) == before


def test_export_orgs_rebuilds_the_tree_in_an_empty_register(sample_db, tmp_path, monkeypatch):
    exported = tmp_path / "orgs.xlsx"
    run("export", "orgs", str(exported))
    from congress.writes.new_database import initialise

    initialise(str(tmp_path / "new.db"), sample=False, force=False)
    monkeypatch.setenv("CONGRESS_DB", str(tmp_path / "new.db"))
    for number in range(1, 21):
        run("group", "add", str(number), f"Tổ {number}")
    assert "1.964 mới" in run("import", "orgs", str(exported)).stdout
    assert run("export", "orgs", "-", "--format", "json").stdout.count('"code"') == 1964


def test_csv_is_utf8_with_bom_and_day_first_dates(sample_db):
    data = run("export", "orgs", "-").stdout_bytes
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Mã", "Tên tổ chức", "Cấp", "Cấp trên"]
    hai_an = next(r for r in rows if r[0] == "P.HAIAN")
    assert "23/07/2025" in hai_an
    assert not run("export", "orgs", "-", "--no-bom").stdout_bytes.startswith(codecs.BOM_UTF8)


def test_formula_injection_is_neutralised_in_csv_and_xlsx(sample_db, tmp_path):
    assert run("org", "edit", "X.NINHGIANG.03", "--name", '=HYPERLINK("http://x","bấm")').exit_code == 0
    assert run("org", "edit", "X.NINHGIANG.04", "--kind", "@SUM(1)").exit_code == 0
    rows = list(csv.reader(io.StringIO(run("export", "orgs", "-").stdout_bytes.decode("utf-8-sig"))))
    by_code = {r[0]: r for r in rows}
    assert by_code["X.NINHGIANG.03"][1] == "'=HYPERLINK(\"http://x\",\"bấm\")"
    assert by_code["X.NINHGIANG.04"][4] == "'@SUM(1)"
    run("export", "orgs", str(tmp_path / "orgs.xlsx"))
    sheet = load_workbook(tmp_path / "orgs.xlsx").active
    cell = next(r[1] for r in sheet.iter_rows(min_row=2) if r[0].value == "X.NINHGIANG.03")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x","bấm")', "s", True)
    for name in ("orgs.csv", "orgs.xlsx"):  # and the names come back exactly
        run("export", "orgs", str(tmp_path / name))
        assert run("import", "orgs", str(tmp_path / name)).stdout.startswith("Không có gì thay đổi")


def test_xlsx_has_typed_cells_frozen_header_and_widths(sample_db, tmp_path):
    run("export", "overdue", str(tmp_path / "overdue.xlsx"))
    sheet = load_workbook(tmp_path / "overdue.xlsx").active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Mã", "Tên tổ chức", "Đảng bộ trực thuộc", "Tổ", "Ngày dự kiến", "Lý do",
                                           "Số ngày quá hạn"]
    assert sheet["A2"].value == "X.VINHBAO.08" and sheet["E2"].value == dt.datetime(2025, 7, 18)
    assert sheet["E2"].number_format == "dd/mm/yyyy" and sheet["G2"].value == 491
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["D"].width


def test_status_and_history_exports(sample_db, tmp_path):
    status = json.loads(run("export", "status", "-", "--format", "json", "--as-of", "9/7/2025").stdout)
    assert sum(1 for r in status if r["committee"]) == 1845 - 1325  # grassroots not yet held on 9/7/2025
    assert {"code", "standing", "reason", "reason_text"} <= set(status[0])
    overdue = run("export", "overdue", "-", "--format", "json").stdout
    assert [r["code"] for r in json.loads(overdue)][:2] == ["X.VINHBAO.08", "X.NINHGIANG.03"]
    assert run("export", "history", str(tmp_path / "h.csv")).exit_code == 0
    header = (tmp_path / "h.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "Thời điểm,Người ghi,Tổ,Mã,Việc,Mục,Cũ,Mới,Ghi chú"


def test_format_from_the_name_or_refused(sample_db, tmp_path):
    result = run("export", "orgs", str(tmp_path / "orgs.pdf"))
    assert result.exit_code == 1 and "--format" in result.stderr
    result = run("export", "orgs", str(tmp_path / "orgs.csv"), "--format", "xlsx")
    assert result.exit_code == 1 and not (tmp_path / "orgs.csv").exists()
    assert run("export", "orgs", str(tmp_path / "orgs.json")).exit_code == 0
    assert json.loads((tmp_path / "orgs.json").read_text(encoding="utf-8"))[0]["code"] == "DK.BACHLONGVI"


# Names that start like a formula, or with an apostrophe of their own, stored in the register.
NAMES = {"X.NINHGIANG.01": "=SUM(1)", "X.NINHGIANG.02": "+84 Tổ", "X.NINHGIANG.03": "-5 Tổ",
         "X.NINHGIANG.04": "@Tổ", "X.NINHGIANG.05": "\tTổ 3", "X.NINHGIANG.06": "'Tổ 3",
         "X.NINHGIANG.07": "''Tổ 3", "X.NINHGIANG.08": "'=x"}


def names(db) -> dict[str, str]:
    stored = dict(sql(db, "select code, name from organisation where code like 'X.NINHGIANG.0%'"))
    return {code: stored[code] for code in NAMES}


@pytest.mark.parametrize("source", ["org list", "orgs.csv", "orgs.xlsx"])
def test_every_name_survives_a_round_trip_exactly(sample_db, tmp_path, source):
    for code, name in NAMES.items():
        sql(sample_db, "update organisation set name = :name where code = :code", name=name, code=code)
    if source == "org list":
        path = tmp_path / "list.csv"
        path.write_text(run("org", "list", "--format", "csv").stdout, encoding="utf-8")
    else:
        path = tmp_path / source
        run("export", "orgs", str(path))
    if path.suffix == ".csv":  # one apostrophe in front, which spreadsheets show as text
        rows = {r[0]: r[1] for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))}
        assert {code: rows[code] for code in NAMES} == {code: "'" + name for code, name in NAMES.items()}
    else:  # the text itself, as a text cell flagged with Excel's quote prefix
        cells = {r[0].value: r[1] for r in load_workbook(path).active.iter_rows(min_row=2)}
        assert {code: (cells[code].value, cells[code].data_type, cells[code].quotePrefix) for code in NAMES} == {
            code: (name, "s", True) for code, name in NAMES.items()}
    before = digest(sample_db)
    result = run("import", "orgs", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Không có gì thay đổi: 1.964 không đổi.\n"
    assert names(sample_db) == NAMES and digest(sample_db) == before


@pytest.mark.parametrize("listing", [("org", "list"), ("status", "--overdue"), ("history",)])
def test_every_csv_listing_neutralises_formulas(sample_db, listing):
    assert run("org", "edit", "X.NINHGIANG.03", "--name", '=HYPERLINK("http://x","bấm")').exit_code == 0
    output = run(*listing, "--format", "csv").stdout
    assert not output.startswith(codecs.BOM_UTF8.decode("utf-8"))  # a listing on stdout has no BOM
    cells = [cell for row in csv.reader(io.StringIO(output)) for cell in row]
    assert "'=HYPERLINK(\"http://x\",\"bấm\")" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


# counts as plain digits in every CSV: "1.841" is 1,841 to a spreadsheet in English settings
@pytest.mark.parametrize("command, header, count", [
    (("status", "--format", "csv"), "Tổ chức cơ sở đảng", ("Tổng số", "1845")),
    (("org", "list", "--format", "csv"), "X.NINHGIANG.03", ("Đảng viên", "12345")),
    (("export", "orgs", "-"), "X.NINHGIANG.03", ("Đảng viên", "12345")),
])
def test_csv_counts_are_plain_integers(sample_db, command, header, count):
    sql(sample_db, "update organisation set party_members = 12345 where code = 'X.NINHGIANG.03'")
    result = run(*command)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip(codecs.BOM_UTF8.decode()))))
    assert not [cell for row in rows[1:] for cell in row if cell.replace(".", "").isdigit() and "." in cell]
    row = next(r for r in rows if header in r)
    assert row[rows[0].index(count[0])] == count[1]
