"""`congress template results` and `congress import results`: the return sheet of what held congresses
decided, read back by the same readers as every sheet and checked by the same code as `congress result`."""
import csv
import datetime as dt
import io

import pytest
from conftest import digest, run, sql
from openpyxl import Workbook, load_workbook
from test_sheets import windows_1258_style

from congress.domain.rules import MAX_RETURN_ROWS, RESULT_FIELDS

HEADERS = ["Mã", "Tên tổ chức", "Đảng bộ trực thuộc", "Ngày tổ chức", "Số nội dung đại hội (2, 3 hoặc 4)",
           "Số ủy viên ban chấp hành", "Ban chấp hành (bầu tại đại hội/chỉ định)", "Số ủy viên ban thường vụ",
           "Bí thư (bầu tại đại hội/chỉ định)", "Số đại biểu được triệu tập", "Số đại biểu có mặt", "Số ủy viên nữ",
           "Số ủy viên dưới 40 tuổi", "Số ủy viên người dân tộc thiểu số", "Số ủy viên tham gia lần đầu",
           "Số đại biểu dự đại hội cấp trên", "Ghi chú kết quả"]
RESULT_AT = HEADERS.index("Số nội dung đại hội (2, 3 hoặc 4)")  # the first result column


def csv_file(path, rows, encoding="utf-8-sig"):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def xlsx_file(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def result_of(db, code):
    return dict(zip(RESULT_FIELDS, sql(db, f"SELECT {', '.join('c.' + f for f in RESULT_FIELDS)} FROM congress c"
                                           " JOIN organisation o ON o.id = c.organisation_id WHERE o.code = :code",
                                       code=code)[0]))


def written_history(db):
    """The result rows written by a command (the sample's own have no author), oldest first."""
    return sql(db, "SELECT o.code, c.field, c.old_value, c.new_value, c.working_group FROM change c"
                   " JOIN organisation o ON o.id = c.organisation_id"
                   " WHERE c.action = 'result' AND c.author IS NOT NULL ORDER BY c.id")


def refused(db, *args):
    """An import that must be refused: exit 1, one `Lỗi:` message, the database byte for byte the same."""
    before = digest(db)
    result = run("import", "results", *args)
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("Lỗi: ") and result.stderr.count("Lỗi:") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert digest(db) == before
    return result.stderr


# --- the template ---------------------------------------------------------------------------------


def test_the_template_lists_the_groups_held_congresses_with_their_results(sample_db, tmp_path):
    path = tmp_path / "kq17.xlsx"
    result = run("template", "results", str(path), "--group", "17")
    assert result.exit_code == 0, result.stderr
    held = sql(sample_db, "SELECT count(*) FROM congress c JOIN organisation o ON o.id = c.organisation_id"
                          " JOIN organisation k ON k.id = CASE WHEN o.level = 'grassroots' THEN o.parent_id ELSE o.id END"
                          " JOIN workinggroup g ON g.id = k.working_group_id WHERE g.number = 17"
                          " AND c.held_on IS NOT NULL")[0][0]
    assert result.stdout == f"Đã tạo {path}: {held} tổ chức.\n"
    sheet = load_workbook(path).active
    assert sheet.title == "Kết quả đại hội" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADERS
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == held
    assert "X.NINHGIANG.03" not in rows and "X.NINHGIANG" not in rows  # not held yet: nothing to report
    assert not any(code.startswith("P.HAIAN") for code in rows)  # another group's
    assert rows["X.NINHGIANG.02"] == ("X.NINHGIANG.02", "Chi bộ Trường Mầm non Ninh Giang", "X.NINHGIANG",
                                      dt.datetime(2025, 4, 24), 2, 8, "chỉ định", None, "chỉ định", 137, 131, 2, 0, 0,
                                      2, None, "Số liệu minh họa.")
    checks = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert (checks["E2"].type, checks["E2"].formula1) == ("list", '"2,3,4"')
    assert (checks["G2"].type, checks["G2"].formula1) == ("list", '"bầu tại đại hội,chỉ định"')
    assert checks["I2"].formula1 == checks["G2"].formula1
    assert (checks["F2"].type, checks["F2"].formula1, checks["F2"].formula2) == ("whole", "0", "100000")
    assert sorted(checks) == ["E2", "F2", "G2", "H2", "I2", "J2", "K2", "L2", "M2", "N2", "O2", "P2"]
    assert all(v.showErrorMessage and v.allow_blank for v in checks.values())
    assert sheet["D2"].number_format == "dd/mm/yyyy" and sheet["F2"].number_format == "#,##0"


@pytest.mark.parametrize("name", ["kq17.xlsx", "kq17.csv"])
def test_the_template_imports_back_as_it_is(sample_db, tmp_path, name):
    path = tmp_path / name
    assert run("template", "results", str(path), "--group", "17").exit_code == 0
    before = digest(sample_db)
    result = run("import", "results", str(path), "--group", "17")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Không có gì thay đổi: ") and "không đổi" in result.stdout
    assert digest(sample_db) == before


def test_the_csv_template_has_the_xlsx_columns_and_values(sample_db, tmp_path):
    assert run("template", "results", "kq.xlsx", "--group", "17").exit_code == 0
    assert run("template", "results", "kq.txt", "--group", "17", "--format", "csv").exit_code == 0
    raw = (tmp_path / "kq.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel opens Vietnamese
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    sheet = load_workbook(tmp_path / "kq.xlsx").active
    assert lines[0] == HEADERS and len(lines) == sheet.max_row
    row = next(r for r in lines if r[0] == "X.NINHGIANG.02")
    assert row[3:] == ["24/04/2025", "2", "8", "chỉ định", "", "chỉ định", "137", "131", "2", "0", "0", "2", "",
                       "Số liệu minh họa."]


def test_the_office_template_lists_every_held_congress(sample_db, tmp_path):
    assert run("template", "results", "kq.csv").exit_code == 0
    lines = (tmp_path / "kq.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) - 1 == sql(sample_db, "SELECT count(*) FROM congress c JOIN organisation o ON o.id = c.organisation_id"
                                            " WHERE c.held_on IS NOT NULL AND o.dissolved_on IS NULL"
                                            " AND c.round_id = 1")[0][0]


def test_the_held_template_as_csv_imports_back_too(sample_db, tmp_path):
    assert run("template", "held", "to17.csv", "--group", "17").exit_code == 0
    assert (tmp_path / "to17.csv").read_text(encoding="utf-8-sig").splitlines()[0] == (
        "Mã,Tên tổ chức,Đảng bộ trực thuộc,Ngày dự kiến,Ngày tổ chức,Ghi chú")
    before = digest(sample_db)
    assert run("import", "held", "to17.csv", "--group", "17").stdout.startswith("Không có gì thay đổi")
    assert digest(sample_db) == before


# --- filled in and sent back ------------------------------------------------------------------------


def fill_xlsx(path, filled: dict):
    workbook = load_workbook(path)
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        for header, value in filled.get(row[0].value, {}).items():
            row[HEADERS.index(header)].value = value
    workbook.save(path)


def fill_csv(path, filled: dict, encoding):
    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    for line in lines[1:]:
        for header, value in filled.get(line[0], {}).items():
            line[HEADERS.index(header)] = str(value)
    text = io.StringIO()
    csv.writer(text).writerows(lines)
    path.write_bytes((windows_1258_style(text.getvalue()) if encoding == "cp1258" else text.getvalue()).encode(encoding))


@pytest.mark.parametrize("name, encoding", [("kq17.xlsx", None), ("kq17.csv", "utf-8-sig"), ("kq17.csv", "utf-8"),
                                            ("kq17.csv", "cp1258")])
def test_a_filled_template_records_new_and_changed_results(sample_db, tmp_path, name, encoding):
    assert run("log", "X.NINHGIANG.03", "--held", "20/11/2026").exit_code == 0  # held, nothing reported yet
    path = tmp_path / name
    assert run("template", "results", str(path), "--group", "17").exit_code == 0
    filled = {
        "X.NINHGIANG.03": {"Số nội dung đại hội (2, 3 hoặc 4)": 4, "Số ủy viên ban chấp hành": 7,
                           "Ban chấp hành (bầu tại đại hội/chỉ định)": "bầu tại đại hội",
                           "Bí thư (bầu tại đại hội/chỉ định)": "chỉ định", "Số đại biểu được triệu tập": 40,
                           "Số đại biểu có mặt": 38, "Số ủy viên nữ": 3, "Ghi chú kết quả": "Báo cáo của chi bộ."},
        "X.NINHGIANG.02": {"Số ủy viên nữ": 3},  # in parts: the rest of the row as it was
    }
    if encoding is None:
        fill_xlsx(path, filled)
    else:
        fill_csv(path, filled, encoding)
    result = run("import", "results", str(path), "--group", "17")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Đã nhập {name}: 1 mới, 1 thay đổi, ")
    assert result_of(sample_db, "X.NINHGIANG.03") == {
        "contents": 4, "committee_members": 7, "committee_by": "elected", "standing_members": None,
        "secretary_by": "appointed", "delegates": 40, "present": 38, "women": 3, "under_40": None, "ethnic": None,
        "first_time": None, "delegates_up": None, "result_note": "Báo cáo của chi bộ."}
    assert result_of(sample_db, "X.NINHGIANG.02")["women"] == 3
    # one history row per changed field, as `congress result` writes them, by the importing group
    assert written_history(sample_db) == [  # in the sheet's order, by code
        ("X.NINHGIANG.02", "women", "2", "3", 17), ("X.NINHGIANG.03", "contents", None, "4", 17), ("X.NINHGIANG.03", "committee_members", None, "7", 17),
        ("X.NINHGIANG.03", "committee_by", None, "elected", 17), ("X.NINHGIANG.03", "secretary_by", None, "appointed", 17),
        ("X.NINHGIANG.03", "delegates", None, "40", 17), ("X.NINHGIANG.03", "present", None, "38", 17),
        ("X.NINHGIANG.03", "women", None, "3", 17), ("X.NINHGIANG.03", "result_note", None, "Báo cáo của chi bộ.", 17)]
    before = digest(sample_db)
    assert run("import", "results", str(path), "--group", "17").stdout.startswith("Không có gì thay đổi")
    assert digest(sample_db) == before


def test_the_import_writes_what_the_result_command_writes(sample_db, tmp_path):
    # the same values through each: the same congress row and the same history (but for the moment)
    assert run("result", "X.NINHGIANG.01", "--women", "2", "--committee-by", "appointed", "--note", "Sửa lại").exit_code == 0
    path = csv_file(tmp_path / "kq.csv", [["Mã", "Số ủy viên nữ", "Ban chấp hành", "Ghi chú"],
                                          ["X.NINHGIANG.02", "3", "bầu tại đại hội", "Sửa lại"]])
    assert run("import", "results", str(path)).exit_code == 0
    by_command, by_sheet = written_history(sample_db)[:3], written_history(sample_db)[3:]
    assert [row[1] for row in by_command] == [row[1] for row in by_sheet] == ["committee_by", "women", "result_note"]


def test_a_dry_run_shows_each_change_and_writes_nothing(sample_db, tmp_path):
    assert run("log", "X.NINHGIANG.03", "--held", "20/11/2026").exit_code == 0
    path = csv_file(tmp_path / "kq.csv", [
        ["Mã", "Tên tổ chức", "Số ủy viên nữ", "Ban chấp hành", "Số nội dung đại hội", "Ghi chú kết quả"],
        ["X.NINHGIANG.02", "", "3", "chỉ định", "", ""],  # chỉ định as stored: only the women change
        ["X.NINHGIANG.03", "", "", "bau", "đủ 4 nội dung", "Báo cáo của chi bộ."],
        ["X.NINHGIANG.01", "", "1", "", "", ""],  # as it is
        ["", "", "", "", "", ""],
        ["X.CHIMINH.02", "Chi bộ Trường Mầm non Chí Minh", "", "", "", ""],  # nothing to record
    ])
    before = digest(sample_db)
    result = run("import", "results", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Chạy thử kq.csv: chưa ghi gì vào cơ sở dữ liệu.",
        "Mới (1):",
        "  + X.NINHGIANG.03 — Chi bộ Trường Tiểu học Ninh Giang: số nội dung đại hội 4; ban chấp hành bầu tại đại hội;"
        " ghi chú kết quả «Báo cáo của chi bộ.»",
        "Thay đổi (1):",
        "  ~ X.NINHGIANG.02 — Chi bộ Trường Mầm non Ninh Giang: số ủy viên nữ 2 → 3",
        "Sẽ ghi: 1 mới, 1 thay đổi, 1 không đổi (đại hội); 1 dòng chưa có số liệu, bỏ qua.",
    ]
    assert digest(sample_db) == before


def test_skip_invalid_writes_the_good_rows_and_lists_the_refused(sample_db, tmp_path):
    path = csv_file(tmp_path / "kq.csv", [["Mã", "Số ủy viên nữ"], ["X.NINHGIANG.02", "3"], ["X.NINHGIANG.01", "6"],
                                          ["KHONGCO", "1"]])
    refused(sample_db, str(path))
    result = run("import", "results", str(path), "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "kq.csv: 2 lỗi ở 2 dòng:",
        "  Dòng 3, cột «Số ủy viên nữ»: Số ủy viên nữ (6) lớn hơn số ủy viên ban chấp hành (5).",
        "  Dòng 4, cột «Mã»: Không tìm thấy tổ chức «KHONGCO» (theo mã hoặc tên).",
        "Đã bỏ qua các dòng và cột trên; các dòng hợp lệ được ghi.",
    ]
    assert result.stdout == "Đã nhập kq.csv: 0 mới, 1 thay đổi, 0 không đổi (đại hội).\n"
    assert result_of(sample_db, "X.NINHGIANG.02")["women"] == 3 and result_of(sample_db, "X.NINHGIANG.01")["women"] == 1


def test_a_rows_refusal_is_the_result_commands_own_words(sample_db, tmp_path):
    typed = run("result", "P.HAIAN.01", "--committee", "8", "--standing", "9")
    path = csv_file(tmp_path / "kq.csv", [["Mã", "Số ủy viên ban chấp hành", "Số ủy viên ban thường vụ"],
                                          ["P.HAIAN.01", "8", "9"]])
    sheet = refused(sample_db, str(path))
    assert typed.exit_code == 1 and typed.stderr.startswith("Lỗi: ")
    assert f"  Dòng 2, cột «Số ủy viên ban thường vụ»: {typed.stderr.removeprefix('Lỗi: ').strip()}\n" in sheet


HEADER = ["Mã", "Số ủy viên ban chấp hành", "Số ủy viên nữ", "Số đại biểu có mặt", "Số nội dung đại hội",
          "Ban chấp hành", "Ghi chú"]


def row(code, **cells):
    """A row of HEADER: cells by the header's first letters ("nu" for «Số ủy viên nữ»), the rest blank."""
    short = {"bch": 1, "nu": 2, "co_mat": 3, "noi_dung": 4, "bau": 5, "ghi_chu": 6}
    line = [code] + [""] * (len(HEADER) - 1)
    for key, value in cells.items():
        line[short[key]] = value
    return line


# the refused row 3, and its one line; a good row 2 before it: all or nothing
BAD_ROWS = [
    # a part above its whole names both numbers: both in the row, or one stored (X.NINHGIANG.01: 5 members,
    # 1 woman, 59 delegates summoned)
    (row("X.NINHGIANG.01", bch="4", nu="5"), "Dòng 3, cột «Số ủy viên nữ»: Số ủy viên nữ (5) lớn hơn số ủy viên ban chấp hành (4)."),
    (row("X.NINHGIANG.01", nu="6"), "Dòng 3, cột «Số ủy viên nữ»: Số ủy viên nữ (6) lớn hơn số ủy viên ban chấp hành (5)."),
    (row("X.NINHGIANG.01", bch="0"),
     "Dòng 3, cột «Số ủy viên ban chấp hành»: Số ủy viên nữ (1) lớn hơn số ủy viên ban chấp hành (0)."),
    (row("X.NINHGIANG.01", co_mat="60"),
     "Dòng 3, cột «Số đại biểu có mặt»: Số đại biểu có mặt (60) lớn hơn số đại biểu được triệu tập (59)."),
    (row("X.NINHGIANG.01", nu="-3"), "Dòng 3, cột «Số ủy viên nữ»: Số ủy viên nữ không thể âm (-3)."),
    (row("X.NINHGIANG.01", co_mat="100001"),
     "Dòng 3, cột «Số đại biểu có mặt»: Số đại biểu có mặt (100.001) vượt quá 100.000."),
    (row("X.NINHGIANG.01", nu="một"), "Dòng 3, cột «Số ủy viên nữ»: «một» không phải một số nguyên."),
    (row("X.NINHGIANG.01", nu="1,5"), "Dòng 3, cột «Số ủy viên nữ»: «1,5» không phải một số nguyên."),
    (row("X.NINHGIANG.01", noi_dung="5"),
     "Dòng 3, cột «Số nội dung đại hội»: Số nội dung đại hội phải là 2, 3, 4 (đã gõ 5)."),
    (row("X.NINHGIANG.01", bau="bỏ phiếu"), "Dòng 3, cột «Ban chấp hành»: Ban chấp hành: chọn elected hoặc appointed"
                                             " (bầu tại đại hội, chỉ định), không phải «bỏ phiếu»."),
    (row("X.VINHBAO.08", nu="1"),
     "Dòng 3, cột «Mã»: Chi bộ thôn số 4, Vĩnh Bảo chưa tổ chức đại hội; chỉ ghi kết quả sau khi đại hội đã tổ chức."),
    (row("KHONGCO", nu="1"), "Dòng 3, cột «Mã»: Không tìm thấy tổ chức «KHONGCO» (theo mã hoặc tên)."),
    (row("", nu="1"), "Dòng 3, cột «Mã»: thiếu mã hoặc tên tổ chức."),
    (row("X.NINHGIANG.02", nu="1"), "Dòng 3, cột «Mã»: Chi bộ Trường Mầm non Ninh Giang (X.NINHGIANG.02) đã có ở dòng 2."),
    (row("X.NINHGIANG.01", ghi_chu="Ghi \x1b[8mchú"),
     "Dòng 3, cột «Ghi chú»: Ghi chú chứa ký tự điều khiển hoặc ký tự ẩn U+001B ở vị trí 5; hãy gõ lại (thường do dán từ"
     " văn bản khác)."),
]


@pytest.mark.parametrize("bad, line", BAD_ROWS, ids=[line.split(": ", 1)[1][:50] for _, line in BAD_ROWS])
def test_a_bad_row_is_refused_in_one_line_naming_its_row_and_column(sample_db, tmp_path, bad, line):
    path = csv_file(tmp_path / "kq.csv", [HEADER, row("X.NINHGIANG.02", nu="3"), bad])
    message = refused(sample_db, str(path))
    assert message.splitlines() == ["Lỗi: kq.csv: 1 lỗi ở 1 dòng:", f"  {line}",
                                    "Chưa ghi gì vào cơ sở dữ liệu. Sửa tệp rồi nhập lại, hoặc dùng --skip-invalid để"
                                    " chỉ ghi các dòng hợp lệ."]


@pytest.mark.parametrize("cells, line", [
    ([-3, None], "Dòng 3, cột «Số ủy viên nữ»: Số ủy viên nữ không thể âm (-3)."),
    ([2.5, None], "Dòng 3, cột «Số ủy viên nữ»: «2.5» không phải số nguyên."),
    ([None, 3.5], "Dòng 3, cột «Số nội dung đại hội»: Số nội dung đại hội phải là 2, 3, 4 (đã gõ 3.5)."),
    ([True, None], "Dòng 3, cột «Số ủy viên nữ»: «True» không phải một số."),
])
def test_a_bad_xlsx_cell_is_refused_as_its_csv_text_is(sample_db, tmp_path, cells, line):
    path = xlsx_file(tmp_path / "kq.xlsx", [["Mã", "Số ủy viên nữ", "Số nội dung đại hội"], ["X.NINHGIANG.02", 3, None],
                                            ["X.NINHGIANG.01", *cells]])
    assert f"  {line}\n" in refused(sample_db, str(path))


def test_a_group_imports_only_its_own_congresses_unless_forced(sample_db, tmp_path):
    path = csv_file(tmp_path / "kq.csv", [["Mã", "Số ủy viên nữ"], ["P.HAIAN.01", "3"]])
    assert ("Dòng 2, cột «Mã»: Chi bộ Tổ dân phố số 1, Hải An (P.HAIAN.01) thuộc tổ công tác số 3, không thuộc tổ công"
            " tác số 17. Dùng --force nếu tổ được giao thêm việc này.") in refused(sample_db, str(path), "--group", "17")
    assert run("import", "results", str(path), "--group", "17", "--force").exit_code == 0
    assert result_of(sample_db, "P.HAIAN.01")["women"] == 3


@pytest.mark.parametrize("rows, words", [
    ([["Số ủy viên nữ"], ["3"]], "Tệp kq.csv thiếu cột bắt buộc: «Mã» (tìm tiêu đề ở dòng 1; các cột có: «Số ủy viên nữ»)."),
    ([["Mã", "Ngày tổ chức"], ["X.NINHGIANG.02", "24/4/2025"]],
     "Tệp kq.csv thiếu cột bắt buộc: ít nhất một cột kết quả, như «Số đại biểu được triệu tập» (tìm tiêu đề ở dòng 1;"
     " các cột có: «Mã», «Ngày tổ chức»)."),
    ([["Mã", "Số ủy viên nữ", "Số ủy viên khóa trước"], ["X.NINHGIANG.02", "3", "9"]],
     "Cột không nhận ra: «Số ủy viên khóa trước» (cột C)."),
    ([["Mã", "Số ủy viên nữ", "Số nữ"], ["X.NINHGIANG.02", "3", "3"]], "Cột không nhận ra: «Số nữ» (cột C)."),
    ([["Mã", "Số ủy viên nữ", "women"], ["X.NINHGIANG.02", "3", "3"]],
     "Tệp kq.csv có cột trùng nghĩa: «women» (cột B và C). Hãy xóa bớt một cột."),
])
def test_a_sheet_without_the_columns_it_needs_is_refused(sample_db, tmp_path, rows, words):
    assert words in refused(sample_db, str(csv_file(tmp_path / "kq.csv", rows)))


def test_a_results_sheet_has_at_most_the_rows_of_any_return_sheet(sample_db, tmp_path):
    path = csv_file(tmp_path / "kq.csv", [["Mã", "Số ủy viên nữ"]] + [["X.NINHGIANG.02", "3"]] * (MAX_RETURN_ROWS + 1))
    assert (f"một tệp báo cáo kết quả đại hội có tối đa {MAX_RETURN_ROWS:,} dòng".replace(",", ".")
            in refused(sample_db, str(path)))


def test_headers_in_english_or_without_diacritics_are_read(sample_db, tmp_path):
    path = csv_file(tmp_path / "kq.csv", [["code", "women", "committee_by", "so dai bieu co mat", "SO UY VIEN BCH"],
                                          ["X.NINHGIANG.02", "3", "appointed", "130", "9"]])
    result = run("import", "results", str(path))
    assert result.exit_code == 0, result.stderr
    stored = result_of(sample_db, "X.NINHGIANG.02")
    assert (stored["women"], stored["committee_by"], stored["present"], stored["committee_members"]) == (3, "appointed", 130, 9)


def test_every_header_the_template_writes_reads_back_as_its_field():
    from congress.presentation.sheets import COLUMNS, header_key

    keys = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    assert [keys[header_key(h)] for h in HEADERS[RESULT_AT:]] == list(RESULT_FIELDS)
