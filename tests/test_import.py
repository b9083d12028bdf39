"""`congress import`: every bad row listed, nothing written unless all is well, history kept."""
import datetime as dt

import pytest
from conftest import digest, run, sql
from openpyxl import Workbook

import congress.writes.register
from congress.domain.errors import Allow, CongressError


def csv_file(path, rows, encoding="utf-8-sig", delimiter=","):
    path.write_bytes("\r\n".join(delimiter.join(map(str, r)) for r in rows).encode(encoding))
    return path


def xlsx_file(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def query(db, statement, *args):
    """Rows as SQLite gives them (dates as ISO text), on either backend."""
    for i in range(len(args)):
        statement = statement.replace("?", f":p{i}", 1)
    rows = sql(db, statement, **{f"p{i}": value for i, value in enumerate(args)})
    return [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row) for row in rows]


def held_on(db, code):
    return query(db, "select c.held_on from congress c join organisation o on o.id = c.organisation_id "
                     "where o.code = ?", code)[0][0]


def refused(db, *args):
    """Runs an import that must be refused: exit 1, one message, database byte for byte the same."""
    before = digest(db)
    result = run("import", *args)
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("Lỗi: ")
    assert "Chưa ghi gì" in result.stderr or "thiếu cột" in result.stderr
    assert digest(db) == before
    return result.stderr


# --- held and schedule --------------------------------------------------------------------------


def test_held_sheet_records_congresses_with_history(sample_db, tmp_path):
    path = xlsx_file(tmp_path / "to17.xlsx", [
        ["Mã", "Tên tổ chức", "Ngày tổ chức", "Ghi chú"],
        ["X.NINHGIANG.03", "Chi bộ Trường Tiểu học Ninh Giang", dt.datetime(2026, 11, 2), "báo cáo muộn"],
        [None, "Chi bộ Trường Trung học cơ sở Ninh Giang", 46329, None],  # an Excel serial: 3/11/2026
        ["X.NINHGIANG", None, None, None],  # no date yet: nothing to record
    ])
    result = run("import", "held", str(path), "--group", "17")
    assert result.exit_code == 0, result.stderr
    assert "Đã nhập to17.xlsx: 2 mới, 0 thay đổi, 0 không đổi (đại hội); 1 dòng chưa có ngày, bỏ qua." in result.stdout
    assert held_on(sample_db, "X.NINHGIANG.03") == "2026-11-02"
    assert held_on(sample_db, "X.NINHGIANG.04") == "2026-11-03"
    logged = query(sample_db, "select user, working_group, action, field, new_value, note from change c "
                              "join organisation o on o.id = c.organisation_id where o.code = 'X.NINHGIANG.03' "
                              "order by c.id desc limit 1")
    assert logged[0][1:] == (17, "log", "held_on", "2026-11-02", "báo cáo muộn")


def test_importing_the_same_file_again_changes_nothing_and_says_so(sample_db, tmp_path):
    path = csv_file(tmp_path / "held.csv", [["ma", "ngay to chuc"], ["X.NINHGIANG.03", "2/11/2026"]])
    assert run("import", "held", str(path)).exit_code == 0
    before = digest(sample_db)
    again = run("import", "held", str(path))
    assert again.exit_code == 0 and "Không có gì thay đổi" in again.stdout
    assert digest(sample_db) == before


def test_dry_run_shows_new_changed_and_unchanged_and_writes_nothing(sample_db, tmp_path):
    path = csv_file(tmp_path / "plan.csv", [
        ["Mã", "Ngày dự kiến"],
        ["X.NINHGIANG.03", "25/11/2026"],  # planned 22/07/2025: changed
        ["X.NINHGIANG.04", "23/07/2025"],  # as it is: unchanged
    ], delimiter=";")
    before = digest(sample_db)
    result = run("import", "schedule", str(path), "--dry-run", "--force")  # 25/11/2026: after the deadline
    assert result.exit_code == 0, result.stderr
    assert "X.NINHGIANG.03 — Chi bộ Trường Tiểu học Ninh Giang: ngày dự kiến 22/07/2025 → 25/11/2026" in result.stdout
    assert "1 không đổi" in result.stdout and "chưa ghi gì" in result.stdout
    assert digest(sample_db) == before
    assert run("import", "schedule", str(path), "--force").exit_code == 0
    assert query(sample_db, "select planned_on from congress c join organisation o on o.id = c.organisation_id "
                            "where o.code = 'X.NINHGIANG.03'") == [("2026-11-25",)]


