"""The whole congress, its reads: `status --preparation` agrees with the rule judged congress by congress,
`status --results` with sums made directly in SQL, and `org show` / `group show` show both."""
import datetime as dt
import json

import pytest

from conftest import run, sql
from congress.domain import rules

DAYS = ["2025-07-09", "2025-08-03", "2025-08-21"]


def _by_python(db, day: str) -> dict[str, set[str]]:
    """Each congress behind in preparation on `day`, judged in Python by rules.step_missing on the stored
    values (CONGRESS_TODAY is the day: what is recorded now is what is known)."""
    as_of = dt.date.fromisoformat(day)
    steps = sql(db, "SELECT s.id, s.code, s.days_before FROM preparation_step s WHERE s.retired = :no"
                    " AND s.round_id = 1", no=False)  # the Party's round, the sample's first
    done = {(o, s): d for o, s, d in sql(db, "SELECT organisation_id, step_id, done_on FROM congress_step")}
    found: dict[str, set[str]] = {}
    for org_id, code, planned, held, dissolved in sql(
            db, "SELECT o.id, o.code, c.planned_on, c.held_on, o.dissolved_on FROM organisation o"
                " JOIN congress c ON c.organisation_id = o.id AND c.round_id = 1"):
        if not rules.is_active(_date(dissolved), as_of):
            continue
        for step_id, step_code, days_before in steps:
            if rules.step_missing(planned_on=_date(planned), held_on=_date(held), done_on=_date(done.get((org_id, step_id))),
                                  days_before=days_before, as_of=as_of):
                found.setdefault(code, set()).add(step_code)
    return found


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@pytest.mark.parametrize("day", DAYS)
def test_preparation_agrees_with_the_rule_congress_by_congress(sample_db, day):
    listed = run("status", "--preparation", "--format", "json", env={"CONGRESS_TODAY": day})
    assert listed.exit_code == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert {r["code"]: {m["code"] for m in r["missing"]} for r in rows} == _by_python(sample_db, day)
    assert rows, "the sample keeps a short list behind in preparation on each of these days"
    assert [r["days_left"] for r in rows] == sorted(r["days_left"] for r in rows)  # the nearest congress first
    summary = json.loads(run("status", "--format", "json", env={"CONGRESS_TODAY": day}).stdout)
    assert summary["behind_in_preparation"] == len(rows)


def test_preparation_keeps_the_filters(sample_db):
    everyone = json.loads(run("status", "--preparation", "--format", "json", env={"CONGRESS_TODAY": DAYS[0]}).stdout)
    group = everyone[0]["working_group"]
    own = json.loads(run("status", "--preparation", "--group", str(group), "--format", "json",
                         env={"CONGRESS_TODAY": DAYS[0]}).stdout)
    assert own == [r for r in everyone if r["working_group"] == group]


def test_a_step_done_leaves_the_list(sample_db):
    env = {"CONGRESS_TODAY": DAYS[0]}
    first = json.loads(run("status", "--preparation", "--format", "json", env=env).stdout)[0]
    for step in first["missing"]:
        done = run("step", first["code"], step["code"], "--done", "08/07/2025", env=env)
        assert done.exit_code == 0, done.stderr
    after = json.loads(run("status", "--preparation", "--format", "json", env=env).stdout)
    assert first["code"] not in {r["code"] for r in after}
    shown = run("org", "show", first["code"], env=env).stdout
    assert "xong ngày 08/07/2025" in shown and "chậm chuẩn bị" not in shown


# Each figure of `status --results`, summed directly in SQL over the congresses held by the day
DIRECT = {
    "held": "count(*)",
    "reported": "sum(CASE WHEN c.contents IS NOT NULL OR c.committee_members IS NOT NULL OR c.committee_by IS NOT NULL"
                " OR c.standing_members IS NOT NULL OR c.secretary_by IS NOT NULL OR c.delegates IS NOT NULL"
                " OR c.present IS NOT NULL OR c.women IS NOT NULL OR c.under_40 IS NOT NULL OR c.ethnic IS NOT NULL"
                " OR c.first_time IS NOT NULL OR c.delegates_up IS NOT NULL OR c.result_note IS NOT NULL THEN 1 ELSE 0 END)",
    "contents_4": "sum(CASE WHEN c.contents = 4 THEN 1 ELSE 0 END)",
    "contents_2": "sum(CASE WHEN c.contents = 2 THEN 1 ELSE 0 END)",
    "committee_appointed": "sum(CASE WHEN c.committee_by = 'appointed' THEN 1 ELSE 0 END)",
    "secretary_elected": "sum(CASE WHEN c.secretary_by = 'elected' THEN 1 ELSE 0 END)",
    "committee_members": "coalesce(sum(c.committee_members), 0)",
    "women": "coalesce(sum(CASE WHEN c.committee_members IS NOT NULL THEN c.women END), 0)",
    "women_of": "coalesce(sum(CASE WHEN c.women IS NOT NULL THEN c.committee_members END), 0)",
    "delegates": "coalesce(sum(c.delegates), 0)",
    "present": "coalesce(sum(CASE WHEN c.delegates IS NOT NULL THEN c.present END), 0)",
    "present_of": "coalesce(sum(CASE WHEN c.present IS NOT NULL THEN c.delegates END), 0)",
}


