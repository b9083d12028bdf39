"""The database refuses what the register refuses (issue #16 §4): congress_write, the function a group
role writes through, holds the windows and the note rule of congress.domain.rules, generated from them. One
table of cases drives the Python rule and, on PostgreSQL, the function as a group role's script calls it."""
import datetime as dt
import re
import uuid

import psycopg
import pytest

from conftest import ON_POSTGRES, digest, run
from test_access import MINE, as_role, grant, org_id

from congress.writes import register

from congress.domain import rules
from congress.domain.errors import CongressError

TODAY = dt.datetime.now(rules.VIETNAM).date()  # what the server's clock says in Vietnam: the database's today
DAY = dt.timedelta(days=1)
ESC = "\x1b[8m"

# (name, field, value, note, fits): value a date as the CLI's caller would write it, or a callable of
# (round start, level deadline) computing it from the round in the database
CASES = [
    ("held today", "held_on", lambda s, d: TODAY, None, True),
    ("held tomorrow", "held_on", lambda s, d: TODAY + DAY, None, False),
    ("held in 2099", "held_on", lambda s, d: dt.date(2099, 1, 1), None, False),
    ("held on the round's first day", "held_on", lambda s, d: s, None, True),
    ("held the day before the round", "held_on", lambda s, d: s - DAY, None, False),
    ("planned in 1900", "planned_on", lambda s, d: dt.date(1900, 1, 1), None, False),
    ("planned on the round's first day", "planned_on", lambda s, d: s, None, True),
    ("planned five years after the deadline", "planned_on",
     lambda s, d: d.replace(year=d.year + rules.PLANNED_YEARS_AFTER_DEADLINE), None, True),
    ("planned a day later still", "planned_on",
     lambda s, d: d.replace(year=d.year + rules.PLANNED_YEARS_AFTER_DEADLINE) + DAY, None, False),
    ("a note of lines and tabs", "planned_on", lambda s, d: s, "họp\tchi bộ\nlần 2", True),
    ("a note of the longest length", "planned_on", lambda s, d: s, "ạ" * rules.MAX_CELL_CHARS, True),
    ("a note one character longer", "planned_on", lambda s, d: s, "a" * (rules.MAX_CELL_CHARS + 1), False),
    ("a note of 100.000 characters with an escape", "planned_on", lambda s, d: s, ESC + "a" * 100_000, False),
    ("a note with an escape sequence", "planned_on", lambda s, d: s, f"họp {ESC}chi bộ", False),
    ("a note with a zero-width space", "planned_on", lambda s, d: s, "họp\u200bchi bộ", False),
    ("a note with a line separator", "planned_on", lambda s, d: s, "họp\u2028chi bộ", False),
    ("a note with a private-use character", "planned_on", lambda s, d: s, "họp\ue000", False),
    ("a note with an unassigned code point", "planned_on", lambda s, d: s, "họp\U0003ffff", False),
    ("a note with a DEL", "planned_on", lambda s, d: s, "họp\x7f", False),
]
IDS = [c[0] for c in CASES]
ROUND_START, DEADLINE = dt.date(2025, 1, 1), dt.date(2025, 8, 31)


def python_fits(field, day, note, starts, deadline):
    window = rules.held_window(starts, TODAY) if field == "held_on" else rules.planned_window(starts, deadline)
    return rules.outside(day, window) is None and (note is None or rules.note_fits(note))


@pytest.mark.parametrize("field, value, note, fits", [c[1:] for c in CASES], ids=IDS)
def test_the_python_rule(field, value, note, fits):
    assert python_fits(field, value(ROUND_START, DEADLINE), note, ROUND_START, DEADLINE) is fits
    if note is not None:  # the register's own cleaning says the same
        try:
            register.clean_note(note)
        except CongressError:
            assert not fits
        else:
            assert fits