# one bad row: the dry run still shows what the other rows would write (as the web's does), then refuses
@pytest.mark.parametrize("kind, rows, shown", [
    ("held", [["Mã", "Ngày tổ chức"], ["X.NINHGIANG.03", "20/11/2026"], ["X.VINHBAO.08", "31/02/2026"]],
     "  + X.NINHGIANG.03 — Chi bộ Trường Tiểu học Ninh Giang: ngày tổ chức 20/11/2026"),
    ("schedule", [["Mã", "Ngày dự kiến"], ["X.NINHGIANG.03", "20/8/2025"], ["KHONGCO", "1/8/2025"]],
     "  ~ X.NINHGIANG.03 — Chi bộ Trường Tiểu học Ninh Giang: ngày dự kiến 22/07/2025 → 20/08/2025"),
    ("orgs", [["Mã", "Tên tổ chức", "Số đảng viên"], ["X.NINHGIANG.03", "Chi bộ Trường Tiểu học Ninh Giang", "40"],
              ["X.NINHGIANG.04", "Chi bộ Trường Trung học cơ sở Ninh Giang", "bốn mươi"]],
     "  ~ X.NINHGIANG.03 — Chi bộ Trường Tiểu học Ninh Giang: số đảng viên"),
])
def test_dry_run_with_a_bad_row_shows_the_good_rows_then_the_refusal(sample_db, tmp_path, kind, rows, shown):
    path = csv_file(tmp_path / f"{kind}.csv", rows)
    before = digest(sample_db)
    result = run("import", kind, str(path), "--dry-run")
    assert result.exit_code == 1 and digest(sample_db) == before
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Chạy thử") and any(line.startswith(shown) for line in lines), result.stdout
    assert result.stderr.startswith("Lỗi: ") and "Dòng 3" in result.stderr and result.stderr.count("Lỗi:") == 1


@pytest.mark.parametrize(
    "row, column, reason",
    [
        (["KHONGCO", "1/8/2025"], "Mã", "Không tìm thấy tổ chức «KHONGCO»"),
        (["cam giang", "1/8/2025"], "Mã", "X.CAMGIANG  Đảng bộ xã Cẩm Giàng; X.CAMGIANG2"),
        (["X.NINHGIANG.03", "31/9/2025"], "Ngày tổ chức", "Ngày không có thật: «31/9/2025»"),
        (["X.NINHGIANG.03", "22/11/2026"], "Ngày tổ chức", "chưa đến (hôm nay là 21/11/2026)"),
        (["X.NINHGIANG.03", "hôm qua"], "Ngày tổ chức", "Ngày không hợp lệ"),
        (["P.ANBIEN", "1/8/2025"], "Ngày tổ chức", "đã được ghi nhận tổ chức đại hội ngày 20/08/2025"),
        (["X.VINHBAO", "20/11/2026"], "Ngày tổ chức",
         "Đảng bộ xã Vĩnh Bảo còn 2 tổ chức cơ sở đảng chưa tổ chức đại hội (tính đến ngày 20/11/2026)"),
    ],
)
def test_each_bad_row_is_named_with_its_row_column_and_reason(sample_db, tmp_path, row, column, reason):
    path = csv_file(tmp_path / "held.csv", [["Mã", "Ngày tổ chức"], ["X.NINHGIANG.04", "1/11/2026"], row])
    message = refused(sample_db, "held", str(path))
    assert f"Dòng 3, cột «{column}»: " in message and reason in message
    assert "Dòng 2" not in message


def test_force_logs_a_committee_before_its_grassroots_as_log_does(sample_db, tmp_path):
    path = csv_file(tmp_path / "held.csv", [["Mã", "Ngày tổ chức"], ["X.VINHBAO", "20/11/2026"]])
    assert run("import", "held", str(path), "--force").exit_code == 0
    assert held_on(sample_db, "X.VINHBAO") == "2026-11-20"


def test_a_plan_after_the_deadline_is_refused_unless_forced(sample_db, tmp_path):
    path = csv_file(tmp_path / "plan.csv", [["Mã", "Ngày dự kiến"], ["X.NINHGIANG.03", "31/8/2025"],
                                            ["X.NINHGIANG.04", "1/9/2025"]])
    message = refused(sample_db, "schedule", str(path))
    assert ("Dòng 3, cột «Ngày dự kiến»: Ngày dự kiến 01/09/2025 của Chi bộ Trường Trung học cơ sở Ninh Giang "
            "sau hạn chót 31/08/2025 (tổ chức cơ sở đảng).") in message
    assert "Dòng 2" not in message  # the deadline day itself is still in time
    assert run("import", "schedule", str(path), "--force").exit_code == 0
    assert query(sample_db, "select planned_on from congress c join organisation o on o.id = c.organisation_id "
                            "where o.code = 'X.NINHGIANG.04'") == [("2025-09-01",)]

