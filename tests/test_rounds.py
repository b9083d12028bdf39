"""Every round in one register (issue 19): rounds added, listed, chosen (--round, CONGRESS_ROUND),
closed and opened again; history and undo per round; a closed round refuses every write, on the
command line and in the database itself."""
import json

import pytest
from conftest import ON_POSTGRES, digest, run, sql

# a round added by hand: the Youth Union's, over no unit yet
YOUTH = ["round", "add", "Đoàn TN 2027-2032", "--kind", "doan-thanh-nien", "--term", "2027-2032", "--start", "1/3",
         "--target", "30/6", "--deadline", "31/7"]
FRONT = ["--round", "MTTQ 2025-2030"]
FRONT_COMMUNE = "MT.X.GIALOC"  # held 2025 in the sample, beside X.GIALOC's party committee
UNHELD = "X.VINHBAO.08"  # the sample's: overdue, never held
HELD = "X.VINHBAO.01"  # held 20/7/2025


def listed(*options) -> list[dict]:
    result = run(*options, "round", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def status(*options, as_of: str | None = None) -> dict:
    result = run(*options, "status", "--format", "json", *(["--as-of", as_of] if as_of else []))
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    return found | {"held": sum(level["held"] for level in found["levels"])}


def test_the_sample_has_the_party_round_and_the_fronts(sample_db):
    rounds = listed()
    assert [(r["name"], r["kind"], r["term"], r["closed"], r["chosen"], r["held"], r["total"]) for r in rounds] == [
        ("2025-2030", "dang", "2025–2030", False, True, 1958, 1964),
        ("MTTQ 2025-2030", "mttq", "2025–2030", False, False, 115, 115),
    ]


def test_the_two_rounds_side_by_side_on_the_days_of_the_front(sample_db):
    """The Party round as every earlier issue has it; the Front's communes all by 31/10/2025, the city
    on 25/11/2025 (the public figures)."""
    for day, front_levels in (("2025-10-31", [("city", 0, 1), ("committee", 114, 114)]),
                              ("2025-11-25", [("city", 1, 1), ("committee", 114, 114)])):
        party = json.loads(run("status", "--as-of", day, "--format", "json").stdout)
        front = json.loads(run(*FRONT, "status", "--as-of", day, "--format", "json").stdout)
        assert [(l["level"], l["held"], l["total"]) for l in party["levels"]] == [
            ("city", 1, 1), ("committee", 116, 118), ("grassroots", 1841, 1845)]
        assert [(l["level"], l["held"], l["total"]) for l in front["levels"]] == front_levels
        assert [l["label"] for l in front["levels"]] == ["Ủy ban MTTQ Việt Nam tỉnh, thành phố",
                                                         "Ủy ban MTTQ Việt Nam cấp xã"]
        assert front["round"] == "MTTQ 2025-2030" and front["counts"]["overdue"] == 0


def test_the_brief_names_its_round_in_its_title(sample_db):
    front = run(*FRONT, "brief", "--format", "txt", "--as-of", "31/10/2025")
    party = run("brief", "--format", "txt", "--as-of", "31/10/2025")
    assert "tiến độ tổ chức đại hội MTTQ các cấp nhiệm kỳ 2025–2030" in front.stdout, front.stderr
    assert "tiến độ tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025–2030" in party.stdout, party.stderr
    assert "114/114 (100,0%) ủy ban MTTQ Việt Nam cấp xã" in front.stdout
    assert "Chưa có tổ công tác nào được giao" in front.stdout  # the Front's round has no working group


def test_a_round_added_is_listed_and_chosen_by_name_or_by_the_environment(sample_db):
    before = status()
    added = run(*YOUTH)
    assert added.exit_code == 0, added.stderr
    assert "Đã thêm nhiệm kỳ «Đoàn TN 2027-2032»" in added.stdout
    rounds = listed()
    assert [(r["name"], r["kind"], r["term"], r["target_on"], r["deadline_on"], r["chosen"]) for r in rounds] == [
        ("2025-2030", "dang", "2025–2030", "2025-08-20", "2025-08-31", True),
        ("MTTQ 2025-2030", "mttq", "2025–2030", "2025-10-31", "2025-10-31", False),
        ("Đoàn TN 2027-2032", "doan-thanh-nien", "2027–2032", "2027-06-30", "2027-07-31", False),
    ]
    # without a round named, the open round whose deadline comes first: the Party's, as before
    assert status() == before
    # named as people type it: any case, no diacritics, an en dash or a hyphen, a part only one name
    # holds, before or after the command
    assert status("--round", "mttq")["round"] == "MTTQ 2025-2030"
    assert json.loads(run("status", "--format", "json", "--round", "mttq").stdout)["round"] == "MTTQ 2025-2030"
    for typed in ("doan tn 2027–2032", "ĐOÀN TN 2027-2032", "doan tn"):
        chosen = status("--round", typed)
        assert chosen["round"] == "Đoàn TN 2027-2032"
        assert chosen["held"] == 0 and chosen["levels"] == []
    assert listed("--round", "doan tn 2027-2032")[2]["chosen"] is True
    by_env = run("status", "--format", "json", env={"CONGRESS_ROUND": "MTTQ 2025-2030"})
    assert json.loads(by_env.stdout)["round"] == "MTTQ 2025-2030"
    # a round added gets the default preparation steps
    steps = run("--round", "Đoàn TN 2027-2032", "round", "steps", "--format", "json")
    assert len(json.loads(steps.stdout)) == len(json.loads(run("round", "steps", "--format", "json").stdout))


def test_the_office_adds_a_kind_of_round_and_a_round_of_it(sample_db):
    added = run("round", "kind", "hoi-nct", "Đại hội Hội Người cao tuổi", "--title", "Hội Người cao tuổi các cấp")
    assert added.stdout == "Đã thêm loại đại hội «hoi-nct» (Đại hội Hội Người cao tuổi).\n"
    kinds = {k["code"]: k for k in json.loads(run("round", "kinds", "--format", "json").stdout)}
    assert kinds["hoi-nct"]["levels"] == ["Cấp tỉnh, thành phố", "Cấp trên cơ sở", "Cấp cơ sở"]
    assert kinds["mttq"]["levels"] == ["Ủy ban MTTQ Việt Nam tỉnh, thành phố", "Ủy ban MTTQ Việt Nam cấp xã"]
    assert run(*YOUTH[:2], "NCT 2026-2031", "--kind", "hoi-nct", "--term", "2026-2031", *YOUTH[7:]).exit_code == 0
    brief = run("--round", "NCT 2026-2031", "brief", "--format", "txt", "--as-of", "1/6/2027")
    assert "tiến độ tổ chức đại hội Hội Người cao tuổi các cấp nhiệm kỳ 2026–2031" in brief.stdout, brief.stderr


def test_the_party_round_closed_the_next_open_one_is_the_default(sample_db):
    assert run("round", "close", "2025-2030").exit_code == 0
    assert status()["round"] == "MTTQ 2025-2030"
    assert run("round", "close", "MTTQ 2025-2030").exit_code == 0
    assert status()["round"] == "MTTQ 2025-2030"  # all closed: the last


def test_org_show_shows_the_congresses_of_the_same_place_in_every_round(sample_db):
    shown = run("org", "show", "X.GIALOC")
    assert shown.exit_code == 0, shown.stderr
    assert "MTTQ 2025-2030" in shown.stdout and "Ủy ban MTTQ Việt Nam xã Gia Lộc" in shown.stdout
    facts = json.loads(run("org", "show", FRONT_COMMUNE, "--format", "json").stdout)
    assert [(r["round"], r["code"]) for r in facts["other_rounds"]] == [("2025-2030", "X.GIALOC")]


def test_names_are_found_among_the_rounds_own_units(sample_db):
    party = json.loads(run("org", "show", "gia loc", "--format", "json").stdout)
    front = json.loads(run(*FRONT, "org", "show", "gia loc", "--format", "json").stdout)
    assert (party["code"], front["code"]) == ("X.GIALOC", FRONT_COMMUNE)


BAD_ROUNDS = [
    # (name, arguments, the message)
    ("an unknown round", ["--round", "2030-2035", "status"],
     "Lỗi: Không có nhiệm kỳ «2030-2035»; các nhiệm kỳ: 2025-2030, MTTQ 2025-2030."),
    ("an unknown round to close", ["round", "close", "cong doan"],
     "Lỗi: Không có nhiệm kỳ «cong doan»; các nhiệm kỳ: 2025-2030, MTTQ 2025-2030."),
    ("a round named by a part two names hold", ["--round", "2025", "status"],
     "Lỗi: «2025» khớp với 2 nhiệm kỳ: 2025-2030, MTTQ 2025-2030; hãy gõ tên đầy đủ hơn."),
    ("--round typed last, without its name", ["status", "--round"], "Lỗi: Tùy chọn '--round' cần một giá trị."),
    ("two rounds with one name", YOUTH[:2] + ["mttq 2025–2030"] + YOUTH[3:],
     "Lỗi: Đã có nhiệm kỳ «MTTQ 2025-2030»; đặt tên khác."),
    ("an unknown kind", YOUTH[:2] + ["Hội Nông dân", "--kind", "hoi-nong-dan"] + YOUTH[5:],
     "Lỗi: Không có loại đại hội «hoi-nong-dan»; các loại: cong-doan, cuu-chien-binh, dang, doan-thanh-nien,"
     " mttq, nong-dan, phu-nu."),
    ("a term backwards", YOUTH[:2] + ["X", "--kind", "mttq", "--term", "2030-2025"] + YOUTH[7:],
     "Lỗi: Nhiệm kỳ «2030-2025» không hợp lệ: viết hai năm, năm đầu trước, như 2025-2030."),
    ("a term that is not two years", YOUTH[:2] + ["X", "--kind", "mttq", "--term", "khóa mới"] + YOUTH[7:],
     "Lỗi: Nhiệm kỳ «khóa mới» không hợp lệ: viết hai năm, năm đầu trước, như 2025-2030."),
    ("a target after the deadline", YOUTH[:2] + ["X"] + YOUTH[3:9] + ["--target", "31/7", "--deadline", "30/6"],
     "Lỗi: Mốc mục tiêu 31/07/2027 không thể sau hạn chót 30/06/2027."),
    ("a start after the target", YOUTH[:2] + ["X"] + YOUTH[3:7] + ["--start", "1/7"] + YOUTH[9:],
     "Lỗi: Ngày bắt đầu 01/07/2027 không thể sau mốc mục tiêu 30/06/2027."),
    ("a date that is not one", YOUTH[:2] + ["X"] + YOUTH[3:9] + ["--target", "31/13"] + YOUTH[11:], "Lỗi: "),
    ("a blank name", YOUTH[:2] + ["  "] + YOUTH[3:], "Lỗi: Tên nhiệm kỳ không được để trống."),
    ("a Party unit logged in the Front's round", [*FRONT, "log", UNHELD, "--held", "20/11/2026"],
     "Lỗi: Chi bộ thôn số 4, Vĩnh Bảo (X.VINHBAO.08) không thuộc nhiệm kỳ «MTTQ 2025-2030». Chọn nhiệm kỳ"
     " của tổ chức này bằng --round (xem «congress round list»)."),
    ("a Front unit scheduled in the Party's round", ["schedule", FRONT_COMMUNE, "20/12/2026", "--force"],
     "Lỗi: Ủy ban MTTQ Việt Nam xã Gia Lộc (MT.X.GIALOC) không thuộc nhiệm kỳ «2025-2030»"),
    ("a level the Front's tree has not", [*FRONT, "org", "add", "MT.X.GIALOC.01", "Ban công tác Mặt trận thôn 1",
                                          "--level", "grassroots", "--kind", "thôn", "--parent", FRONT_COMMUNE],
     "Lỗi: Nhiệm kỳ «MTTQ 2025-2030» không có cấp «grassroots»; các cấp: city (Ủy ban MTTQ Việt Nam tỉnh,"
     " thành phố), committee (Ủy ban MTTQ Việt Nam cấp xã)."),
    ("a kind's code with diacritics", ["round", "kind", "Hội NCT", "Đại hội Hội Người cao tuổi", "--title", "x"],
     "Lỗi: Mã loại đại hội «Hội NCT» không hợp lệ: chữ thường không dấu, chữ số và dấu -, tối đa 30 ký tự"),
    ("a kind known already", ["round", "kind", "mttq", "Mặt trận", "--title", "x"],
     "Lỗi: Đã có loại đại hội «mttq»."),
    ("a kind without a title", ["round", "kind", "hoi-nct", "Đại hội Hội Người cao tuổi", "--title", " "],
     "Lỗi: Tên trên tiêu đề báo cáo không được để trống."),
    ("a level's dates the Front's tree has not", [*FRONT, "round", "set", "--level", "grassroots", "--deadline", "30/9"],
     "Lỗi: Nhiệm kỳ «MTTQ 2025-2030» không có cấp «grassroots»; các cấp: city"),
    ("a parent of another round's tree", [*FRONT, "org", "add", "MT.X.MOI", "Ủy ban MTTQ Việt Nam xã Mới",
                                          "--level", "committee", "--kind", "xã", "--parent", "HP"],
     "Lỗi: Đảng bộ thành phố Hải Phòng (HP) không thuộc nhiệm kỳ «MTTQ 2025-2030»; cấp trên phải cùng nhiệm kỳ."),
]


@pytest.mark.parametrize("arguments, message", [c[1:] for c in BAD_ROUNDS], ids=[c[0] for c in BAD_ROUNDS])
def test_bad_rounds_are_refused_in_one_line_and_change_nothing(sample_db, arguments, message):
    before = digest(sample_db)
    result = run(*arguments)
    assert result.exit_code != 0
    assert result.stderr.startswith(message), result.stderr
    # one line; a usage error (Click's) adds where the help is
    assert [line for line in result.stderr.strip().splitlines()[1:] if not line.startswith("Xem «")] == []
    assert digest(sample_db) == before


CLOSED_WRITES = [
    # (name, arguments): each would be accepted were the round open
    ("schedule", ["schedule", UNHELD, "20/12/2026", "--force"]),
    ("log", ["log", UNHELD, "--held", "20/11/2026"]),
    ("unlog", ["unlog", HELD, "--reason", "ghi nhầm"]),
    ("step", ["step", UNHELD, "van-kien", "--done", "1/11/2026"]),
    ("result", ["result", HELD, "--delegates", "158"]),
    ("round set", ["round", "set", "--deadline", "30/9/2025"]),
    ("round set, one level", ["round", "set", "--level", "grassroots", "--deadline", "30/9/2025"]),
    ("round step", ["round", "step", "hop-mat", "Họp mặt", "--days-before", "3"]),
    ("undo", ["undo", "--yes"]),
]


@pytest.mark.parametrize("arguments", [c[1] for c in CLOSED_WRITES], ids=[c[0] for c in CLOSED_WRITES])
def test_a_closed_round_refuses_every_write(sample_db, arguments):
    assert run("log", UNHELD, "--held", "19/11/2026").exit_code == 0  # something of the office's to undo
    assert run("unlog", UNHELD, "--reason", "để thử").exit_code == 0
    # closed by another clerk, so the office's last change is still the unlog
    assert run("round", "close", "2025-2030", env={"LOGNAME": "truongvp", "USER": "truongvp"}).exit_code == 0
    before = digest(sample_db)
    result = run("--round", "2025-2030", *arguments)  # closed, it is no longer the default
    assert result.exit_code == 1
    assert result.stderr == ("Lỗi: Nhiệm kỳ «2025-2030» đã khóa: chỉ xem, không ghi. Văn phòng mở lại bằng "
                             "«congress round open 2025-2030» nếu cần sửa.\n")
    assert digest(sample_db) == before
    opened = run("round", "open", "2025-2030", env={"LOGNAME": "truongvp", "USER": "truongvp"})
    assert opened.stdout == "Đã mở lại nhiệm kỳ «2025-2030».\n"
    if arguments[0] == "undo":  # on PostgreSQL the clerk is the server's role: the opening is the last change
        assert run("log", UNHELD, "--held", "18/11/2026").exit_code == 0
    again = run(*arguments)
    assert again.exit_code == 0, again.stderr


def test_the_database_itself_refuses_a_write_to_a_closed_round(sample_db):
    """A script that writes the tables directly, past congress's own check (the office's account)."""
    assert run("round", "close", "2025-2030").exit_code == 0
    before = digest(sample_db)
    for statement in ("UPDATE congress SET note = 'x' WHERE organisation_id = (SELECT min(id) FROM organisation)",
                      "DELETE FROM congress_step WHERE id = (SELECT min(id) FROM congress_step)",
                      "UPDATE preparation_step SET name = 'x' WHERE position = 1",
                      "INSERT INTO roundlevel (round_id, level, target_on, deadline_on)"
                      " VALUES (1, 'grassroots', '2025-08-01', '2025-08-30')"):
        with pytest.raises(Exception, match="closed round"):
            sql(sample_db, statement)
    assert digest(sample_db) == before
    # the open round takes it
    sql(sample_db, "UPDATE congress SET note = 'x' WHERE round_id = (SELECT id FROM round WHERE kind = 'mttq')")


def test_each_round_has_its_own_history_and_undo(sample_db):
    assert run(*FRONT, "unlog", FRONT_COMMUNE, "--reason", "ghi nhầm").exit_code == 0
    assert run(*FRONT, "log", FRONT_COMMUNE, "--held", "29/10/2025").exit_code == 0
    front = json.loads(run(*FRONT, "history", "--limit", "3", "--format", "json").stdout)
    assert [(r["code"], r["action"]) for r in front] == [(FRONT_COMMUNE, "log"), (FRONT_COMMUNE, "unlog"),
                                                         ("MT.HP", "log")]
    party = json.loads(run("history", "--format", "json").stdout)
    assert all(not (row["code"] or "").startswith("MT.") for row in party)
    # as of a past day, each round replays its own history only
    assert status(*FRONT, as_of="31/10/2025")["held"] == 114
    assert status(as_of="31/10/2025")["held"] == 1958
    # undo in the Party round: the office's last change there is not the Front's log
    refused = run("undo", "--yes")
    assert refused.exit_code == 1 and "chưa có thay đổi nào" in refused.stderr
    undone = run(*FRONT, "undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert status(*FRONT)["held"] == 114  # the log undone: unlogged again


def test_closing_and_opening_are_in_the_rounds_history(sample_db):
    assert run("round", "close", "2025-2030").exit_code == 0
    assert run("round", "close", "2025-2030").stdout == (
        "Nhiệm kỳ «2025-2030» đã khóa từ trước; không có gì thay đổi.\n")
    assert run("round", "open", "2025-2030").exit_code == 0
    history = json.loads(run("history", "--limit", "2", "--format", "json").stdout)
    assert [row["action"] for row in history] == ["round.open", "round.close"]
    assert json.loads(run(*FRONT, "history", "--limit", "1", "--format", "json").stdout)[0]["action"] == "log"


@pytest.mark.skipif(not ON_POSTGRES, reason="a working group's role is PostgreSQL's")
def test_a_groups_role_files_its_history_under_the_round(sample_db):
    from test_access import as_role, grant

    role = grant(3)
    assert run("group", "assign", "3", "X.VINHBAO").exit_code == 0
    result = run("--db", as_role(sample_db, role), "log", UNHELD, "--held", "20/11/2026")
    assert result.exit_code == 0, result.stderr
    assert sql(sample_db, "SELECT r.name FROM change h JOIN round r ON r.id = h.round_id"
                          " WHERE h.id = (SELECT max(id) FROM change)") == [("2025-2030",)]
    assert run("round", "close", "2025-2030").exit_code == 0
    refused = run("--db", as_role(sample_db, role), "--round", "2025-2030", "unlog", UNHELD, "--reason", "nhầm")
    assert refused.exit_code == 1 and "đã khóa" in refused.stderr
    refused = run("--db", as_role(sample_db, role), "round", "open", "2025-2030")
    assert refused.stderr == "Lỗi: Chỉ văn phòng khóa hoặc mở lại nhiệm kỳ.\n"


@pytest.mark.skipif(not ON_POSTGRES, reason="a working group's role is PostgreSQL's")
def test_a_groups_role_cannot_give_its_organisation_a_congress_in_another_kinds_round(sample_db):
    """Calling the server's functions by hand: a Party organisation of its own has no congress in the
    Front's round, and the server refuses to make one (row-level security per round)."""
    import psycopg
    from test_access import as_role, grant

    role = grant(3)
    assert run("group", "assign", "3", "X.VINHBAO").exit_code == 0
    (org_id,), = sql(sample_db, "SELECT id FROM organisation WHERE code = :code", code=UNHELD)
    (front,), = sql(sample_db, "SELECT id FROM round WHERE kind = 'mttq'")
    before = digest(sample_db)
    for statement in ("SELECT public.congress_lock(%s, %s)",
                      "SELECT public.congress_write(%s, %s, 'log', 'held_on', '2025-10-20', NULL, 'x')"):
        with psycopg.connect(as_role(sample_db, role)) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="in round"):
                conn.execute(statement, (org_id, front))
    assert digest(sample_db) == before


LISTS = [
    # (name, the command after the round, the JSON key of an organisation's code in each row)
    ("status --at-risk", ["status", "--at-risk", "--as-of", "1/9/2025", "--format", "json"], "code"),
    ("org list", ["org", "list", "--format", "json"], "code"),
    ("history", ["history", "--limit", "300", "--format", "json"], "code"),
    ("export orgs", ["export", "orgs", "-", "--format", "json"], "code"),
    ("export status", ["export", "status", "-", "--format", "json", "--as-of", "1/9/2025"], "code"),
]


@pytest.mark.parametrize("arguments, key", [c[1:] for c in LISTS], ids=[c[0] for c in LISTS])
def test_every_list_is_the_rounds_own(sample_db, arguments, key):
    """Each list of the Party's round holds no Front committee, and the Front's no party organisation."""
    for options, own in (([], lambda code: not code.startswith("MT.")), (FRONT, lambda code: code.startswith("MT."))):
        result = run(*options, *arguments)
        assert result.exit_code == 0, result.stderr
        rows = json.loads(result.stdout)
        rows = rows["rows"] if isinstance(rows, dict) else rows
        codes = [row[key] for row in rows if row.get(key)]
        assert codes, (options, arguments)  # something to judge
        assert all(own(code) for code in codes), (options, [c for c in codes if not own(c)][:3])
