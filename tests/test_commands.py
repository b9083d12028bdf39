"""Each command's happy path on the sample, as the office and the working groups use it."""
import json

import pytest
from conftest import digest, hold_grassroots, run

from congress.domain import vn


def overdue_codes(*args) -> set[str]:
    return {r["code"] for r in json.loads(run("status", "--overdue", "--format", "json", *args).stdout)}


def test_status_summary_today(sample_db):
    result = run("status")
    assert result.exit_code == 0
    out = result.stdout
    assert "tính đến ngày 21/11/2026" in out
    assert "1.841" in out and "1.845" in out
    assert "Đảng bộ phường Hải An (P.HAIAN): đã tổ chức ngày 23/07/2025" in out
    assert "Tổ công tác số 20" in out
    assert "Quá hạn: 6" in out
    assert "DỮ LIỆU MẪU" in out


def test_status_overdue_lists_the_few_never_held(sample_db):
    result = run("status", "--overdue")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # what it is, the day (CONGRESS_TODAY) and the count first; the sample's mark last
    assert lines[0] == "Quá hạn tính đến 21/11/2026: 6 tổ chức" and lines[1] == ""
    assert lines[2].startswith("Mã") and "Số ngày quá hạn" in lines[2]
    assert any(line.startswith("X.VINHBAO ") for line in lines) and "quá hạn chót, chưa tổ chức" in result.stdout
    assert lines[-1] == vn.SAMPLE_MARK


@pytest.mark.parametrize("args, heading", [
    (("--overdue", "--as-of", "1/9/2025"), "Quá hạn tính đến 01/09/2025: {} tổ chức"),
    (("--late", "--as-of", "21/8/2025", "--as-recorded"),
     "Chậm so với mục tiêu tính đến 21/08/2025: {} tổ chức (chỉ những gì đã ghi đến hết ngày này)"),
    (("--at-risk", "--as-of", "9/7/2025", "--group", "11"), "Có nguy cơ chậm tính đến 09/07/2025: {} tổ chức"),
    (("--upcoming", "7", "--as-of", "1/8/2025"), "Dự kiến đại hội trong 7 ngày, từ 01/08/2025: {} tổ chức"),
])
def test_every_listing_opens_with_its_day_and_count_and_closes_with_the_sample_mark(sample_db, args, heading):
    lines = run("status", *args).stdout.splitlines()
    count = len(json.loads(run("status", *args, "--format", "json").stdout))
    assert lines[0] == heading.format(count) and lines[-1] == vn.SAMPLE_MARK


def test_status_overdue_json_is_machine_readable(sample_db):
    rows = json.loads(run("status", "--overdue", "--format", "json").stdout)
    assert len(rows) == 6
    vinhbao = next(r for r in rows if r["code"] == "X.VINHBAO")
    assert vinhbao == {
        "code": "X.VINHBAO", "name": "Đảng bộ xã Vĩnh Bảo", "committee": None, "working_group": 11,
        "planned_on": "2025-08-28", "standing": "overdue", "reason": "past_deadline",
        "reason_text": "quá hạn chót, chưa tổ chức", "days_overdue": 450,
    }