def test_every_bad_row_is_listed_in_one_message(sample_db, tmp_path):
    path = csv_file(tmp_path / "held.csv", [
        ["Mã", "Ngày tổ chức"], ["KHONGCO", "1/8/2025"], ["X.NINHGIANG.03", "32/1/2026"],
        ["X.NINHGIANG.04", "1/11/2026"], ["X.NINHGIANG.04", "2/11/2026"],
    ])
    message = refused(sample_db, "held", str(path))
    assert "3 lỗi ở 3 dòng" in message
    assert "Dòng 2, cột «Mã»" in message and "Dòng 3, cột «Ngày tổ chức»" in message
    assert "Dòng 5, cột «Mã»: Chi bộ Trường Trung học cơ sở Ninh Giang (X.NINHGIANG.04) đã có ở dòng 4." in message


def test_skip_invalid_writes_the_valid_rows_and_lists_the_rest(sample_db, tmp_path):
    path = csv_file(tmp_path / "held.csv", [["Mã", "Ngày tổ chức"], ["KHONGCO", "1/8/2025"],
                                            ["X.NINHGIANG.03", "1/11/2026"]])
    result = run("import", "held", str(path), "--skip-invalid")
    assert result.exit_code == 0
    assert "Dòng 2, cột «Mã»" in result.stderr and "1 mới" in result.stdout
    assert held_on(sample_db, "X.NINHGIANG.03") == "2026-11-01"


def test_group_scope_is_the_same_rule_as_log(sample_db, tmp_path):
    path = csv_file(tmp_path / "held.csv", [["Mã", "Ngày tổ chức"], ["X.NINHGIANG.03", "1/11/2026"]])
    message = refused(sample_db, "held", str(path), "--group", "11")
    assert "thuộc tổ công tác số 17, không thuộc tổ công tác số 11" in message
    assert run("import", "held", str(path), "--group", "11", "--force").exit_code == 0


def test_missing_required_column_stops_the_import(sample_db, tmp_path):
    path = csv_file(tmp_path / "held.csv", [["Mã", "Ngày dự kiến"], ["X.NINHGIANG.03", "1/11/2026"]])
    message = refused(sample_db, "held", str(path))
    assert "thiếu cột bắt buộc: «Ngày tổ chức»" in message and "«Mã», «Ngày dự kiến»" in message


def test_unknown_columns_are_reported_not_dropped(sample_db, tmp_path):
    path = csv_file(tmp_path / "held.csv", [["Mã", "Ngày tổ chức", "Ngừơi ký"], ["X.NINHGIANG.03", "1/11/2026", "An"]])
    message = refused(sample_db, "held", str(path))
    assert "Cột không nhận ra: «Ngừơi ký» (cột C)" in message
    result = run("import", "held", str(path), "--skip-invalid")
    assert result.exit_code == 0 and "Cột không nhận ra" in result.stderr


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError])
def test_ctrl_c_or_a_crash_midway_leaves_the_database_as_it_was(sample_db, tmp_path, monkeypatch, interruption):
    path = csv_file(tmp_path / "held.csv", [["Mã", "Ngày tổ chức"], ["X.NINHGIANG.03", "1/11/2026"],
                                            ["X.NINHGIANG.04", "1/11/2026"]])
    real_log, calls = congress.writes.register.log, []

    def stop_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise interruption
        return real_log(*args, **kwargs)

    monkeypatch.setattr(congress.writes.register, "log", stop_on_second)
    before = digest(sample_db)
    if interruption is KeyboardInterrupt:
        assert run("import", "held", str(path)).exit_code == 1  # Click reports "Aborted!"
    else:  # the last-resort handler prints one line; --debug lets the crash itself through
        result = run("import", "held", str(path))
        assert result.exit_code == 1 and "sự cố ngoài dự kiến" in result.stderr
        calls.clear()
        with pytest.raises(RuntimeError):
            run("--debug", "import", "held", str(path))
    assert len(calls) == 2 and digest(sample_db) == before


def test_no_progress_bar_when_stderr_is_not_a_terminal(sample_db, tmp_path):
    rows = [["Mã", "Ngày dự kiến"]] + [["X.NINHGIANG.03", "25/11/2026"]] + [["", ""]] * 3000
    result = run("import", "schedule", str(csv_file(tmp_path / "big.csv", rows)), "--force")
    assert result.exit_code == 0 and result.stderr == ""


# --- organisations ------------------------------------------------------------------------------

ORG_HEADER = ["Mã", "Tên tổ chức", "Cấp", "Loại", "Cấp trên", "Tổ công tác", "Số đảng viên"]


