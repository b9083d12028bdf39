"""A working group's PostgreSQL role reads everything and writes only its own organisations' congresses,
enforced by the database even against raw SQL (issue #9 §5): every attempt made on a real server is
here, run as the group's role."""
import datetime as dt
import json
import threading
import time
import uuid

import psycopg
import pytest

from congress.store.database import SCHEMA_REVISION

from conftest import ON_POSTGRES, _admin, digest, run

from congress.domain import rules
from congress.store.access import GROUP_CONNECTIONS, revoke_large_objects

on_postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="row-level security is PostgreSQL's")

MINE = "X.VINHBAO.08"  # unheld; its committee is given to group 3 by the `mine` fixture
MINE_HELD = "X.VINHBAO.01"  # held 20/7/2025 (committee 8, women 3, 162 delegates summoned, 158 present)
THEIRS = "P.HAIDUONG"  # group 5's committee


def as_role(db: str, role: str) -> str:
    scheme, rest = db.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


def grant(number: int) -> str:
    role = f"to{number}_{uuid.uuid4().hex[:6]}"
    result = run("db", "grant-group", str(number), role)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Đã tạo tài khoản {role} cho tổ công tác số {number}.")
    return role


@pytest.fixture
def group3(sample_db):
    return grant(3)


@pytest.fixture
def mine(sample_db):
    assert run("group", "assign", "3", "X.VINHBAO").exit_code == 0
    return MINE


def org_id(db, code):
    with psycopg.connect(str(db)) as conn:
        return conn.execute("SELECT id FROM organisation WHERE code = %s", (code,)).fetchone()[0]


def held_on(db, code):
    with psycopg.connect(str(db)) as conn:
        return conn.execute(
            "SELECT c.held_on FROM congress c JOIN organisation o ON o.id = c.organisation_id WHERE o.code = %s",
            (code,),
        ).fetchone()[0]


@on_postgres_only
def test_a_group_logs_its_own_organisations_and_history_names_its_role(sample_db, group3, mine):
    result = run("--db", as_role(sample_db, group3), "log", mine, "--held", "20/11/2026")
    assert result.exit_code == 0, result.stderr
    assert held_on(sample_db, mine) == dt.date(2026, 11, 20)
    history = json.loads(run("history", mine, "--format", "json").stdout)
    assert history[0]["user"] == group3


@on_postgres_only
def test_a_group_schedules_unlogs_and_undoes_on_its_own_organisations(sample_db, group3, mine):
    role = as_role(sample_db, group3)
    result = run("--db", role, "schedule", mine, "15/12/2026", "--force", "--note", "họp chi bộ")
    assert result.exit_code == 0, result.stderr
    assert run("--db", role, "log", mine, "--held", "20/11/2026").exit_code == 0
    result = run("--db", role, "unlog", mine, "--reason", "ghi nhầm")
    assert result.exit_code == 0, result.stderr
    assert held_on(sample_db, mine) is None
    result = run("--db", role, "undo", "--yes")
    assert result.exit_code == 0, result.stderr
    assert held_on(sample_db, mine) == dt.date(2026, 11, 20)
    with psycopg.connect(str(sample_db)) as conn:
        planned, note = conn.execute(
            "SELECT planned_on, note FROM congress WHERE organisation_id = %s", (org_id(sample_db, mine),)
        ).fetchone()
        assert (planned, note) == (dt.date(2026, 12, 15), "họp chi bộ")
        actions = conn.execute('SELECT action FROM change WHERE "user" = %s ORDER BY id', (group3,)).fetchall()
    assert [a for (a,) in actions] == ["schedule", "log", "unlog", "undo"]


@on_postgres_only
@pytest.mark.parametrize("command", [
    ("log", "X.VINHBAO", "--held", "20/11/2026"),
    ("step", "X.VINHBAO", "nhan-su", "--done", "1/8/2025"),
    ("result", THEIRS + ".01", "--women", "1"),  # held, and group 5's
], ids=["log", "step", "result"])
def test_the_database_refuses_another_groups_organisation_even_with_force(sample_db, group3, command):
    before = digest(sample_db)
    result = run("--db", as_role(sample_db, group3), *command, "--force")
    assert result.exit_code == 1
    assert "không được phép ghi việc này" in result.stderr and "Traceback" not in result.stderr
    assert digest(sample_db) == before