def test_status_overdue_csv_and_filters(sample_db):
    csv_text = run("status", "--overdue", "--group", "11", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "Mã,Tên tổ chức,Đảng bộ trực thuộc,Tổ,Ngày dự kiến,Lý do,Số ngày quá hạn"
    assert len(csv_text.splitlines()) == 4 and "28/08/2025" in csv_text
    assert overdue_codes("--level", "grassroots", "--committee", "ninh giang") == {"X.NINHGIANG.03", "X.NINHGIANG.04"}
    assert "Không có tổ chức nào quá hạn." in run("status", "--overdue", "--group", "1").stdout


def test_planned_date_passed_is_overdue_before_the_deadline(sample_db):
    result = run("status", "--overdue", "--as-of", "15/7/2025", "--format", "json")
    rows = json.loads(result.stdout)
    assert rows and all(r["reason"] == "planned_date_passed" for r in rows)
    assert all(r["days_overdue"] >= 1 for r in rows)


def test_status_as_of_reproduces_the_report(sample_db):
    data = json.loads(run("status", "--as-of", "9/7/2025", "--level", "grassroots", "--format", "json").stdout)
    assert data["levels"] == [{
        "level": "grassroots", "label": "Tổ chức cơ sở đảng", "held": 1325, "total": 1845, "percent": 71.8,
        "percent_text": "71,8%", "expected": 520,
    }]
    assert data["days_to_target"] == 42 and data["days_to_deadline"] == 53


def test_status_upcoming_and_at_risk(sample_db):
    upcoming = run("status", "--as-of", "2025-07-09", "--upcoming", "3").stdout
    assert "10/07/2025" in upcoming and "13/07/2025" not in upcoming
    run("org", "add", "X.GIALOC.99", "Chi bộ mới thành lập", "--level", "grassroots", "--kind", "chi bộ cơ sở",
        "--parent", "X.GIALOC")
    at_risk = run("status", "--at-risk", "--as-of", "2025-07-09").stdout
    assert "X.GIALOC.99" in at_risk and "chưa có ngày dự kiến" in at_risk


def test_pilots(sample_db):
    out = run("pilots").stdout
    assert "P.HAIAN" in out and "23/07/2025" in out and "X.GIALOC" in out and "đúng tiến độ" in out
    early = run("pilots", "--as-of", "2025-07-09").stdout
    assert "23/07/2025" in early and "đúng kế hoạch" in early


def test_schedule_log_unlog_and_history(sample_db):
    # long after the deadline: allowed, and said so, with --force
    assert run("schedule", "vinh bao", "5/12/2026", "--note", "Đã thống nhất", "--force").exit_code == 0
    assert "05/12/2026" in run("org", "show", "X.VINHBAO").stdout
    hold_grassroots("X.VINHBAO", "18/11/2026")
    result = run("log", "vinh bao", "--held", "20/11/2026", "--group", "11")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "Đã ghi nhận: Đảng bộ xã Vĩnh Bảo (X.VINHBAO) tổ chức đại hội ngày 20/11/2026."
    assert "X.VINHBAO" not in overdue_codes()
    assert run("unlog", "X.VINHBAO", "--reason", "Ghi nhầm ngày").exit_code == 0
    history = json.loads(run("history", "X.VINHBAO", "--format", "json").stdout)
    assert [h["action"] for h in history[:3]] == ["unlog", "log", "schedule"]
    assert history[0]["old_value"] == "2026-11-20" and history[0]["new_value"] is None
    assert history[0]["note"] == "Ghi nhầm ngày"
    assert history[1]["working_group"] == 11
    assert "X.VINHBAO" in overdue_codes()


def test_log_defaults_to_today_and_group_from_environment(sample_db):
    hold_grassroots("X.NINHGIANG", "18/11/2026")
    result = run("log", "X.NINHGIANG", env={"CONGRESS_GROUP": "17"})
    assert result.exit_code == 0, result.stderr
    assert "21/11/2026" in result.stdout


def test_log_force_rewrites_and_outside_group_with_force(sample_db):
    assert run("log", "P.HAIAN", "--held", "24/7/2025", "--force").exit_code == 0
    assert "24/07/2025" in run("org", "show", "P.HAIAN").stdout
    assert run("log", "X.VINHBAO", "--held", "1/11/2026", "--group", "1", "--force").exit_code == 0


def refused(db, *args) -> str:
    """A command that must be refused: exit 1, one «Lỗi:» line, nothing printed, the database unchanged."""
    before = digest(db)
    result = run(*args)
    assert result.exit_code == 1 and result.stdout == ""
    assert digest(db) == before
    return result.stderr


def test_a_committee_is_logged_only_after_its_grassroots(sample_db):
    # X.VINHBAO.08 and .12 never held theirs
    assert refused(sample_db, "log", "X.VINHBAO", "--held", "20/11/2026") == (
        "Lỗi: Đảng bộ xã Vĩnh Bảo còn 2 tổ chức cơ sở đảng chưa tổ chức đại hội (tính đến ngày 20/11/2026); "
        "đại hội cấp trên tổ chức sau cấp dưới. "
        "Dùng --force nếu vẫn ghi nhận (chẳng hạn cấp dưới đã tổ chức nhưng chưa được ghi).\n"
    )
    hold_grassroots("X.VINHBAO", "18/11/2026")
    # counted as of the held date: the day before theirs, both were still to come; the same day, none
    assert "còn 2 tổ chức cơ sở đảng" in refused(sample_db, "log", "X.VINHBAO", "--held", "17/11/2026")
    assert run("log", "X.VINHBAO", "--held", "18/11/2026").exit_code == 0


def test_a_child_dissolved_before_the_congress_does_not_hold_it_up(sample_db):
    assert run("org", "edit", "X.VINHBAO.08", "--dissolved", "1/10/2025").exit_code == 0
    assert "còn 1 tổ chức cơ sở đảng" in refused(sample_db, "log", "X.VINHBAO", "--held", "20/11/2026")
    assert "còn 2 tổ chức cơ sở đảng" in refused(sample_db, "log", "X.VINHBAO", "--held", "30/9/2025")


def test_force_logs_a_committee_before_its_grassroots(sample_db):
    result = run("log", "X.VINHBAO", "--held", "20/11/2026", "--force")
    assert result.exit_code == 0, result.stderr
    assert "X.VINHBAO" not in overdue_codes()


def test_the_city_is_logged_only_after_its_committees(sample_db):
    assert run("unlog", "HP", "--reason", "thử").exit_code == 0
    assert refused(sample_db, "log", "HP", "--held", "26/9/2025").startswith(
        "Lỗi: Đảng bộ thành phố Hải Phòng còn 2 đảng bộ trực thuộc chưa tổ chức đại hội (tính đến ngày 26/09/2025); "
    )
    # on 20/8/2025, 111 of the 118 had held theirs
    assert "còn 7 đảng bộ trực thuộc" in refused(sample_db, "log", "HP", "--held", "20/8/2025")
    assert run("log", "HP", "--held", "26/9/2025", "--force").exit_code == 0


def test_a_plan_after_the_deadline_is_refused_unless_forced(sample_db):
    assert refused(sample_db, "schedule", "X.VINHBAO", "1/9/2025") == (
        "Lỗi: Ngày dự kiến 01/09/2025 của Đảng bộ xã Vĩnh Bảo sau hạn chót 31/08/2025 (đảng bộ trực thuộc). "
        "Dùng --force nếu đã được cho phép tổ chức muộn.\n"
    )
    assert run("schedule", "X.VINHBAO", "31/8/2025").exit_code == 0  # the deadline day itself is in time
    assert run("schedule", "X.VINHBAO", "1/9/2025", "--force").exit_code == 0
    assert "01/09/2025" in run("org", "show", "X.VINHBAO").stdout


def test_a_level_is_planned_against_its_own_deadline(sample_db):
    # the sample's city level ends 31/10/2025; a new city has no congress held yet
    assert run("org", "add", "HD", "Đảng bộ tỉnh Mới", "--level", "city", "--kind", "tỉnh").exit_code == 0
    assert run("schedule", "HD", "31/10/2025").exit_code == 0
    assert "sau hạn chót 31/10/2025 (đảng bộ tỉnh, thành phố)" in refused(sample_db, "schedule", "HD", "1/11/2025")

def test_org_list_filters(sample_db):
    committees = json.loads(run("org", "list", "--level", "committee", "--format", "json").stdout)
    assert len(committees) == 118
    under = run("org", "list", "--committee", "TP.QUANSU", "--level", "grassroots", "--format", "csv").stdout
    assert len(under.splitlines()) == 1 + 11
    group = json.loads(run("org", "list", "--group", "20", "--level", "committee", "--format", "json").stdout)
    assert {r["code"] for r in group} >= {"TP.CONGAN", "TP.UBND"}
    found = json.loads(run("org", "list", "--search", "tram y te ninh giang", "--format", "json").stdout)
    assert [r["code"] for r in found] == ["X.NINHGIANG.05"]


def test_org_add_edit_and_dissolve(sample_db):
    assert run("org", "add", "X.ANLAO.99", "Chi bộ Hợp tác xã An Lão", "--level", "grassroots",
               "--kind", "chi bộ cơ sở", "--parent", "an lao", "--members", "12").exit_code == 0
    before = json.loads(run("status", "--level", "grassroots", "--format", "json").stdout)["levels"][0]
    assert before["total"] == 1846
    assert run("org", "edit", "X.ANLAO.99", "--members", "15", "--name", "Chi bộ HTX An Lão").exit_code == 0
    assert run("org", "edit", "X.ANLAO.99", "--dissolved", "1/11/2026").exit_code == 0
    after = json.loads(run("status", "--level", "grassroots", "--format", "json").stdout)["levels"][0]
    assert after["total"] == 1845
    then = json.loads(run("status", "--level", "grassroots", "--as-of", "31/10/2026", "--format", "json").stdout)
    assert then["levels"][0]["total"] == 1846
    shown = run("org", "show", "X.ANLAO.99").stdout
    assert "Chi bộ HTX An Lão" in shown and "Giải thể từ ngày:  01/11/2026" in shown
    assert "Chi bộ Hợp tác xã An Lão" in run("history", "X.ANLAO.99").stdout


def test_groups(sample_db):
    listing = run("group", "list").stdout
    assert "Tổ công tác số 11" in listing
    shown = run("group", "show", "20").stdout
    assert shown.startswith("Tổ công tác số 20\n") and "TP.CONGAN" in shown and "33" in shown
    assert run("group", "add", "21", "Tổ công tác số 21", "--leader", "Nguyễn Văn A").exit_code == 0
    result = run("group", "assign", "21", "vinh bao", "ninh giang")
    assert result.exit_code == 0 and "Đã giao 2 đảng bộ" in result.stdout
    assert "X.VINHBAO" in run("group", "show", "21").stdout
    assert run("log", "X.VINHBAO.08", "--held", "1/11/2026", "--group", "21").exit_code == 0


def test_round_show_and_set(sample_db):
    shown = run("round", "show", "--as-of", "9/7/2025").stdout
    assert "trước ngày 20/08/2025  (còn 42 ngày)" in shown and "chậm nhất ngày 31/08/2025" in shown
    assert "Riêng đảng bộ tỉnh, thành phố: mục tiêu 30/09/2025, hạn chót 31/10/2025" in shown
    # overdue since the earlier of its plan (28/8) and the deadline: moving the deadline before the plan counts
    assert run("round", "set", "--deadline", "25/8/2025").exit_code == 0
    overdue = json.loads(run("status", "--overdue", "--format", "json").stdout)
    assert {r["code"]: r["days_overdue"] for r in overdue}["X.NINHGIANG"] == 453
    assert run("round", "set", "--level", "grassroots", "--target", "15/8/2025").exit_code == 0
    assert "Riêng tổ chức cơ sở đảng: mục tiêu 15/08/2025" in run("round", "show").stdout


def test_round_set_refuses_a_change_that_breaks_another_level(sample_db):
    # the round's deadline moves before the target grassroots organisations were given on their own
    assert run("round", "set", "--level", "grassroots", "--target", "25/8/2025").exit_code == 0
    before = digest(sample_db)
    result = run("round", "set", "--deadline", "22/8/2025")
    assert result.exit_code == 1
    assert result.stderr == "Lỗi: Mốc mục tiêu 25/08/2025 không thể sau hạn chót 22/08/2025 (tổ chức cơ sở đảng).\n"
    assert digest(sample_db) == before
    # the other way round: a level's own deadline before the round's pilot deadline (3/8)
    result = run("round", "set", "--level", "committee", "--target", "1/8/2025", "--deadline", "2/8/2025")
    assert result.stderr == "Lỗi: Hạn đại hội điểm 03/08/2025 không thể sau hạn chót 02/08/2025 (đảng bộ trực thuộc).\n"
    assert digest(sample_db) == before


def test_init_creates_an_empty_register(tmp_path):
    path = tmp_path / "new.db"
    result = run("--db", str(path), "init")
    assert result.exit_code == 0 and path.exists()
    assert "Nhiệm kỳ 2025-2030" in run("--db", str(path), "round", "show").stdout
    assert run("--db", str(path), "org", "add", "HP", "Đảng bộ thành phố Hải Phòng", "--level", "city",
               "--kind", "thành phố").exit_code == 0
    assert "DỮ LIỆU MẪU" not in run("--db", str(path), "status").stdout


def test_every_command_has_help_text():
    import click

    from congress.cli import main

    def walk(command, path):
        yield path, command
        if isinstance(command, click.Group):
            for name in command.list_commands(None):  # the top level is lazy: its .commands is empty
                yield from walk(command.get_command(None, name), path + [name])

    for path, command in walk(main, []):
        assert command.help, f"congress {' '.join(path)} has no help"
        assert run(*path, "--help").exit_code == 0


def test_python_dash_m_works(sample_db):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "congress", "status", "--overdue"], capture_output=True, text=True)
    assert result.returncode == 0 and "X.VINHBAO" in result.stdout


def test_history_reads_in_vietnamese(sample_db):
    run("round", "set", "--level", "grassroots", "--target", "15/8")
    lines = run("history", "--limit", "2").stdout.splitlines()
    assert "đặt mốc nhiệm kỳ" in lines[2] and "mốc mục tiêu" in lines[2] and "15/08/2025" in lines[2]
    assert "cấp grassroots" in lines[2]
    # the sample's newest record before it: the city's result, two days after its congress
    assert "ghi kết quả đại hội" in lines[3] and "10:00 28/09/2025" in lines[3] and "HP" in lines[3]
    logged = [line for line in run("history", "HP", "--limit", "50").stdout.splitlines() if "ghi nhận đại hội" in line]
    assert "26/09/2025" in logged[0] and "17:00 26/09/2025" in logged[0]


def test_usage_errors_are_framed_in_vietnamese(sample_db):
    result = run("log")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Thiếu đối số") and "Xem «congress log --help»." in result.stderr
