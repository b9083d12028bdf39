"""Reading what offices really send, and writing what Excel opens safely (congress.presentation.sheets)."""
import codecs
import datetime as dt
import io
import unicodedata

import pytest
from openpyxl import Workbook, load_workbook

from congress.domain.errors import CongressError
from congress.presentation.sheets import (
    XlsxColumn,
    cell_count,
    cell_date,
    cell_text,
    header_key,
    neutralised,
    read_sheet,
    restored,
    write_csv,
    write_xlsx,
)

TODAY = dt.date(2026, 11, 21)
ROWS = [["Mã", "Tên tổ chức", "Ngày tổ chức"], ["X.CAMGIANG", "Đảng bộ xã Cẩm Giàng", "9/7/2025"]]


def read_all(path):
    sheet = read_sheet(path)
    return sheet, list(sheet.rows)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_in_every_excel_encoding_and_delimiter(tmp_path, encoding, delimiter):
    path = tmp_path / "held.csv"
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    if encoding == "cp1258":
        text = windows_1258_style(text)
    path.write_bytes(text.encode(encoding))
    sheet, rows = read_all(path)
    assert sheet.columns == {"code": 0, "name": 1, "held_on": 2}
    assert [(n, [cell_text(c) for c in cells]) for n, cells in rows] == [
        (2, ["X.CAMGIANG", "Đảng bộ xã Cẩm Giàng", "9/7/2025"])
    ]