@on_postgres_only
@pytest.mark.parametrize("command", [
    ("log", THEIRS + ".01", "--held", "20/11/2026"),
    ("schedule", THEIRS + ".01", "1/12/2026"),
    ("unlog", THEIRS + ".01", "--reason", "thử"),
    ("step", THEIRS + ".01", "nhan-su", "--done", "1/7/2025"),
    ("step", THEIRS + ".01", "nhan-su", "--undone", "--reason", "thử"),
    ("result", THEIRS + ".01", "--women", "1"),
])
def test_another_groups_organisation_gets_the_scope_message(sample_db, group3, command):
    before = digest(sample_db)
    result = run("--db", as_role(sample_db, group3), *command, env={"CONGRESS_GROUP": "3"})
    assert result.exit_code == 1
    assert "thuộc tổ công tác số 5, không thuộc tổ công tác số 3" in result.stderr
    assert digest(sample_db) == before


def step_row(db, code, step):
    with psycopg.connect(str(db)) as conn:
        return conn.execute(
            "SELECT cs.done_on, cs.note FROM congress_step cs JOIN organisation o ON o.id = cs.organisation_id"
            " JOIN preparation_step s ON s.id = cs.step_id WHERE o.code = %s AND s.code = %s", (code, step),
        ).fetchone()


def result_of(db, code):
    with psycopg.connect(str(db)) as conn:
        return conn.execute(
            "SELECT c.committee_members, c.women, c.result_note FROM congress c"
            " JOIN organisation o ON o.id = c.organisation_id WHERE o.code = %s", (code,),
        ).fetchone()


def my_history(db, role):
    with psycopg.connect(str(db)) as conn:
        return conn.execute(
            'SELECT action, field, old_value, new_value, note, working_group FROM change WHERE "user" = %s'
            " ORDER BY id", (role,)).fetchall()


