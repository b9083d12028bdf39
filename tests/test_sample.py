"""The committed sample database is exactly what `congress init --sample` builds, and tells the reported story."""
import json
import sqlite3
from pathlib import Path

from conftest import run, sql

COMMITTED = Path(__file__).resolve().parent.parent / "data" / "congress.db"


def dump(path: Path) -> dict:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}


def test_committed_database_is_what_the_command_builds(built_sample):
    assert COMMITTED.exists(), "data/congress.db is missing: run `congress init --sample --force`"
    committed, rebuilt = dump(COMMITTED), dump(built_sample)
    assert committed.keys() == rebuilt.keys()
    for table in rebuilt:
        assert committed[table] == rebuilt[table], f"table {table} differs: rebuild with `congress init --sample --force`"


def test_the_tree(sample_db):
    levels = {r["level"]: r["total"] for r in json.loads(run("status", "--format", "json").stdout)["levels"]}
    assert levels == {"city": 1, "committee": 118, "grassroots": 1845}
    for code, count in {"TP.QUANSU": 11, "TP.COQUANDANG": 12, "TP.UBND": 53, "TP.CONGAN": 33}.items():
        rows = json.loads(run("org", "list", "--committee", code, "--level", "grassroots", "--format", "json").stdout)
        assert len(rows) == count
    groups = json.loads(run("group", "list", "--format", "json").stdout)
    assert len(groups) == 20 and all(5 <= g["committees"] <= 7 for g in groups)


def test_reported_congress_dates(sample_db):
    committees = {r["code"]: r for r in json.loads(run("org", "list", "--level", "committee", "--format", "json").stdout)}
    assert committees["P.HAIAN"]["held_on"] == "2025-07-23"
    assert committees["X.GIALOC"]["held_on"] < "2025-08-03"
    assert committees["P.KINHMON"]["held_on"] == "2025-08-15"
    assert committees["X.ANLAO"]["held_on"] == "2025-08-09"
    assert committees["X.ANKHANH"]["held_on"] == "2025-08-19"
    held = [r["held_on"] for r in committees.values() if r["held_on"]]
    late = [d for d in held if "2025-08-20" < d <= "2025-08-31"]
    assert len([d for d in held if d <= "2025-08-20"]) > 100 and 1 <= len(late) <= 8
    assert 1 <= 118 - len(held) <= 3


def test_the_footer_marks_sample_data(sample_db):
    assert "DỮ LIỆU MẪU" in run("status").stdout


def test_the_report_of_12_7_2025(sample_db):
    # "as of 9/7, 1325/1.845 (71,8%) grassroots organisations have held their congress; 520 are
    # expected to hold theirs in July 2025"
    for replay in ((), ("--as-recorded",)):  # plans as they stand today, and as they stood on 9/7
        shown = run("status", "--as-of", "9/7/2025", "--level", "grassroots", "--format", "json", *replay)
        (grassroots,) = json.loads(shown.stdout)["levels"]
        assert (grassroots["held"], grassroots["total"], grassroots["percent_text"]) == (1325, 1845, "71,8%")
        assert grassroots["expected"] == 520 == 1845 - 1325


def test_the_july_plans_were_on_record_on_9_7_2025(sample_db):
    # replaying plans as recorded: for each grassroots organisation still to hold its congress on 9/7,
    # the newest plan recorded by the end of that day, Vietnam time (17:00 UTC), is in July
    rows = sql(sample_db, """
        SELECT (SELECT ch.new_value FROM change ch
                WHERE ch.organisation_id = o.id AND ch.field = 'planned_on' AND ch.at < '2025-07-09 17:00:00'
                ORDER BY ch.at DESC, ch.id DESC LIMIT 1)
        FROM organisation o JOIN congress c ON c.organisation_id = o.id
        WHERE o.level = 'grassroots' AND (c.held_on IS NULL OR c.held_on > '2025-07-09')""")
    assert len(rows) == 520
    assert all(planned is not None and str(planned).startswith("2025-07-") for (planned,) in rows)
    # the committees were scheduled later, three weeks ahead: on 9/7 only the first pilot had a plan
    committees = sql(sample_db, """
        SELECT o.code FROM change ch JOIN organisation o ON o.id = ch.organisation_id
        WHERE o.level = 'committee' AND ch.field = 'planned_on' AND ch.at < '2025-07-09 17:00:00'""")
    assert committees == [("P.HAIAN",)]


def test_a_round_runs_bottom_up(sample_db):
    # every grassroots congress before its committee's (the day before at the latest), every committee's
    # before the city's; the only ones never held are two committees and a few grassroots under them
    later = sql(sample_db, """
        SELECT child.code FROM organisation child
        JOIN congress cc ON cc.organisation_id = child.id
        JOIN congress pc ON pc.organisation_id = child.parent_id
        WHERE pc.held_on IS NOT NULL AND (cc.held_on IS NULL OR cc.held_on >= pc.held_on)
          AND child.level = 'grassroots'
        UNION ALL
        SELECT child.code FROM organisation child
        JOIN congress cc ON cc.organisation_id = child.id
        JOIN congress pc ON pc.organisation_id = child.parent_id
        WHERE child.level = 'committee' AND cc.held_on > pc.held_on""")
    assert later == []
    never = sql(sample_db, """
        SELECT o.level, coalesce(p.code, ''), count(*) FROM organisation o
        JOIN congress c ON c.organisation_id = o.id LEFT JOIN organisation p ON p.id = o.parent_id
        WHERE c.held_on IS NULL GROUP BY o.level, p.code ORDER BY o.level, p.code""")
    assert never == [("committee", "HP", 2), ("grassroots", "X.NINHGIANG", 2), ("grassroots", "X.VINHBAO", 2)]


