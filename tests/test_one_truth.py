"""One fact, one number: `status` (table, CSV, JSON), its listings, `export` and every format of the brief
carry the same figures, on several days of the round and in several scopes."""
import csv
import datetime as dt
import io
import json

import pytest
from conftest import run

from congress.domain import vn

DAYS = ["9/7/2025", "20/7/2025", "3/8/2025", "21/8/2025", "1/9/2025"]
SCOPES = [(), ("--group", "11"), ("--committee", "vinh bao"), ("--level", "grassroots"), ("--level", "committee")]


def status_json(*args) -> dict:
    result = run("status", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def listing(*args) -> list[dict]:
    result = run("status", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: " ".join(s) or "all")
def test_status_summary_its_json_csv_and_listings_agree(sample_db, day, scope):
    summary = status_json("--as-of", day, *scope)
    table = run("status", "--as-of", day, *scope).stdout
    rows = list(csv.DictReader(io.StringIO(run("status", "--as-of", day, "--format", "csv", *scope).stdout)))
    assert [int(r["Tổng số"].replace(".", "")) for r in rows] == [level["total"] for level in summary["levels"]]
    for level in summary["levels"]:
        shown = f"{vn.number(level['held'])}  {vn.number(level['total'])}"
        assert level["label"] in table and vn.percent(level["held"], level["total"]) in table
        assert all(part in table for part in shown.split())
    counts = summary["counts"]
    assert len(listing("--overdue", "--as-of", day, *scope)) == counts["overdue"]
    assert len(listing("--late", "--as-of", day, *scope)) == counts["behind_target"]
    assert len(listing("--at-risk", "--as-of", day, *scope)) == counts["at_risk"]
    assert f"Quá hạn: {vn.number(counts['overdue'])} " in table
    assert f"Chậm so với mục tiêu: {vn.number(counts['behind_target'])} " in table
    # the pilots shown are those of the scope only
    pilots = {p["code"] for p in summary["pilots"]}
    in_scope = {r["code"] for r in json.loads(run("org", "list", "--format", "json", *scope).stdout)}
    assert pilots <= in_scope


@pytest.mark.parametrize("day", DAYS)
def test_brief_says_what_status_says(sample_db, day):
    summary = status_json("--as-of", day)
    upcoming = listing("--upcoming", "7", "--as-of", day)
    overdue = listing("--overdue", "--as-of", day)
    exported = json.loads(run("export", "overdue", "-", "--format", "json", "--as-of", day).stdout)
    assert [r["code"] for r in exported] == [r["code"] for r in overdue]
    for fmt in ("txt", "md", "html"):
        text = run("brief", "--as-of", day, "--format", fmt).stdout
        for level in summary["levels"]:
            if level["total"] == 1:  # the city's own congress is described by its date, not as 0/1
                said = ["Đã tổ chức đại hội ngày"] if level["held"] else [
                    "Dự kiến tổ chức đại hội ngày", "Chưa có ngày dự kiến tổ chức đại hội"]
                assert any(words in text for words in said)
                continue
            assert f"{vn.number(level['held'])}/{vn.number(level['total'])} ({level['percent_text']})" in text
            if level["held"] < level["total"] and level["expected"]:
                assert f"dự kiến có thêm {vn.number(level['expected'])} " in text
            elif level["held"] < level["total"]:  # none expected: said in words, not as "0"
                assert f"chưa có {level['label'].lower()} nào dự kiến tổ chức từ nay đến hết tháng" in text
        assert f"Quá hạn: {vn.number(summary['counts']['overdue'])} tổ chức" in text
        assert f"Chậm so với mục tiêu (đã qua mốc mục tiêu, chưa đến hạn chót): " \
               f"{vn.number(summary['counts']['behind_target'])} tổ chức" in text
        assert f"Có nguy cơ chậm (chưa có ngày dự kiến hoặc dự kiến sau mốc mục tiêu): " \
               f"{vn.number(summary['counts']['at_risk'])} tổ chức" in text
        assert f": {vn.number(len(upcoming))} đại hội." in text


def test_the_next_seven_days_are_seven_days(sample_db):
    rows = listing("--upcoming", "7", "--as-of", "20/7/2025")
    assert rows and {r["planned_on"] for r in rows} <= {f"2025-07-{d}" for d in range(20, 27)}
    assert "2025-07-26" in {r["planned_on"] for r in rows}


def test_group_rates_divide_what_they_stand_beside(sample_db):
    groups = status_json("--as-of", "9/7/2025")["working_groups"]
    first = groups[0]
    assert first["grassroots_percent"] == vn.percent(first["grassroots_held"], first["grassroots"])
    assert first["committees_percent"] == vn.percent(first["committees_held"], first["committees"])


def test_a_plan_recorded_today_changes_no_figure_of_a_past_date(sample_db):
    before = {day: status_json("--as-of", day) for day in ("9/7/2025", "3/8/2025")}
    assert run("schedule", "X.VINHBAO", "5/12/2026", "--force").exit_code == 0
    for day, summary in before.items():
        assert status_json("--as-of", day) == summary
    assert "05/12/2026" in run("org", "show", "X.VINHBAO").stdout


def test_as_recorded_leaves_out_congresses_logged_after_the_day(sample_db):
    plain = status_json("--as-of", "21/11/2026")
    assert run("log", "X.VINHBAO.08", "--held", "1/11/2026", "--force").exit_code == 0
    # logged today (21/11/2026) with a held date of 1/11: counted as of 20/11 by default, not as recorded
    on_20 = status_json("--as-of", "20/11/2026")
    recorded = status_json("--as-of", "20/11/2026", "--as-recorded")
    grassroots = {s["level"]: s["held"] for s in on_20["levels"]}["grassroots"]
    assert grassroots == {s["level"]: s["held"] for s in plain["levels"]}["grassroots"] + 1
    assert {s["level"]: s["held"] for s in recorded["levels"]}["grassroots"] == grassroots - 1


def test_replay_on_a_register_recorded_day_by_day(empty_db):
    """Plans and logs recorded on given days (history's moments set afterwards, as if typed then)."""
    from conftest import sql

    for args in (("TP", "Thành phố", "--level", "city", "--kind", "thành phố"),
                 ("X.A", "Đảng bộ xã A", "--level", "committee", "--kind", "xã", "--parent", "TP"),
                 ("X.A.01", "Chi bộ 1", "--level", "grassroots", "--kind", "chi bộ cơ sở", "--parent", "X.A"),
                 ("X.A.02", "Chi bộ 2", "--level", "grassroots", "--kind", "chi bộ cơ sở", "--parent", "X.A")):
        assert run("org", "add", *args).exit_code == 0
    steps = [  # (command, the day it was recorded, at 09:00 Vietnam time)
        (("schedule", "X.A.01", "20/7/2025"), "2025-07-01"),
        (("schedule", "X.A.02", "25/7/2025"), "2025-07-10"),
        (("schedule", "X.A.01", "28/7/2025"), "2025-07-15"),
        (("log", "X.A.01", "--held", "28/7/2025"), "2025-07-29"),
    ]
    for command, day in steps:
        assert run(*command).exit_code == 0
        newest = sql(empty_db, "SELECT max(id) FROM change")[0][0]
        sql(empty_db, "UPDATE change SET at = :at WHERE id = :id",
            at=dt.datetime.fromisoformat(f"{day} 02:00:00"), id=newest)

    def grassroots(day, *more):
        found = status_json("--as-of", day, "--level", "grassroots", *more)
        return found["levels"][0]["held"], found["levels"][0]["expected"], found["counts"]["at_risk"]

    def plan(day, code):
        return {r["code"]: r["planned_on"] for r in json.loads(
            run("export", "status", "-", "--format", "json", "--as-of", day).stdout)}.get(code)

    assert grassroots("9/7/2025") == (0, 1, 1)  # X.A.02 had no plan yet: at risk
    assert plan("9/7/2025", "X.A.01") == "2025-07-20"
    assert grassroots("12/7/2025") == (0, 2, 0)
    assert plan("16/7/2025", "X.A.01") == "2025-07-28"
    # held 28/7, reported 29/7: counted on 28/7 by default, not as recorded that day
    assert grassroots("28/7/2025")[0] == 1
    assert grassroots("28/7/2025", "--as-recorded")[0] == 0
    assert grassroots("29/7/2025", "--as-recorded")[0] == 1
