"""`congress undo`: the current user's last command, shown, confirmed, reverted, and kept in history."""
import csv
import datetime as dt
import itertools
import json

import pytest

import congress.writes.register
from conftest import SERVER, digest, hold_grassroots, run, sql, sqlite_only

OTHER = {"LOGNAME": "minh"}  # getpass reads LOGNAME first
# history names the OS user on SQLite and the database role on PostgreSQL
ME = SERVER.split("://", 1)[1].split("@", 1)[0].split(":")[0] if SERVER else "lan"


@pytest.fixture(autouse=True)
def user(monkeypatch):
    monkeypatch.setenv("LOGNAME", "lan")


def show(code: str) -> dict:
    rows = json.loads(run("org", "list", "--search", "", "--format", "json").stdout)
    return next(r for r in rows if r["code"] == code)


def history(*args: str) -> list[dict]:
    return json.loads(run("history", "--format", "json", *args).stdout)


def refused(db, *args, input=None, env=None) -> str:
    before = digest(db)
    result = run("undo", *args, input=input, env=env)
    assert result.exit_code == 1
    assert digest(db) == before
    return result.stderr


def test_undo_a_log_after_confirming(sample_db):
    hold_grassroots("X.VINHBAO", "19/11/2026")
    run("log", "X.VINHBAO", "--held", "20/11/2026", "--group", "11")
    result = run("undo", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert f"Thay đổi gần nhất của {ME}: ghi nhận đại hội" in result.stdout
    assert "X.VINHBAO Đảng bộ xã Vĩnh Bảo: ngày tổ chức 20/11/2026 → (trống)" in result.stdout
    assert "Hoàn tác thay đổi này? [c/K]" in result.stderr
    assert show("X.VINHBAO")["held_on"] is None
    undo, log = history("X.VINHBAO", "--limit", "2")
    assert (undo["action"], undo["user"], undo["old_value"], undo["new_value"]) == ("undo", ME, "2026-11-20", None)
    assert undo["note"].startswith("hoàn tác «ghi nhận đại hội» lúc ")
    assert log["action"] == "log"  # history keeps everything


def test_an_undo_is_not_undone_and_the_change_not_undone_twice(sample_db):
    hold_grassroots("X.VINHBAO", "19/11/2026")
    run("log", "X.VINHBAO", "--held", "20/11/2026")
    assert run("undo", "--yes").exit_code == 0
    message = refused(sample_db, "--yes")  # no redo: the undo's own rows are not offered
    assert f"Thay đổi gần nhất của {ME} («ghi nhận đại hội» lúc " in message
    assert "đã được hoàn tác lúc " in message and message.rstrip().endswith("không còn gì để hoàn tác.")
    assert show("X.VINHBAO")["held_on"] is None
    assert [h["action"] for h in history("X.VINHBAO", "--limit", "2")] == ["undo", "log"]


def test_undo_an_unlog(sample_db):
    run("unlog", "P.HAIAN", "--reason", "thử")
    assert run("undo", "--yes").exit_code == 0
    assert show("P.HAIAN")["held_on"] == "2025-07-23"


def test_undo_a_schedule_with_its_pilot_mark(sample_db):
    run("schedule", "X.VINHBAO", "25/11/2026", "--pilot", "--force")
    result = run("undo", "--yes")
    assert "ngày dự kiến 25/11/2026 → 28/08/2025" in result.stdout
    assert "đại hội điểm có → không" in result.stdout
    assert show("X.VINHBAO")["planned_on"] == "2025-08-28"
    assert json.loads(run("pilots", "--format", "json").stdout)[-1]["code"] != "X.VINHBAO"


def test_undo_an_org_edit_of_several_fields(sample_db):
    run("org", "edit", "P.HAIAN", "--name", "Đảng bộ phường Hải An Mới", "--members", "999")
    assert run("undo", "--yes").exit_code == 0
    assert show("P.HAIAN")["name"] == "Đảng bộ phường Hải An" and show("P.HAIAN")["party_members"] != 999
    # the folded name went back too: people still find it without diacritics
    assert "(P.HAIAN)" in run("org", "show", "hai an").stdout


def test_undo_a_group_assignment(sample_db):
    run("group", "assign", "3", "X.THAITAN", "X.VINHBAO")
    result = run("undo", "--yes")
    assert "X.THAITAN Đảng bộ xã Thái Tân: tổ công tác 3 → 13" in result.stdout
    assert "X.VINHBAO Đảng bộ xã Vĩnh Bảo: tổ công tác 3 → 11" in result.stdout
    assert (show("X.THAITAN")["working_group"], show("X.VINHBAO")["working_group"]) == (13, 11)


def test_undo_a_round_change_for_one_level(sample_db):
    run("round", "set", "--level", "city", "--deadline", "15/11/2025")
    result = run("undo", "--yes")
    assert "nhiệm kỳ 2025-2030, cấp city: hạn chót 15/11/2025 → 31/10/2025" in result.stdout
    assert "31/10/2025" in run("round", "show").stdout
    assert "15/11/2025" not in run("round", "show").stdout


@sqlite_only  # another person is another OS user there; on PostgreSQL it is another role
def test_only_my_own_changes(sample_db):
    hold_grassroots("X.VINHBAO", "19/11/2026", env=OTHER)
    run("log", "X.VINHBAO", "--held", "20/11/2026", env=OTHER)
    assert "Người dùng lan chưa có thay đổi nào để hoàn tác." in refused(sample_db, "--yes")


def test_declining_changes_nothing(sample_db):
    hold_grassroots("X.VINHBAO", "19/11/2026")
    run("log", "X.VINHBAO", "--held", "20/11/2026")
    assert "Đã dừng; không có gì thay đổi." in refused(sample_db, input="n\n")
    assert "Đã dừng" in refused(sample_db)  # no answer at all (end of input) is a no


@sqlite_only
def test_refused_when_someone_changed_it_since(sample_db):
    hold_grassroots("X.VINHBAO", "18/11/2026")
    run("log", "X.VINHBAO", "--held", "20/11/2026")
    run("log", "X.VINHBAO", "--held", "19/11/2026", "--force", "--group", "11", env=OTHER)
    message = refused(sample_db, "--yes")
    assert "X.VINHBAO Đảng bộ xã Vĩnh Bảo: ngày tổ chức đã được minh (tổ công tác số 11) sửa lại lúc " in message
    assert "(20/11/2026 → 19/11/2026); không hoàn tác" in message


@sqlite_only
def test_refused_when_the_round_would_no_longer_make_sense(sample_db):
    run("round", "set", "--deadline", "5/9/2025")
    run("round", "set", "--target", "2/9/2025", env=OTHER)
    assert refused(sample_db, "--yes") == (
        "Lỗi: Không hoàn tác được: mốc mục tiêu 02/09/2025 không thể sau hạn chót 31/08/2025 "
        "(đảng bộ trực thuộc; tổ chức cơ sở đảng).\n"
    )


@pytest.mark.parametrize(
    "command, message",
    [
        (["org", "add", "X.MOI", "Đảng bộ xã Mới", "--level", "committee", "--kind", "xã", "--parent", "HP"],
         "Thêm tổ chức không hoàn tác được"),
        (["group", "add", "21", "Tổ mới"], "Lập tổ công tác không hoàn tác được"),
    ],
)
def test_additions_are_not_undone(sample_db, command, message):
    assert run(*command).exit_code == 0
    assert message in refused(sample_db, "--yes")


@pytest.fixture
def slow_writes(monkeypatch):
    """Each value stamped a second after the one before, as by an import that runs for minutes:
    undo used to take only the rows of the last second."""
    real, seconds = congress.writes.register.history_row, itertools.count()
    start = dt.datetime(2026, 11, 21, 1, 0, tzinfo=dt.timezone.utc)

    def history_row(actor, action, **details):
        details.setdefault("at", start + dt.timedelta(seconds=next(seconds)))
        return real(actor, action, **details)

    monkeypatch.setattr(congress.writes.register, "history_row", history_row)


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    return path


def grassroots(db, count):
    """(code, name, held_on as text, party members) of the first `count` grassroots organisations held."""
    return [
        (code, name, str(held_on), members)
        for code, name, held_on, members in sql(
            db,
            "SELECT o.code, o.name, c.held_on, o.party_members FROM organisation o "
            "JOIN congress c ON c.organisation_id = o.id "
            "WHERE o.level = 'grassroots' AND c.held_on IS NOT NULL AND o.dissolved_on IS NULL ORDER BY o.code",
        )[:count]
    ]


def my_commands(db):
    """(action, rows, command ids, moments) of my history."""
    return sql(db, 'SELECT action, count(*), count(DISTINCT command), count(DISTINCT at) FROM change '
                   'WHERE "user" = :me GROUP BY action ORDER BY action', me=ME)


def test_undo_a_whole_import_of_held_dates(sample_db, tmp_path, slow_writes):
    before = grassroots(sample_db, 269)
    path = write_csv(tmp_path / "held.csv", [["Mã", "Ngày tổ chức"]] + [[code, "1/11/2026"] for code, *_ in before])
    assert run("import", "held", str(path), "--force").exit_code == 0
    result = run("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"Thay đổi gần nhất của {ME}: ghi nhận đại hội, lúc " in result.stdout
    assert "(269 giá trị)" in result.stdout and "  … và 259 giá trị khác." in result.stdout
    assert len(result.stdout.splitlines()) == 1 + 10 + 1 + 1  # the size, ten values, the rest counted, done
    assert grassroots(sample_db, 269) == before
    assert my_commands(sample_db) == [("log", 269, 1, 269), ("undo", 269, 1, 1)]  # history keeps both

    assert "đã được hoàn tác lúc " in refused(sample_db, "--yes")  # no redo


def test_undo_a_whole_import_of_organisations(sample_db, tmp_path, slow_writes):
    before = grassroots(sample_db, 600)
    path = write_csv(tmp_path / "orgs.csv", [["Mã", "Tên tổ chức", "Số đảng viên"]]
                     + [[code, name, members + 1] for code, name, _, members in before])
    assert run("import", "orgs", str(path)).exit_code == 0
    result = run("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"{ME}: sửa tổ chức, lúc " in result.stdout and "(600 giá trị)" in result.stdout
    assert grassroots(sample_db, 600) == before
    assert "đã được hoàn tác lúc " in refused(sample_db, "--yes")  # no redo
    assert grassroots(sample_db, 600) == before


def test_an_import_that_added_organisations_is_not_undone(sample_db, tmp_path):
    path = write_csv(tmp_path / "orgs.csv", [
        ["Mã", "Tên tổ chức", "Cấp", "Loại", "Cấp trên", "Số đảng viên"],
        ["X.MOI", "Đảng bộ xã Mới", "committee", "xã", "HP", ""],
        ["X.NINHGIANG.03", "Chi bộ Trường Tiểu học Ninh Giang", "", "", "", "30"],
    ])
    assert run("import", "orgs", str(path)).exit_code == 0
    # the edit alone could go back, but not the organisation added with it: neither is undone
    assert "Thêm tổ chức không hoàn tác được" in refused(sample_db, "--yes")


def test_an_unknown_group_is_refused(sample_db):
    hold_grassroots("X.VINHBAO", "19/11/2026")
    run("log", "X.VINHBAO", "--held", "20/11/2026")
    assert "Không có tổ công tác số 99" in refused(sample_db, "--yes", "--group", "99")


def test_nothing_at_all(empty_db):
    assert f"Người dùng {ME} chưa có thay đổi nào để hoàn tác." in refused(empty_db, "--yes")


# --- the whole congress: a preparation step, a result, the round's steps ----------------------------

def step_rows(db, code):
    """(step, done_on as text, note) of every congress_step row of an organisation."""
    return [(step, str(done) if done else None, note) for step, done, note in sql(
        db, "SELECT s.code, cs.done_on, cs.note FROM congress_step cs JOIN organisation o ON o.id = cs.organisation_id"
            " JOIN preparation_step s ON s.id = cs.step_id WHERE o.code = :code ORDER BY s.position", code=code)]


def round_steps():
    return [(r["code"], r["name"], r["days_before"], r["retired"])
            for r in json.loads(run("round", "steps", "--format", "json").stdout)]


def test_undo_a_step_first_recorded_leaves_no_row(sample_db):
    before = step_rows(sample_db, "X.VINHBAO.08")
    assert run("step", "X.VINHBAO.08", "nhan-su", "--done", "10/7/2025", "--note", "Thành ủy đã cho ý kiến").exit_code == 0
    result = run("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert ("X.VINHBAO.08 Chi bộ thôn số 4, Vĩnh Bảo: bước «Phương án nhân sự có ý kiến của cấp ủy cấp trên» "
            "10/07/2025 → (trống)") in result.stdout
    assert step_rows(sample_db, "X.VINHBAO.08") == before  # no row left, done or not: as before
    undo, step = history("X.VINHBAO.08", "--limit", "2")
    assert (undo["action"], undo["field"], undo["old_value"], undo["new_value"]) == (
        "undo", "step:nhan-su", "2025-07-10", None)
    assert step["action"] == "step"
    assert "đã được hoàn tác lúc " in refused(sample_db, "--yes")  # no redo


def test_undo_a_step_done_again_puts_back_its_day_and_its_note(sample_db):
    assert run("step", "X.VINHBAO.08", "nhan-su", "--done", "10/7/2025", "--note", "lần đầu").exit_code == 0
    assert run("step", "X.VINHBAO.08", "nhan-su", "--done", "12/7/2025", "--note", "ghi lại").exit_code == 0
    result = run("undo", "--yes")
    assert "bước «Phương án nhân sự có ý kiến của cấp ủy cấp trên» 12/07/2025 → 10/07/2025" in result.stdout
    assert ("nhan-su", "2025-07-10", "lần đầu") in step_rows(sample_db, "X.VINHBAO.08")
    # a later step without a note keeps the note, and its undo puts back the note an undo put back
    assert run("step", "X.VINHBAO.08", "nhan-su", "--done", "11/7/2025").exit_code == 0
    assert ("nhan-su", "2025-07-11", "lần đầu") in step_rows(sample_db, "X.VINHBAO.08")
    assert run("undo", "--yes").exit_code == 0
    assert ("nhan-su", "2025-07-10", "lần đầu") in step_rows(sample_db, "X.VINHBAO.08")


def test_undo_a_step_withdrawn(sample_db):
    assert run("step", "X.VINHBAO.08", "van-kien", "--undone", "--reason", "ghi nhầm").exit_code == 0
    result = run("undo", "--yes")
    assert "bước «Xây dựng dự thảo văn kiện đại hội» (trống) → 31/05/2025" in result.stdout
    assert ("van-kien", "2025-05-31", None) in step_rows(sample_db, "X.VINHBAO.08")


def test_undo_a_result_in_parts(sample_db):
    assert run("result", "X.VINHBAO.01", "--committee", "9", "--women", "4", "--committee-by", "elected",
               "--note", "Số liệu của tổ").exit_code == 0
    result = run("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "(4 giá trị)" in result.stdout
    for line in ("số ủy viên ban chấp hành 9 → 8", "ban chấp hành bầu tại đại hội → chỉ định", "số ủy viên nữ 4 → 3",
                 "ghi chú kết quả Số liệu của tổ → Số liệu minh họa."):
        assert f"  X.VINHBAO.01 Chi bộ thôn số 1, Vĩnh Bảo: {line}\n" in result.stdout
    assert sql(sample_db, "SELECT committee_members, committee_by, women, result_note FROM congress c"
                          " JOIN organisation o ON o.id = c.organisation_id WHERE o.code = 'X.VINHBAO.01'") == [
        (8, "appointed", 3, "Số liệu minh họa.")]


def test_undo_a_result_first_given_empties_it(sample_db):
    """X.VINHBAO.01's delegates chosen for the congress above were never given: undo leaves them unknown."""
    assert run("result", "X.VINHBAO.01", "--delegates-up", "3").exit_code == 0
    result = run("undo", "--yes")
    assert "số đại biểu dự đại hội cấp trên 3 → (trống)" in result.stdout
    assert sql(sample_db, "SELECT delegates_up FROM congress c JOIN organisation o ON o.id = c.organisation_id"
                          " WHERE o.code = 'X.VINHBAO.01'") == [(None,)]


@pytest.mark.parametrize("command, shown", [
    (["round", "step", "nhan-su", "Phương án nhân sự", "--days-before", "25"],
     "«nhan-su» Phương án nhân sự, 25 ngày trước đại hội → «nhan-su» Phương án nhân sự có ý kiến của cấp ủy cấp "
     "trên, 20 ngày trước đại hội"),
    (["round", "step", "tham-dinh", "--retire"],
     "«tham-dinh» Tổ công tác thẩm định công tác chuẩn bị, 10 ngày trước đại hội, đã ngừng dùng → «tham-dinh» Tổ "
     "công tác thẩm định công tác chuẩn bị, 10 ngày trước đại hội"),
    (["round", "step", "bau-cu", "Chuẩn bị bầu cử", "--days-before", "3"],
     "«bau-cu» Chuẩn bị bầu cử, 3 ngày trước đại hội → (trống)"),
], ids=["renamed", "retired", "added"])
def test_undo_a_round_step(sample_db, command, shown):
    before = round_steps()
    assert run(*command).exit_code == 0
    result = run("undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"  nhiệm kỳ 2025-2030: bước chuẩn bị {shown}\n" in result.stdout
    assert round_steps() == before


def test_undo_a_round_step_removed_puts_it_back_in_its_place(sample_db):
    assert run("round", "step", "bau-cu", "Chuẩn bị bầu cử", "--days-before", "3").exit_code == 0
    assert run("round", "step", "gui-bao-cao", "Gửi báo cáo", "--days-before", "1").exit_code == 0
    listed = round_steps()
    assert run("round", "step", "bau-cu", "--remove").exit_code == 0
    result = run("undo", "--yes")
    assert "bước chuẩn bị (trống) → «bau-cu» Chuẩn bị bầu cử, 3 ngày trước đại hội" in result.stdout
    assert round_steps() == listed  # before gui-bao-cao, where it was


@sqlite_only  # someone else is another OS user there; on PostgreSQL another role
def test_undo_of_a_round_step_added_is_refused_once_a_congress_recorded_it(sample_db):
    assert run("round", "step", "bau-cu", "Chuẩn bị bầu cử", "--days-before", "3").exit_code == 0
    assert run("step", "X.VINHBAO.08", "bau-cu", "--done", "1/7/2025", env=OTHER).exit_code == 0
    message = refused(sample_db, "--yes")
    assert message == ("Lỗi: Bước chuẩn bị «bau-cu» đã được 1 đại hội ghi từ khi thêm; không hoàn tác (xóa) được. "
                       "Nếu thêm nhầm, ngừng dùng bước bằng «congress round step bau-cu --retire».\n")


def test_a_group_undoes_its_own_step_and_result_while_the_organisation_is_its_own(sample_db):
    assert run("step", "X.VINHBAO.08", "nhan-su", "--done", "10/7/2025", "--group", "11").exit_code == 0
    assert run("undo", "--yes", "--group", "11").exit_code == 0
    assert "nhan-su" not in [step for step, *_ in step_rows(sample_db, "X.VINHBAO.08")]
    assert run("result", "X.VINHBAO.01", "--women", "4", "--group", "11").exit_code == 0
    # moved by someone else (on PostgreSQL the same role would make the move the newest command to undo)
    sql(sample_db, "UPDATE organisation SET working_group_id = (SELECT id FROM workinggroup WHERE number = 3)"
                   " WHERE code = 'X.VINHBAO'")
    message = refused(sample_db, "--yes", "--group", "11")
    assert "X.VINHBAO.01" in message and "nay thuộc tổ công tác số 3, không còn thuộc tổ công tác số 11" in message