@pytest.mark.parametrize("day", ["2025-08-03", "2025-10-01"])
def test_results_agree_with_a_count_made_in_sql(sample_db, day):
    shown = json.loads(run("status", "--results", "--format", "json", env={"CONGRESS_TODAY": day}).stdout)
    by_level = {row["level"]: row for row in shown["levels"]}
    columns = ", ".join(DIRECT.values())
    for level, *figures in sql(sample_db, f"SELECT o.level, {columns} FROM organisation o JOIN congress c"
                                          " ON c.organisation_id = o.id AND c.round_id = 1 WHERE c.held_on <= :day"
                                          " GROUP BY o.level",
                               day=dt.date.fromisoformat(day)):
        assert {k: by_level[level][k] for k in DIRECT} == dict(zip(DIRECT, map(int, figures))), level
    assert set(by_level) == {level for (level,) in sql(
        sample_db, "SELECT DISTINCT o.level FROM organisation o JOIN congress c ON c.organisation_id = o.id"
                   " AND c.round_id = 1 WHERE c.held_on <= :day", day=dt.date.fromisoformat(day))}
    assert sum(g["held"] for g in shown["working_groups"]) == by_level["committee"]["held"] + by_level["grassroots"]["held"]


def test_the_public_results_are_exact(sample_db):
    city = json.loads(run("org", "show", "HP", "--format", "json").stdout)["result"]
    assert (city["delegates"], city["present"], city["committee_members"], city["standing_members"],
            city["committee_by"], city["contents"]) == (446, 445, 78, 20, "appointed", 2)
    shown = run("org", "show", "HP").stdout
    assert "Số đại biểu được triệu tập: 446" in shown and "Ban chấp hành: chỉ định" in shown
    results = run("status", "--results", "--level", "city").stdout
    assert "Đại biểu có mặt                    445     446    99,8%" in results


def test_a_result_recorded_is_counted(sample_db):
    before = json.loads(run("status", "--results", "--format", "json").stdout)["levels"]
    women = {r["level"]: (r["women"], r["women_of"]) for r in before}["committee"]
    assert run("result", "P.HAIAN", "--committee", "33", "--women", "9").exit_code == 0
    after = json.loads(run("status", "--results", "--format", "json").stdout)["levels"]
    committee = {r["level"]: r for r in after}["committee"]
    assert (committee["women"], committee["women_of"]) == (women[0] + 9, women[1] + 33)
    assert f"{committee['women_percent']}".replace(".", ",") in committee_text(run("status", "--results").stdout)


def committee_text(text: str) -> str:
    return text.split("Đảng bộ trực thuộc", 1)[1].split("Tổ chức cơ sở đảng", 1)[0]


def test_group_show_shows_its_results(sample_db):
    shown = run("group", "show", "3").stdout
    assert "Kết quả đại hội tính đến 21/11/2026" in shown and "congress status --results --group 3" in shown
    mine = json.loads(run("status", "--results", "--group", "3", "--format", "json").stdout)
    assert [g["working_group"] for g in mine["working_groups"]] == [3]


REFUSED = [
    (["status", "--results", "--overdue"], "Chỉ chọn một trong"),
    (["status", "--preparation", "--upcoming", "7"], "Chỉ chọn một trong"),
    (["status", "--preparation", "--group", "99"], "99"),
    (["status", "--results", "--committee", "khong co dau"], "khong co dau"),
    (["status", "--results", "--as-of", "31/2/2025"], "31/2/2025"),
]


@pytest.mark.parametrize("args, words", REFUSED)
def test_bad_reads_are_refused_in_one_line(sample_db, args, words):
    refused = run(*args)
    assert refused.exit_code != 0 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1 and words in refused.stderr


@pytest.mark.parametrize("what, command", [("preparation", ["status", "--preparation"]),
                                           ("results", ["status", "--results"])])
def test_exports_hold_what_status_prints(sample_db, tmp_path, what, command):
    from openpyxl import load_workbook

    env = {"CONGRESS_TODAY": "2025-08-21"}
    exported = run("export", what, "-", "--format", "json", env=env)
    assert exported.exit_code == 0, exported.stderr
    shown = json.loads(run(*command, "--format", "json", env=env).stdout)
    rows = json.loads(exported.stdout)
    if what == "preparation":
        assert rows == shown
    else:
        assert rows == [{"level": r["level"], "working_group": None, "name": None, **{k: v for k, v in r.items()
                                                                                      if k != "level"}}
                        for r in shown["levels"]] + [{"level": None, **g} for g in shown["working_groups"]]
    out = tmp_path / f"{what}.xlsx"
    assert run("export", what, str(out), env=env).exit_code == 0
    sheet = load_workbook(out).active
    assert sheet.max_row == 1 + len(rows)
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    csv = run("export", what, "-", env=env).stdout
    assert len(csv.strip().splitlines()) == 1 + len(rows)


def test_history_says_steps_by_name_and_choices_in_words(sample_db):
    table = run("history", "HP", "--limit", "20").stdout
    assert "bước «Quyết định triệu tập đại hội»" in table and "step:" not in table
    assert "chỉ định" in table and "appointed" not in table
    raw = json.loads(run("history", "HP", "--limit", "20", "--format", "json").stdout)
    assert "step:trieu-tap" in {r["field"] for r in raw} and "appointed" in {r["new_value"] for r in raw}
    sheet = run("export", "history", "-").stdout
    assert "bước «Quyết định triệu tập đại hội»" in sheet