def test_the_cli_refuses_an_escape_in_a_note_on_either_backend(sample_db):
    before = digest(sample_db)
    result = run("schedule", MINE, "15/12/2026", "--force", "--note", f"họp {ESC}chi bộ")
    assert result.exit_code == 1 and result.stderr.startswith("Lỗi:")
    assert digest(sample_db) == before


on_postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="congress_write is PostgreSQL's")




def round_dates(db, code):
    with psycopg.connect(str(db)) as conn:
        return conn.execute(
            "SELECT r.id, r.starts_on, r.name, coalesce(l.deadline_on, r.deadline_on) FROM round r"
            " JOIN organisation o ON o.code = %s AND o.body = r.kind LEFT JOIN roundlevel l ON l.round_id = r.id AND l.level = o.level",
            (code,),
        ).fetchone()




@on_postgres_only
@pytest.mark.parametrize("field, value, note, fits", [c[1:] for c in CASES], ids=IDS)
def test_the_database_as_a_group_role(sample_db, field, value, note, fits):
    assert run("group", "assign", "3", "X.VINHBAO").exit_code == 0
    role = grant(3)
    round_id, starts_on, name, deadline = round_dates(sample_db, MINE)
    starts = rules.round_start(starts_on, name) or rules.as_of_window()[0]
    day = value(starts, deadline)
    assert python_fits(field, day, note, starts, deadline) is fits
    mine = org_id(sample_db, MINE)
    before = digest(sample_db)
    with psycopg.connect(as_role(sample_db, role)) as conn:
        call = ("SELECT congress_write(%s, %s, %s, %s, %s, %s, %s)",
                (mine, round_id, "log" if field == "held_on" else "schedule", field, day.isoformat(), note,
                 uuid.uuid4().hex))
        if fits:
            conn.execute(*call)
            conn.rollback()
        else:
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute(*call)
    assert digest(sample_db) == before


@on_postgres_only
def test_a_group_role_creates_no_large_object_and_holds_few_connections(sample_db):
    role = grant(3)
    with psycopg.connect(as_role(sample_db, role)) as conn:
        for call in ("SELECT lo_create(0)", "SELECT lo_from_bytea(0, 'x')", "SELECT lo_creat(-1)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(call)
            conn.rollback()
    from congress.store.access import GROUP_CONNECTIONS

    held = [psycopg.connect(as_role(sample_db, role)) for _ in range(GROUP_CONNECTIONS)]
    try:
        with pytest.raises(psycopg.OperationalError, match="too many connections"):
            psycopg.connect(as_role(sample_db, role))
        assert run("status").exit_code == 0  # the office still gets in
    finally:
        for conn in held:
            conn.close()
    assert run("db", "grant-group", "3", role).exit_code == 0  # idempotent


@on_postgres_only
def test_an_idle_transaction_of_a_group_is_named_not_waited_for(sample_db):
    role = grant(3)
    idle = psycopg.connect(as_role(sample_db, role))
    idle.execute("SELECT count(*) FROM congress")  # and walks away, the transaction open
    try:
        result = run("db", "grant-group", "3", "to3_waits")  # ALTER TABLE waits for the reader's lock
    finally:
        idle.close()
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Dữ liệu đang bị giữ quá lâu bởi tài khoản " + role), result.stderr
    # since when, in Vietnam time: the transaction began a moment ago, not seven hours off (UTC)
    since = re.search(r" từ (\d\d:\d\d:\d\d \d\d/\d\d/\d{4})", result.stderr)[1]
    began = dt.datetime.strptime(since, "%H:%M:%S %d/%m/%Y").replace(tzinfo=rules.VIETNAM)
    assert abs(dt.datetime.now(rules.VIETNAM) - began) < dt.timedelta(hours=1), since
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_no_password_is_printed(tmp_path):
    url = "postgresql://to3:bimat123@127.0.0.1:1/khong_co"
    for result in (run("--db", url, "status"), run("--db", url, "db", "upgrade")):
        assert "bimat123" not in result.stdout + result.stderr and result.stderr.startswith("Lỗi:")


def test_the_last_resort_line_masks_the_url():
    from congress.cli.common import _unexpected

    try:
        raise RuntimeError("x")
    except RuntimeError as error:
        line = _unexpected(error, ["--db", "postgresql://to3:bimat123@host/db", "log"])
    assert "bimat123" not in line and "to3:***@host" in line


def role_connections(db, role) -> int:
    with psycopg.connect(str(db)) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (role,)).fetchone()[0]