def _behind(db, as_of) -> dict[str, tuple]:
    """Each congress behind in preparation on the day, by rules.step_missing over the rows themselves."""
    import datetime as dt

    from congress.domain.rules import step_missing

    steps = sql(db, "SELECT id, code, days_before FROM preparation_step WHERE round_id = 1 ORDER BY position")
    done = {(o, s): d for o, s, d in sql(db, "SELECT organisation_id, step_id, done_on FROM congress_step")}
    day = lambda v: dt.date.fromisoformat(str(v)) if v else None  # noqa: E731 — SQLite gives text, PostgreSQL dates
    behind = {}
    for oid, code, group, planned, held in sql(db, """
            SELECT o.id, o.code, coalesce(o.working_group_id, p.working_group_id), c.planned_on, c.held_on
            FROM congress c JOIN organisation o ON o.id = c.organisation_id
            LEFT JOIN organisation p ON p.id = o.parent_id WHERE c.round_id = 1"""):
        missing = tuple(sc for sid, sc, days in steps if step_missing(
            planned_on=day(planned), held_on=day(held), done_on=day(done.get((oid, sid))), days_before=days, as_of=as_of))
        if missing:
            behind[code] = (group, missing)
    return behind


def test_a_short_list_is_behind_in_preparation_on_each_reported_day(sample_db):
    import datetime as dt

    for as_of in (dt.date(2025, 7, 9), dt.date(2025, 8, 3), dt.date(2025, 8, 21)):
        behind = _behind(sample_db, as_of)
        assert 5 <= len(behind) <= 15, (as_of, behind)
        assert len({group for group, _ in behind.values()}) >= 4
        assert len({step for _, missing in behind.values() for step in missing}) >= 2
    # the two congresses that never met lacked a step: the personnel plan, the group's review
    assert _behind(sample_db, dt.date(2025, 8, 21))["X.VINHBAO.08"][1] == ("nhan-su",)
    assert _behind(sample_db, dt.date(2025, 8, 21))["X.NINHGIANG"][1] == ("tham-dinh",)


def test_every_step_done_is_in_the_round_and_in_history(sample_db):
    outside = sql(sample_db, """
        SELECT o.code FROM congress_step s JOIN congress c ON c.organisation_id = s.organisation_id
        JOIN organisation o ON o.id = s.organisation_id JOIN round r ON r.id = s.round_id
        WHERE s.done_on < r.starts_on OR (c.held_on IS NOT NULL AND s.done_on > c.held_on)""")
    assert outside == []
    unrecorded = sql(sample_db, """
        SELECT count(*) FROM congress_step s JOIN preparation_step p ON p.id = s.step_id
        WHERE NOT EXISTS (SELECT 1 FROM change ch WHERE ch.organisation_id = s.organisation_id
                          AND ch.action = 'step' AND ch.field = 'step:' || p.code)""")
    assert unrecorded == [(0,)]
    (steps,) = sql(sample_db, "SELECT count(*) FROM congress_step")
    assert steps[0] > 0.9 * 5 * 1964


def test_results_of_the_held_congresses(sample_db):
    from congress.domain.rules import RESULT_FIELDS, result_problems

    rows = sql(sample_db, f"""
        SELECT o.code, c.held_on, {', '.join('c.' + f for f in RESULT_FIELDS)}
        FROM congress c JOIN organisation o ON o.id = c.organisation_id WHERE c.round_id = 1""")
    results = {code: dict(zip(RESULT_FIELDS, values)) for code, held, *values in rows if held}
    assert all(r["contents"] is not None for r in results.values())
    assert [code for code, held, *values in rows if not held and any(v is not None for v in values)] == []
    assert [code for code, r in results.items() if result_problems(r)] == []
    city = results["HP"]
    assert (city["delegates"], city["present"], city["committee_members"], city["standing_members"]) == (446, 445, 78, 20)
    assert (city["contents"], city["committee_by"], city["secretary_by"]) == (2, "appointed", "appointed")
    assert {code: results[code]["delegates"] for code in ("P.HAIAN", "X.ANLAO", "X.ANKHANH")} == {
        "P.HAIAN": 198, "X.ANLAO": 248, "X.ANKHANH": 230}
    public = {code for code, r in results.items() if r["result_note"] != "Số liệu minh họa."}
    assert public == {"HP", "P.HAIAN", "X.ANLAO", "X.ANKHANH"}
    assert all("Số liệu công bố" in results[code]["result_note"] for code in public)
    # the invented make-up is plausible: women 20–35%, under 40 10–20%
    members = sum(r["committee_members"] or 0 for r in results.values())
    assert 0.2 <= sum(r["women"] or 0 for r in results.values()) / members <= 0.35
    assert 0.1 <= sum(r["under_40"] or 0 for r in results.values()) / members <= 0.2
    (recorded,) = sql(sample_db, "SELECT count(DISTINCT organisation_id) FROM change WHERE action = 'result'")
    assert recorded[0] == len(results)