def test_orgs_created_and_updated_with_history(sample_db, tmp_path):
    path = xlsx_file(tmp_path / "orgs.xlsx", [
        ORG_HEADER,
        ["X.MOI", "Đảng bộ xã Mới", "Đảng bộ trực thuộc", "xã", "HP", 5, None],
        ["X.MOI.01", "Chi bộ thôn 1, xã Mới", "grassroots", "chi bộ cơ sở", "X.MOI", None, "1.204"],
        ["X.NINHGIANG.03", "Chi bộ Trường Tiểu học Ninh Giang", None, None, None, None, 30],
    ])
    dry = run("import", "orgs", str(path), "--dry-run")
    assert "X.MOI — Đảng bộ xã Mới (Đảng bộ trực thuộc, cấp trên HP, tổ 5)" in dry.stdout
    assert "X.NINHGIANG.03 — Chi bộ Trường Tiểu học Ninh Giang: số đảng viên 26 → 30" in dry.stdout
    result = run("import", "orgs", str(path))
    assert result.exit_code == 0, result.stderr
    assert "2 mới, 1 thay đổi" in result.stdout
    shown = run("org", "show", "X.MOI.01").stdout
    assert "Cấp trên:          Đảng bộ xã Mới (X.MOI)" in shown and "số 5" in shown and "1.204" in shown
    actions = query(sample_db, "select c.action, c.field, c.old_value, c.new_value from change c "
                               "join organisation o on o.id = c.organisation_id where o.code like 'X.MOI%' "
                               "or o.code = 'X.NINHGIANG.03' and c.action = 'org.edit' order by c.id")
    assert ("org.add", None, None, "X.MOI Đảng bộ xã Mới") in actions
    assert ("group.assign", "working_group_id", None, str(query(sample_db, "select id from workinggroup where number = 5")[0][0])) in actions
    assert ("org.edit", "party_members", "26", "30") in actions
    assert run("import", "orgs", str(path)).stdout.startswith("Không có gì thay đổi")


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["X.A", "Đảng bộ xã A", "committee", "xã", "HP", "", ""], ["x.a", "Đảng bộ xã A2", "committee", "xã", "HP", "", ""]],
         "Dòng 3, cột «Mã»: mã x.a đã có ở dòng 2."),
        ([["X.A.01", "Chi bộ 1", "grassroots", "chi bộ cơ sở", "X.KHONGCO", "", ""]],
         "Dòng 2, cột «Cấp trên»: cấp trên «X.KHONGCO» không có trong tệp hay trong cơ sở dữ liệu"),
        ([["X.A.01", "Chi bộ 1", "grassroots", "chi bộ cơ sở", "HP", "", ""]],
         "Dòng 2, cột «Cấp trên»: Đảng bộ thành phố Hải Phòng là cấp «city»"),
        ([["X.A", "Đảng bộ xã A", "xã", "xã", "HP", "", ""]], "Dòng 2, cột «Cấp»: Cấp «xã» không hợp lệ"),
        ([["X.A", "Đảng bộ xã A", "committee", "", "HP", "", ""]], "Dòng 2, cột «Loại»: tổ chức mới cần có loại"),
        ([["X.A", "", "committee", "xã", "HP", "", ""]], "Dòng 2, cột «Tên tổ chức»: thiếu tên tổ chức."),
        ([["X.A", "Đảng bộ xã A", "committee", "xã", "HP", "99", ""]], "Dòng 2, cột «Tổ công tác»: không có tổ công tác số 99."),
        ([["X.A", "Đảng bộ xã A", "committee", "xã", "HP", "", "-3"]], "Dòng 2, cột «Số đảng viên»: «-3» không phải một số nguyên."),
        ([["X.NINHGIANG", "Đảng bộ xã Ninh Giang", "grassroots", "", "", "", ""]], "nhập tệp không đổi cấp"),
        ([["X.NINHGIANG.99", "Chi bộ mới", "grassroots", "chi bộ cơ sở", "X.NINHGIANG", "3", ""]],
         "Dòng 2, cột «Tổ công tác»: tổ công tác đi theo đảng bộ trực thuộc X.NINHGIANG"),
        ([["VN", "Cả nước", "city", "quốc gia", "BN", "", ""], ["BN", "Bắc Ninh", "city", "tỉnh", "VN", "", ""]],
         "Dòng 2, cột «Cấp trên»: Tổ chức cấp «city» không có cấp trên"),
        ([["X.A", "Đảng bộ xã A", "committee", "xã", "X.A", "", ""]], "không thể là cấp trên của chính nó"),
        ([["X.A", "Đảng bộ xã A", "committee", "xã", "X.KHONGCO", "", ""], ["X.A.01", "Chi bộ", "grassroots", "chi bộ cơ sở", "X.A", "", ""]],
         "Dòng 3, cột «Cấp trên»: cấp trên ở dòng 2 không hợp lệ."),
        ([["X.A", "Đảng bộ xã A", "committee", "xã", "X.B", "", ""], ["X.B", "Tỉnh B", "city", "tỉnh", "X.A", "", ""]],
         "Dòng 2: cấp trên tạo thành vòng lặp: X.A → X.B → X.A."),
    ],
)
def test_bad_organisation_rows(sample_db, tmp_path, rows, message):
    path = csv_file(tmp_path / "orgs.csv", [ORG_HEADER] + rows)
    assert message in refused(sample_db, "orgs", str(path))