def windows_1258_style(text: str) -> str:
    """Windows-1258 has â, ơ, ư… but writes tone marks as separate combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out)


def test_utf16_without_bom_and_commas_inside_names(tmp_path):
    path = tmp_path / "held.txt"
    path.write_bytes('Mã\tTên\n"X.A"\t"Chi bộ số 1, Vĩnh Bảo"\n'.encode("utf-16-le"))
    sheet, rows = read_all(path)
    assert rows == [(2, ["X.A", "Chi bộ số 1, Vĩnh Bảo"])]


def test_semicolon_file_whose_names_contain_commas(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("Mã;Tên;Cấp\nHP;Đảng bộ tỉnh, thành phố;city\nA;Chi bộ 1, xã B;grassroots\n", encoding="utf-8")
    sheet, rows = read_all(path)
    assert [len(cells) for _, cells in rows] == [3, 3]


@pytest.mark.parametrize(
    "header, key",
    [("Mã", "code"), ("  MÃ  ", "code"), ("Tên tổ chức", "name"), ("Ngày tổ chức", "held_on"),
     ("ngay to chuc", "held_on"), ("NGAY TO CHUC", "held_on"), ("held_on", "held_on"), ("Held On", "held_on"),
     ("Ngày  dự kiến (dd/mm/yyyy)", "planned_on"), ("planned_on", "planned_on"), ("Số đảng viên", "party_members"),
     ("Tổ công tác", "working_group"), ("Cấp trên", "parent"), ("STT", "row_number"), ("Ghi chú", "note")],
)
def test_headers_in_vietnamese_or_english_with_or_without_diacritics(tmp_path, header, key):
    path = tmp_path / "f.csv"
    path.write_text(f"{header},Mã số\nx,y\n" if key != "code" else f"{header}\nx\n", encoding="utf-8")
    assert key in read_sheet(path).columns


def test_nfd_header_and_old_style_tone_placement(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(unicodedata.normalize("NFD", "Mã,Ngày tổ chức\nA,1/8/2025\n"), encoding="utf-8")
    assert set(read_sheet(path).columns) == {"code", "held_on"}
    assert header_key("Hoà") == header_key("Hòa") == "hoa"


def test_unknown_columns_are_reported_and_blank_rows_and_trailing_columns_ignored(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Mã,Ngày tổ chức,Người báo cáo,,\n,,,,\nA,1/8/2025,Lan,,\n\nB,2/8/2025,,,x\n", encoding="utf-8")
    sheet, rows = read_all(path)
    assert [n for n, _ in rows] == [3, 5]
    assert sheet.unknown == ["«Người báo cáo» (cột C)", "cột E (không có tiêu đề)"]


def test_a_title_above_the_header_row(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH ĐẠI HỘI ĐÃ TỔ CHỨC — TỔ CÔNG TÁC SỐ 3"])
    sheet.append([])
    sheet.append(["STT", "Mã", "Ngày tổ chức", None, None])
    sheet.append([1, "A", dt.datetime(2025, 8, 1)])
    workbook.save(tmp_path / "f.xlsx")
    read = read_sheet(tmp_path / "f.xlsx")
    assert read.header_row == 3 and read.columns == {"row_number": 0, "code": 1, "held_on": 2}
    assert list(read.rows) == [(4, (1, "A", dt.datetime(2025, 8, 1)))]


def test_same_column_twice_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Mã,Code\nA,B\n", encoding="utf-8")
    with pytest.raises(CongressError, match="trùng nghĩa"):
        read_sheet(path)


def test_files_we_cannot_read(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(CongressError, match="xlsx"):
        read_sheet(tmp_path / "old.xls")
    with pytest.raises(CongressError, match="Không mở được"):
        read_sheet(tmp_path / "broken.xlsx")
    with pytest.raises(CongressError, match="không có dữ liệu"):
        read_sheet(tmp_path / "empty.csv")
    with pytest.raises(CongressError, match="Không tìm thấy"):
        read_sheet(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    "value, expected",
    [(dt.datetime(2025, 7, 9), dt.date(2025, 7, 9)), (dt.date(2025, 7, 9), dt.date(2025, 7, 9)),
     (45847, dt.date(2025, 7, 9)), (45847.0, dt.date(2025, 7, 9)), ("45847", dt.date(2025, 7, 9)),
     ("9/7/2025", dt.date(2025, 7, 9)), ("09/07/2025", dt.date(2025, 7, 9)), ("9/7", dt.date(2025, 7, 9)),
     ("9-7-25", dt.date(2025, 7, 9)), ("2025-07-09", dt.date(2025, 7, 9)), ("2025-07-09 00:00:00", dt.date(2025, 7, 9)),
     ("hôm nay", TODAY), (None, None), ("  ", None)],
)
def test_dates_as_cells_serials_or_day_first_text(value, expected):
    assert cell_date(value, default_year=2025, today=TODAY) == expected


@pytest.mark.parametrize("value", ["31/9/2025", "30/2/2025", "9/13/2025", "ngày mai", "12", 5, "7.2025.1"])
def test_impossible_dates_are_refused(value):
    with pytest.raises(CongressError):
        cell_date(value, default_year=2025, today=TODAY)


@pytest.mark.parametrize("value, expected", [("1.845", 1845), ("1 845", 1845), ("1845", 1845), (1845, 1845),
                                             (1845.0, 1845), (None, None), ("", None)])
def test_counts(value, expected):
    assert cell_count(value) == expected


@pytest.mark.parametrize("value", ["12,5", 12.5, "mười", "1.84"])
def test_counts_that_are_not_whole_numbers(value):
    with pytest.raises(CongressError):
        cell_count(value)


@pytest.mark.parametrize(
    "text, written",
    [
        ("=1+1", "'=1+1"), ("+84 912", "'+84 912"), ("-5+1", "'-5+1"), ("-A1", "'-A1"), ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("-5", "-5"), ("-16", "-16"),  # a negative whole number is a number to a spreadsheet, not a formula
        ("\rx", "'\rx"),
        ("'Tổ 3", "''Tổ 3"), ("''x", "'''x"), ("'=x", "''=x"), ("'", "''"),  # an apostrophe of the text's own
        ("Đảng bộ", "Đảng bộ"), ("Tổ 'A'", "Tổ 'A'"), ("", ""),
    ],
)
def test_formula_starts_and_apostrophes_are_neutralised_and_restored_exactly(text, written):
    assert neutralised(text) == written
    assert restored(written) == text


@pytest.mark.parametrize("typed", ["'Tổ 3", "'", "'1.204", "Tổ'"])
def test_an_apostrophe_we_did_not_add_is_kept(typed):
    assert restored(typed) == typed


def test_csv_cells_are_restored_on_reading_and_xlsx_cells_are_not(tmp_path):
    names = ["=1+1", "'Tổ 3", "''x", "'=x", "\tTổ 3"]
    with open(tmp_path / "n.csv", "wb") as stream:
        write_csv(stream, ["Mã", "Tên"], [[str(i), name] for i, name in enumerate(names)])
    with open(tmp_path / "n.xlsx", "wb") as stream:
        write_xlsx(stream, "Thử", [XlsxColumn("Mã", 5), XlsxColumn("Tên", 20)],
                   [[str(i), name] for i, name in enumerate(names)])
    for name in ("n.csv", "n.xlsx"):  # an xlsx cell holds the text itself; its quote prefix is a flag
        assert [cell_text(cells[1]) for _, cells in read_all(tmp_path / name)[1]] == names, name


def test_cell_text_trims_but_keeps_a_leading_tab():
    assert cell_text("  Tổ 3 \n") == "Tổ 3"
    assert cell_text("\tTổ 3 ") == "\tTổ 3"
    assert cell_text("\t ") is None


def test_csv_written_with_a_bom_unless_asked_not_to():
    with_bom, without = io.BytesIO(), io.BytesIO()
    write_csv(with_bom, ["Mã"], [["=HYPERLINK(\"x\")"]])
    write_csv(without, ["Mã"], [["A"]], bom=False)
    assert with_bom.getvalue().startswith(codecs.BOM_UTF8)
    assert with_bom.getvalue().decode("utf-8-sig").splitlines()[1] == "\"'=HYPERLINK(\"\"x\"\")\""
    assert without.getvalue() == "Mã\r\nA\r\n".encode("utf-8")


def test_xlsx_text_is_never_a_formula(tmp_path):
    path = tmp_path / "f.xlsx"
    with open(path, "wb") as stream:
        write_xlsx(stream, "Thử", [XlsxColumn("Tên", 20), XlsxColumn("Ngày", 12, "dd/mm/yyyy")],
                   [["=1+1", dt.date(2025, 7, 9)], ["-2", None], ["'Tổ 3", None], ["Tổ 3", None]])
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].quotePrefix) == ("=1+1", "s", True)
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("-2", "s")
    assert (sheet["A4"].value, sheet["A4"].quotePrefix) == ("'Tổ 3", True)  # kept when someone edits the cell
    assert (sheet["A5"].value, sheet["A5"].quotePrefix) == ("Tổ 3", False)
    assert sheet["B2"].value == dt.datetime(2025, 7, 9) and sheet["B2"].number_format == "dd/mm/yyyy"