@on_postgres_only
def test_a_group_records_and_withdraws_a_step_and_records_a_result_on_its_own_organisations(sample_db, group3,
                                                                                            mine):
    role = as_role(sample_db, group3)
    result = run("--db", role, "step", mine, "nhan-su", "--done", "10/7/2025", "--note", "Thành ủy đã cho ý kiến")
    assert result.exit_code == 0, result.stderr
    assert step_row(sample_db, mine, "nhan-su") == (dt.date(2025, 7, 10), "Thành ủy đã cho ý kiến")
    result = run("--db", role, "step", mine, "nhan-su", "--undone", "--reason", "ghi nhầm ngày")
    assert result.exit_code == 0, result.stderr
    assert step_row(sample_db, mine, "nhan-su") == (None, "Thành ủy đã cho ý kiến")  # the row stays, undone
    result = run("--db", role, "result", MINE_HELD, "--committee", "9", "--women", "4", "--note", "Số liệu tổ 3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Đã ghi kết quả đại hội của Chi bộ thôn số 1, Vĩnh Bảo (X.VINHBAO.01): 3 số liệu.\n"
    assert result_of(sample_db, MINE_HELD) == (9, 4, "Số liệu tổ 3")
    assert my_history(sample_db, group3) == [  # written by the server: its role, its group
        ("step", "step:nhan-su", None, "2025-07-10", "Thành ủy đã cho ý kiến", 3),
        ("unstep", "step:nhan-su", "2025-07-10", None, "ghi nhầm ngày", 3),
        ("result", "committee_members", "8", "9", None, 3),
        ("result", "women", "3", "4", None, 3),
        ("result", "result_note", "Số liệu minh họa.", "Số liệu tổ 3", None, 3),
    ]


@on_postgres_only
def test_a_group_undoes_its_own_steps_and_results(sample_db, group3, mine):
    role = as_role(sample_db, group3)

    def done(*command):
        result = run("--db", role, *command)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    done("step", mine, "nhan-su", "--done", "10/7/2025", "--note", "lần đầu")
    assert "10/07/2025 → (trống)" in done("undo", "--yes")
    assert step_row(sample_db, mine, "nhan-su") is None  # as before it was first recorded
    done("step", mine, "nhan-su", "--done", "10/7/2025", "--note", "lần đầu")
    done("step", mine, "nhan-su", "--done", "12/7/2025", "--note", "ghi lại")
    assert "12/07/2025 → 10/07/2025" in done("undo", "--yes")
    assert step_row(sample_db, mine, "nhan-su") == (dt.date(2025, 7, 10), "lần đầu")
    done("step", mine, "van-kien", "--undone", "--reason", "ghi nhầm")
    assert "(trống) → 31/05/2025" in done("undo", "--yes")
    assert step_row(sample_db, mine, "van-kien") == (dt.date(2025, 5, 31), None)
    done("result", MINE_HELD, "--committee", "9", "--women", "4", "--note", "Số liệu tổ 3")
    assert "số ủy viên nữ 4 → 3" in done("undo", "--yes")
    assert result_of(sample_db, MINE_HELD) == (8, 3, "Số liệu minh họa.")
    undone = [row for row in my_history(sample_db, group3) if row[0] == "undo"]
    assert [(field, old, new, group) for _, field, old, new, _, group in undone] == [
        ("step:nhan-su", "2025-07-10", None, 3), ("step:nhan-su", "2025-07-12", "2025-07-10", 3),
        ("step:van-kien", None, "2025-05-31", 3),
        ("result_note", "Số liệu tổ 3", "Số liệu minh họa.", 3), ("women", "4", "3", 3), ("committee_members", "9", "8", 3),
    ]  # newest first, as undo puts them back


@on_postgres_only
def test_a_group_does_not_undo_a_step_of_an_organisation_moved_to_another_group(sample_db, group3, mine):
    role = as_role(sample_db, group3)
    assert run("--db", role, "step", mine, "nhan-su", "--done", "10/7/2025").exit_code == 0
    assert run("group", "assign", "5", "X.VINHBAO").exit_code == 0
    before = digest(sample_db)
    result = run("--db", role, "undo", "--yes")
    assert result.exit_code == 1 and "nay thuộc tổ công tác số 5, không còn thuộc tổ công tác số 3" in result.stderr
    assert digest(sample_db) == before


@on_postgres_only
def test_a_groups_role_may_not_change_the_rounds_steps(sample_db, group3):
    before = digest(sample_db)
    for command in (("round", "step", "bau-cu", "Chuẩn bị bầu cử", "--days-before", "3"),
                    ("round", "step", "nhan-su", "Phương án nhân sự"), ("round", "step", "nhan-su", "--retire")):
        result = run("--db", as_role(sample_db, group3), *command)
        assert result.exit_code == 1
        assert "không được phép ghi việc này" in result.stderr and "Traceback" not in result.stderr
    assert digest(sample_db) == before


# What the server's functions refuse a group role's script on its own organisations, as the register
# refuses it (register.check_step, check_result): a value out of bounds is a check violation, an action
# the function does not write a privilege the role lacks. {mine} is unheld, {held} held 20/7/2025, {theirs}
# group 5's (held); the round began on 14/6/2024. (name, office commands first, statement, error)
_STEP = "SELECT public.congress_write_step({org}, 1, {what}, {code}, {done}, {note}, {why}, NULL)"
_RESULT = "SELECT public.congress_write({org}, 1, {what}, {field}, {value}, NULL, NULL)"
Check, Denied = psycopg.errors.CheckViolation, psycopg.errors.InsufficientPrivilege


def _step(org="{mine}", what="'step'", code="'nhan-su'", done="'2025-07-10'", note="NULL", why="NULL"):
    return _STEP.format(org=org, what=what, code=code, done=done, note=note, why=why)


def _result(org="{held}", what="'result'", field="'women'", value="'4'"):
    return _RESULT.format(org=org, what=what, field=field, value=value)


FUNCTION_REFUSALS = [
    ("a step of another group's organisation", (), _step(org="{theirs}", done="'2025-07-01'"), Denied),
    ("a step done after today", (), _step(done="'2099-01-01'"), Check),
    ("a step done before the round began", (), _step(done="'2024-06-13'"), Check),
    ("a step done after its congress was held", (), _step(org="{held}", done="'2025-07-21'"), Check),
    ("a step done once its organisation was dissolved", (("org", "edit", MINE, "--dissolved", "1/7/2025"),),
     _step(done="'2025-07-10'"), Check),
    ("a step retired", (("round", "step", "nhan-su", "--retire"),), _step(), Check),
    ("a step the round does not have", (), _step(code="'bau-cu'"), Check),
    ("a step's note with a hidden character", (), _step(note="E'ghi ch\\u202eu'"), Check),
    ("a step withdrawn that was not done", (), _step(what="'unstep'", done="NULL", why="'thử'"), Check),
    ("a step withdrawn without a reason", (), _step(org="{held}", what="'unstep'", done="NULL"), Denied),
    ("a step recorded without a day", (), _step(done="NULL"), Denied),
    ("a step through congress_write", (), _RESULT.format(org="{mine}", what="'step'", field="'step:nhan-su'",
                                                          value="'2025-07-10'"), Denied),
    ("a round's step through congress_write", (), _RESULT.format(org="{mine}", what="'round.step'",
                                                                  field="'round_step'", value="'bau-cu|x|3|0|6'"),
     Denied),
    ("a result of another group's organisation", (), _result(org="{theirs}"), Denied),
    ("a result of a congress not held", (), _result(org="{mine}", field="'delegates'", value="'50'"), Check),
    ("women above the committee", (), _result(value="'9'"), Check),
    ("present above the delegates summoned", (), _result(field="'present'", value="'163'"), Check),
    ("a negative count", (), _result(field="'delegates'", value="'-1'"), Check),
    ("a count beyond 100.000", (), _result(field="'delegates'", value="'100001'"), Check),
    ("a count that is not a number", (), _result(field="'delegates'", value="'nhiều'"), Check),
    ("five contents", (), _result(field="'contents'", value="'5'"), Check),
    ("a committee chosen some other way", (), _result(field="'committee_by'", value="'drawn'"), Check),
    ("a result's note with a hidden character", (), _result(field="'result_note'", value="E'ghi\\u0007'"), Check),
    ("a result field taken back as a result", (), _result(value="NULL"), Denied),
    ("a column that is not a result's", (), _result(field="'note'", value="'x'"), Denied),
]


@on_postgres_only
@pytest.mark.parametrize("setup, statement, error", [c[1:] for c in FUNCTION_REFUSALS],
                         ids=[c[0] for c in FUNCTION_REFUSALS])
def test_the_servers_functions_refuse_what_the_register_refuses(sample_db, group3, mine, setup, statement, error):
    for command in setup:
        assert run(*command).exit_code == 0
    ids = {"mine": org_id(sample_db, mine), "held": org_id(sample_db, MINE_HELD), "theirs": org_id(sample_db, THEIRS)}
    before = digest(sample_db)
    with psycopg.connect(as_role(sample_db, group3)) as conn:
        with pytest.raises(error):
            conn.execute(statement.format(**ids))
    assert digest(sample_db) == before


@on_postgres_only
def test_the_servers_functions_take_what_the_register_takes(sample_db, group3, mine):
    """The bounds themselves: today, the round's first day, the congress's own day, a count equal to its whole."""
    ids = {"mine": org_id(sample_db, mine), "held": org_id(sample_db, MINE_HELD)}
    with psycopg.connect(as_role(sample_db, group3)) as conn:
        today = conn.execute(f"SELECT {rules.today_sql()}").fetchone()[0]
        for statement in (_step(done=f"'{today.isoformat()}'"), _step(code="'gop-y'", done="'2024-06-14'"),
                          _step(org="{held}", code="'nhan-su'", done="'2025-07-20'"), _result(value="'8'"),
                          _result(field="'present'", value="'162'")):
            conn.execute(statement.format(**ids))
    assert step_row(sample_db, mine, "nhan-su")[0] == today
    assert step_row(sample_db, mine, "gop-y")[0] == dt.date(2024, 6, 14)
    assert step_row(sample_db, MINE_HELD, "nhan-su")[0] == dt.date(2025, 7, 20)
    assert result_of(sample_db, MINE_HELD)[:2] == (8, 8)


@on_postgres_only
def test_db_upgrade_gives_a_register_granted_before_the_new_functions(sample_db, group3, mine):
    """A register whose groups were granted at 0007: no step function yet, and the tables 0007 added
    unreadable by roles granted before them. `db upgrade` (0008) installs and grants what this congress needs."""
    from alembic import command

    from congress.store import migrate
    from congress.store.database import make_engine

    engine = make_engine(str(sample_db), write=True)
    with engine.begin() as conn:  # what came after 0008 taken away first, as an older congress never had it
        command.downgrade(migrate._config(conn), "0008")
    engine.dispose()
    with psycopg.connect(str(sample_db), autocommit=True) as conn:
        conn.execute("DROP FUNCTION public.congress_write_step(integer, integer, text, text, text, text, text, text)")
        conn.execute(f"REVOKE SELECT ON congress_step, preparation_step FROM {group3}")
        conn.execute("UPDATE alembic_version SET version_num = '0007'")
    role = as_role(sample_db, group3)
    refused = run("--db", role, "step", mine, "nhan-su", "--done", "10/7/2025")
    assert refused.exit_code == 1 and "congress db upgrade" in refused.stderr
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert upgraded.stdout.strip().endswith(f"0007 → {SCHEMA_REVISION}.")
    result = run("--db", role, "step", mine, "nhan-su", "--done", "10/7/2025")
    assert result.exit_code == 0, result.stderr
    assert step_row(sample_db, mine, "nhan-su") == (dt.date(2025, 7, 10), None)
    assert run("--db", role, "round", "steps").exit_code == 0  # reads the table 0007 added


# Every attempt of issue #9 §5, as raw SQL from group 3's role; {theirs} is group 5's committee, {mine}
# one of group 3's. Each is refused by the server as a privilege it lacks.
ATTACKS = {
    "update another group's congress": "UPDATE congress SET held_on = '2026-11-20' WHERE organisation_id = {theirs}",
    "update its own congress directly": "UPDATE congress SET held_on = '2026-11-20' WHERE organisation_id = {mine}",
    "insert a congress": "INSERT INTO congress (round_id, organisation_id, is_pilot) VALUES (1, {theirs}, false)",
    "delete a congress": "DELETE FROM congress WHERE organisation_id = {theirs}",
    "truncate congress": "TRUNCATE congress CASCADE",
    "forge history as the office": "INSERT INTO change (at, \"user\", working_group, organisation_id, action, field, "
    "new_value) VALUES ('2099-01-01', 'vanphong', 5, {mine}, 'round.set', 'deadline_on', '2099-12-31')",
    "forge its own history": "INSERT INTO change (at, \"user\", organisation_id, action, field, new_value) "
    "VALUES (now(), current_user, {mine}, 'log', 'held_on', '2026-11-20')",
    "rewrite history": "UPDATE change SET \"user\" = 'vanphong'",
    "delete history": "DELETE FROM change",
    "truncate history": "TRUNCATE change",
    "lock congress against readers": "LOCK TABLE congress IN ACCESS EXCLUSIVE MODE",
    "lock history against writers": "LOCK TABLE change IN EXCLUSIVE MODE",
    "lock organisations": "LOCK TABLE organisation IN ROW EXCLUSIVE MODE",
    "lock another group's congress row": "SELECT 1 FROM congress WHERE organisation_id = {theirs} FOR UPDATE",
    "lock another group's organisation row": "SELECT 1 FROM organisation WHERE id = {theirs} FOR NO KEY UPDATE",
    "temporary table to shadow organisation": "CREATE TEMP TABLE organisation (id integer)",
    "temporary table to shadow workinggroup": "CREATE TEMPORARY TABLE workinggroup (id integer, number integer)",
    "create a table in public": "CREATE TABLE public.organisation_copy (id integer)",
    "replace the scope function": "CREATE OR REPLACE FUNCTION public.congress_in_group(integer, integer) "
    "RETURNS boolean LANGUAGE sql AS 'SELECT true'",
    "create a schema": "CREATE SCHEMA mine",
    "drop congress": "DROP TABLE congress",
    "drop the write function": "DROP FUNCTION public.congress_write(integer, integer, text, text, text, text, text)",
    "switch off row-level security": "ALTER TABLE congress DISABLE ROW LEVEL SECURITY",
    "move an organisation to its group": "UPDATE organisation SET working_group_id = NULL WHERE id = {theirs}",
    "add an organisation": "INSERT INTO organisation (code, name, search_name, level, kind) "
    "VALUES ('X', 'X', 'x', 'grassroots', 'x')",
    "delete an organisation": "DELETE FROM organisation WHERE id = {theirs}",
    "renumber a working group": "UPDATE workinggroup SET number = 3 WHERE number = 5",
    "add a working group": "INSERT INTO workinggroup (number, name) VALUES (99, 'x')",
    "move the round's deadline": "UPDATE round SET deadline_on = '2099-12-31'",
    "change a setting": "UPDATE setting SET value = 'x'",
    "claim another group": "UPDATE group_role SET group_number = 5",
    "map another role": "INSERT INTO group_role (role, group_number) VALUES ('x', 5)",
    "become a role that writes everything": "SET ROLE pg_write_all_data",
    "become the owner": "SET ROLE postgres",
    "become the owner for the session": "SET SESSION AUTHORIZATION postgres",
    "make itself superuser": "ALTER ROLE CURRENT_USER SUPERUSER",
    "add a preparation step": "INSERT INTO preparation_step (round_id, code, name, days_before, position, retired) "
    "VALUES (1, 'x', 'x', 1, 9, false)",
    "rename a preparation step": "UPDATE preparation_step SET name = 'x'",
    "record a step directly": "INSERT INTO congress_step (round_id, organisation_id, step_id, done_on) "
    "VALUES (1, {mine}, 3, '2025-07-10')",
    "move another group's step": "UPDATE congress_step SET done_on = '2025-07-10' WHERE organisation_id = {theirs}",
    "delete the steps done": "DELETE FROM congress_step",
    "write its own result directly": "UPDATE congress SET women = 1 WHERE organisation_id = {mine}",
    "drop the step function": "DROP FUNCTION public.congress_write_step(integer, integer, text, text, text, text, "
    "text, text)",
    "write another group's congress through the function": "SELECT public.congress_write({theirs}, 1, 'log', "
    "'held_on', '2026-11-20', NULL, NULL)",
    "set the round through the function": "SELECT public.congress_write({mine}, 1, 'round.set', 'deadline_on', "
    "'2099-12-31', NULL, NULL)",
    "write a planned date as a log through the function": "SELECT public.congress_write({mine}, 1, 'log', "
    "'planned_on', '2026-11-20', NULL, NULL)",
}


@on_postgres_only
@pytest.mark.parametrize("statement", ATTACKS.values(), ids=ATTACKS.keys())
def test_raw_sql_from_a_group_role_is_refused(sample_db, group3, mine, statement):
    ids = {"mine": org_id(sample_db, mine), "theirs": org_id(sample_db, THEIRS)}
    before = digest(sample_db)
    with psycopg.connect(as_role(sample_db, group3)) as conn:
        # reads everything: the Party's 1.964 congresses and the Front's 115
        assert conn.execute("SELECT count(*) FROM congress").fetchone()[0] == 2079
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement.format(**ids))
    assert digest(sample_db) == before