def test_orgs_need_code_and_name_columns(sample_db, tmp_path):
    path = csv_file(tmp_path / "orgs.csv", [["Tên", "Cấp"], ["X", "city"]])
    assert "thiếu cột bắt buộc: «Mã»" in refused(sample_db, "orgs", str(path))


def test_the_sample_list_loads_into_an_empty_register(empty_db, tmp_path):
    from pathlib import Path

    for number in range(1, 21):
        assert run("group", "add", str(number), f"Tổ công tác số {number}").exit_code == 0
    sample = Path(__file__).resolve().parent.parent / "data" / "sample" / "organisations.csv"
    result = run("import", "orgs", str(sample))
    assert result.exit_code == 0, result.stderr
    assert "1.964 mới" in result.stdout
    assert query(empty_db, "select count(*) from organisation where level = 'grassroots'") == [(1845,)]
    assert query(empty_db, "select count(*) from change where action = 'org.add'") == [(1964,)]


def test_a_stored_grassroots_rows_group_is_left_alone(sample_db, tmp_path):
    # An export repeats the committee's group on its rows; it goes stale once the committee moves.
    path = csv_file(tmp_path / "orgs.csv", [ORG_HEADER, ["X.NINHGIANG.03", "Chi bộ Trường Tiểu học Ninh Giang", "", "", "", "3", ""]])
    before = digest(sample_db)
    result = run("import", "orgs", str(path))
    assert result.stdout == "Không có gì thay đổi: 1 không đổi.\n"
    assert digest(sample_db) == before


def test_openpyxls_own_english_warnings_never_reach_the_user(sample_db, tmp_path):
    """A sheet written by a program other than Excel, without the "Normal" cell style: openpyxl says
    "Workbook contains no default style, apply openpyxl's default" on stderr unless filtered."""
    import os
    import re
    import subprocess
    import sys
    import zipfile

    plain = xlsx_file(tmp_path / "plain.xlsx", [["Mã", "Ngày tổ chức"], ["X.NINHGIANG.03", "20/11/2026"]])
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bare, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/styles.xml":
                data = re.sub(rb"<cellStyles.*?</cellStyles>", b"", data, flags=re.S)
            target.writestr(item, data)
    result = subprocess.run(
        [sys.executable, "-W", "default", "-m", "congress", "--db", str(sample_db), "import", "held", str(bare), "--dry-run"],
        capture_output=True, text=True, env={**os.environ, "CONGRESS_TODAY": "2026-11-21"},
    )
    assert result.returncode == 0 and "X.NINHGIANG.03" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("refusal, cli, plain", [
    (CongressError("Đã ghi ngày khác.", allow=Allow.OVERRIDE, when="để ghi đè"),
     "Dòng 4, cột «Ngày tổ chức»: Đã ghi ngày khác. Dùng --force để ghi đè.",
     "Dòng 4, cột «Ngày tổ chức»: Đã ghi ngày khác."),
    (CongressError("Không tìm thấy tổ chức «X»."),
     "Dòng 4, cột «Ngày tổ chức»: Không tìm thấy tổ chức «X».",
     "Dòng 4, cột «Ngày tổ chức»: Không tìm thấy tổ chức «X»."),
    ("thiếu mã tổ chức.", "Dòng 4, cột «Ngày tổ chức»: thiếu mã tổ chức.", "Dòng 4, cột «Ngày tổ chức»: thiếu mã tổ chức."),
])
def test_a_row_keeps_what_would_allow_it_and_each_face_words_it(refusal, cli, plain):
    # the register's facts name no option; the command line adds its own, a face without one shows the facts
    from congress.application.imports import RowError
    from congress.cli.common import worded

    row = RowError.of(4, "Ngày tổ chức", refusal)
    assert (worded(row), str(row)) == (cli, plain)