@on_postgres_only
def test_sign_ins_of_one_role_share_one_engine_that_ends_with_the_last_login(sample_db):
    from flask import session
    from sqlalchemy import text

    from congress.web import create_app
    from congress.application.server import IDLE_HOURS
    from congress.web.auth import write_session

    role = grant(3)
    app = create_app(str(sample_db), today=dt.date(2026, 11, 21))
    backend = app.extensions["congress"]
    try:
        tokens = [backend.sign_in(role, "mat-khau-thu", "127.0.0.1") for _ in range(93)]
        assert len({id(backend.login(t).engine) for t in tokens}) == 1 and len(backend._role_engines) == 1
        with app.test_request_context("/"):
            session["login"] = tokens[0]
            with write_session() as db_session:
                assert db_session.execute(text("SELECT session_user")).scalar() == role
        assert role_connections(sample_db, role) == 0  # nothing kept open between writes
        for token in tokens[1:]:
            backend.sign_out(token)
        assert len(backend._role_engines) == 1  # the first login still holds it
        backend._logins[tokens[0]].seen -= IDLE_HOURS * 3600 + 1  # expires
        backend.sign_in(role, "mat-khau-thu", "127.0.0.1")  # a sign-in forgets the idle logins
        assert tokens[0] not in backend._logins and len(backend._role_engines) == 1
    finally:
        backend.close()
    assert backend._role_engines == {} and role_connections(sample_db, role) == 0


@on_postgres_only
@pytest.mark.parametrize("change", ["NOLOGIN", "VALID UNTIL '2000-01-01'"])
def test_a_role_that_may_no_longer_sign_in_ends_its_login_at_the_next_request(sample_db, change):
    from conftest import _admin
    from flask import session

    from congress.web import create_app
    from congress.web.auth import current_account

    role = grant(3)
    app = create_app(str(sample_db), today=dt.date(2026, 11, 21))
    backend = app.extensions["congress"]
    try:
        token = backend.sign_in(role, "mat-khau-thu", "127.0.0.1")
        with app.test_request_context("/"):
            session["login"] = token
            assert current_account() is not None
        _admin(f"ALTER ROLE {role} {change}")
        before = digest(sample_db)
        with app.test_client() as client:
            with client.session_transaction() as cookie:
                cookie["login"] = token
            answer = client.get("/")
            assert answer.status_code == 302 and "/dang-nhap" in answer.headers["Location"]
        assert token not in backend._logins and backend._role_engines == {}
        assert digest(sample_db) == before
    finally:
        backend.close()


@on_postgres_only
def test_a_write_signs_in_anew_and_ends_a_login_the_server_refuses(sample_db):
    """Between the request's check and its write the role is made NOLOGIN: the write's own sign-in is
    refused, the login ends, and the message says so (a new password is met the same way)."""
    from conftest import _admin
    from flask import session

    from congress.web import create_app
    from congress.application.server import SIGNED_OUT
    from congress.web.auth import current_login, write_session

    role = grant(3)
    app = create_app(str(sample_db), today=dt.date(2026, 11, 21))
    backend = app.extensions["congress"]
    try:
        token = backend.sign_in(role, "mat-khau-thu", "127.0.0.1")
        before = digest(sample_db)
        with app.test_request_context("/"):
            session["login"] = token
            assert current_login() is not None  # the request's check, passed
            _admin(f"ALTER ROLE {role} NOLOGIN")
            with pytest.raises(CongressError, match=SIGNED_OUT):
                with write_session():
                    pass
        assert token not in backend._logins and backend._role_engines == {}
        assert digest(sample_db) == before
    finally:
        backend.close()