@on_postgres_only
def test_temporary_tables_cannot_stand_in_for_the_real_ones(sample_db, group3, mine):
    """Even on a server where the role may create temporary tables: the functions name public's tables
    and put pg_temp last in their path."""
    database = sample_db.rsplit("/", 1)[1]
    _admin(f'GRANT TEMPORARY ON DATABASE "{database}" TO {group3}')
    theirs = org_id(sample_db, THEIRS)
    before = digest(sample_db)
    with psycopg.connect(as_role(sample_db, group3), autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE organisation AS SELECT * FROM public.organisation")
        conn.execute("CREATE TEMP TABLE workinggroup AS SELECT * FROM public.workinggroup")
        conn.execute("UPDATE pg_temp.workinggroup SET number = 3 WHERE number = 5")  # group 5's rows look like 3's
        assert conn.execute("SELECT public.congress_lock(%s, 1)", (theirs,)).fetchone()[0] is False
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT public.congress_write(%s, 1, 'log', 'held_on', '2026-11-20', NULL, NULL)", (theirs,))
    assert digest(sample_db) == before


@on_postgres_only
def test_history_carries_the_servers_time_and_the_roles_name_and_group(sample_db, group3, mine):
    # the client claims group 5 and forces past congress's own scope check: the server writes group 3
    result = run("--db", as_role(sample_db, group3), "log", mine, "--held", "20/11/2026", "--force",
                 env={"CONGRESS_GROUP": "5"})
    assert result.exit_code == 0, result.stderr
    with psycopg.connect(str(sample_db)) as conn:
        user, group, late = conn.execute(
            'SELECT "user", working_group, now() - at FROM change ORDER BY id DESC LIMIT 1'
        ).fetchone()
    assert (user, group) == (group3, 3)
    assert dt.timedelta(0) <= late < dt.timedelta(minutes=1)


def forge(db, user: str, at: str) -> None:
    """A round.set row under USER's name and identity, as one written by hand before the server refused it."""
    with psycopg.connect(str(db), autocommit=True) as conn:
        conn.execute(
            'INSERT INTO change (at, "user", author, working_group, action, field, old_value, new_value, command) '
            "VALUES (%s, %s, 'pg:' || %s, 5, 'round.set', 'deadline_on', "
            "(SELECT deadline_on::text FROM round WHERE kind = 'dang' ORDER BY id DESC LIMIT 1), '2099-12-31', 'forged')",
            (at, user, user),
        )


def deadline(db):
    with psycopg.connect(str(db)) as conn:
        return conn.execute("SELECT deadline_on FROM round WHERE kind = 'dang' ORDER BY id DESC LIMIT 1").fetchone()[0]


@on_postgres_only
def test_the_offices_undo_leaves_a_forged_row_dated_ahead(sample_db):
    before = deadline(sample_db)
    forge(sample_db, "postgres", "2099-01-01 00:00+00")  # the tests' office account is postgres
    result = run("undo", "--yes")
    assert result.exit_code == 1 and "không do congress ghi" in result.stderr
    assert deadline(sample_db) == before


@on_postgres_only
def test_a_groups_undo_leaves_a_row_its_role_cannot_have_written(sample_db, group3):
    before = deadline(sample_db)
    forge(sample_db, group3, "now")
    result = run("--db", as_role(sample_db, group3), "undo", "--yes")
    assert result.exit_code == 1 and "không do congress ghi" in result.stderr
    assert deadline(sample_db) == before


@on_postgres_only
def test_a_lock_on_another_groups_organisation_does_not_stall_its_logging(sample_db, group3):
    group5 = grant(5)
    theirs = org_id(sample_db, THEIRS)
    code = THEIRS + ".01"
    with psycopg.connect(str(sample_db)) as conn:  # unheld first, so group 5 has something to log
        conn.execute("UPDATE congress SET held_on = NULL WHERE organisation_id = %s",
                     (org_id(sample_db, code),))
    with psycopg.connect(as_role(sample_db, group3)) as attacker:
        attacker.execute("SELECT pg_advisory_lock(%s), pg_advisory_lock(%s)", (theirs, org_id(sample_db, code)))
        assert attacker.execute("SELECT public.congress_lock(%s, 1)", (theirs,)).fetchone()[0] is False
        started = time.monotonic()
        result = run("--db", as_role(sample_db, group5), "log", code, "--held", "20/11/2026", "--force")
        assert result.exit_code == 0, result.stderr
        assert time.monotonic() - started < 5


@on_postgres_only
def test_a_lock_held_too_long_ends_in_one_message(sample_db, group3, mine):
    """The office's own session left open on the organisation: the group waits lock_timeout, not for ever."""
    before = held_on(sample_db, mine)
    holder = psycopg.connect(str(sample_db))
    holder.execute("SELECT 1 FROM organisation WHERE id = %s FOR UPDATE", (org_id(sample_db, mine),))
    release = threading.Timer(30, holder.rollback)  # should the timeout not work, the test fails, not hangs
    release.start()
    try:
        started = time.monotonic()
        result = run("--db", as_role(sample_db, group3), "log", mine, "--held", "20/11/2026")
        waited = time.monotonic() - started
    finally:
        release.cancel()
        holder.close()
    assert result.exit_code == 1 and result.stderr.startswith("Lỗi: Dữ liệu cần ghi đang bị một phiên")
    assert "Traceback" not in result.stderr
    assert 4 < waited < 20
    assert held_on(sample_db, mine) == before


@on_postgres_only
def test_the_office_without_createrole_grants_a_role_the_server_admin_created(sample_db, mine):
    """The README's set-up: postgres creates the database's owner and the groups' roles; the office's
    account, owner of every table but without CREATEROLE, runs grant-group."""
    office, role = (f"{name}_{uuid.uuid4().hex[:6]}" for name in ("office", "to3"))
    database = sample_db.rsplit("/", 1)[1]
    _admin(f"CREATE ROLE {office} LOGIN")
    _admin(f'ALTER DATABASE "{database}" OWNER TO {office}')
    with psycopg.connect(str(sample_db), autocommit=True) as conn:
        for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall():
            conn.execute(f'ALTER TABLE public."{table}" OWNER TO {office}')
    as_office = as_role(sample_db, office)

    result = run("--db", as_office, "db", "grant-group", "3", role)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"createuser --pwprompt --connection-limit={GROUP_CONNECTIONS} {role}" in result.stderr

    # the administrator's part (issue #16 §4): a bounded role, and no large objects for anyone
    _admin(f"CREATE ROLE {role} LOGIN")
    result = run("--db", as_office, "db", "grant-group", "3", role)
    assert result.exit_code == 1 and f"CONNECTION LIMIT {GROUP_CONNECTIONS}" in result.stderr
    _admin(f"ALTER ROLE {role} CONNECTION LIMIT {GROUP_CONNECTIONS}")
    result = run("--db", as_office, "db", "grant-group", "3", role)
    assert result.exit_code == 1 and revoke_large_objects() in result.stderr
    with psycopg.connect(str(sample_db), autocommit=True) as conn:
        conn.execute(revoke_large_objects())
    result = run("--db", as_office, "db", "grant-group", "3", role)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Đã cấp quyền tổ công tác số 3 cho tài khoản {role};")
    result = run("--db", as_role(sample_db, role), "log", mine, "--held", "20/11/2026")
    assert result.exit_code == 0, result.stderr
    assert held_on(sample_db, mine) == dt.date(2026, 11, 20)


@on_postgres_only
def test_grant_group_refuses_a_superuser_role(sample_db):
    result = run("db", "grant-group", "3", "postgres")
    assert result.exit_code == 1 and "quyền quản trị" in result.stderr


def test_grant_group_needs_postgresql(sample_db):
    if ON_POSTGRES:
        result = run("db", "grant-group", "3", "Tổ 3")
        assert result.exit_code == 1 and "không hợp lệ" in result.stderr
        result = run("db", "grant-group", "99", "to99")
        assert result.exit_code == 1 and "Không có tổ công tác số 99" in result.stderr
    else:
        before = digest(sample_db)
        result = run("db", "grant-group", "3", "to3")
        assert result.exit_code == 1 and "PostgreSQL" in result.stderr
        assert digest(sample_db) == before


@pytest.mark.parametrize("failures, raised", [(0, False), (2, False), (3, True)])
def test_grant_group_runs_again_when_autovacuum_updated_the_database_row(monkeypatch, failures, raised):
    """PostgreSQL refuses a GRANT on the database with "tuple concurrently updated" when autovacuum
    rewrote its catalogue row at that moment: the grant, one transaction, is run again (three tries)."""
    from sqlalchemy.exc import DBAPIError

    from congress.store import access

    calls = []

    def grant(engine, number, role):
        calls.append(number)
        if len(calls) <= failures:
            raise DBAPIError("REVOKE TEMPORARY ON DATABASE", {}, Exception("tuple concurrently updated"))
        return True

    monkeypatch.setattr(access, "_grant_group", grant)
    if raised:
        with pytest.raises(DBAPIError):
            access.grant_group(None, 4, "to4")
    else:
        assert access.grant_group(None, 4, "to4") is True
    assert len(calls) == min(failures + 1, access.GRANT_ATTEMPTS)


def test_grant_group_does_not_run_again_for_another_database_error(monkeypatch):
    from sqlalchemy.exc import DBAPIError

    from congress.store import access

    calls = []

    def grant(engine, number, role):
        calls.append(number)
        raise DBAPIError("GRANT", {}, Exception("permission denied for database"))

    monkeypatch.setattr(access, "_grant_group", grant)
    with pytest.raises(DBAPIError):
        access.grant_group(None, 4, "to4")
    assert calls == [4]
