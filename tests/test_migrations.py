"""A database made by an older congress is refused until `congress db upgrade`, which keeps every record."""
import datetime as dt
import sqlite3

import pytest
from alembic import command
from sqlalchemy import inspect

from congress.store import migrate
from congress.store.database import SCHEMA_REVISION, make_engine
from conftest import ON_POSTGRES, _admin, _server_database, digest, run, sql, sqlite_only

SAME_COLUMNS = ("setting", "workinggroup")
# an organisation as the first revision knew it: no body, no place beside it (0009)
ORGANISATION_COLUMNS = ("id, code, name, search_name, level, kind, parent_id, working_group_id, party_members,"
                        " dissolved_on")
ROUNDLEVEL_COLUMNS = "id, round_id, level, target_on, deadline_on"
PARTY = "round_id = 1"  # an old register held one round, the Party's: the sample's first
# a congress as the first revision knew it: only its dates (its result came with 0007)
CONGRESS_COLUMNS = "id, round_id, organisation_id, planned_on, held_on, is_pilot, note"
# history as the first revision knew it: no command column yet
CHANGE_COLUMNS = "id, at, user, working_group, organisation_id, action, field, old_value, new_value, note"


def test_schema_revision_is_the_newest_migration():
    assert SCHEMA_REVISION == migrate.head()


def at_first_revision(path, sample) -> None:
    """The first revision's schema, filled with every row of the sample."""
    engine = make_engine(str(path))
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0001")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("ATTACH DATABASE ? AS sample", (str(sample),))
        conn.execute("INSERT INTO round (id, name, target_on, deadline_on, pilot_deadline_on) "
                     "SELECT id, name, target_on, deadline_on, pilot_deadline_on FROM sample.round WHERE id = 1")
        for table in SAME_COLUMNS:
            conn.execute(f'INSERT INTO "{table}" SELECT * FROM sample."{table}"')
        conn.execute(f"INSERT INTO organisation ({ORGANISATION_COLUMNS}) SELECT {ORGANISATION_COLUMNS}"
                     " FROM sample.organisation WHERE body = 'dang'")
        conn.execute(f"INSERT INTO roundlevel ({ROUNDLEVEL_COLUMNS}) SELECT {ROUNDLEVEL_COLUMNS}"
                     f" FROM sample.roundlevel WHERE {PARTY}")
        conn.execute(f"INSERT INTO congress ({CONGRESS_COLUMNS}) SELECT {CONGRESS_COLUMNS} FROM sample.congress"
                     f" WHERE {PARTY}")
        conn.execute(f"INSERT INTO change ({CHANGE_COLUMNS}) SELECT {CHANGE_COLUMNS} FROM sample.change"
                     f" WHERE (field IS NULL OR field NOT LIKE 'step:%') AND {PARTY}")


def rows(path, table, columns="*", where="1 = 1"):
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(f'SELECT {columns} FROM "{table}" WHERE {where}'))


@sqlite_only  # the fixture fills the old schema by attaching the sample file; every test database on
# PostgreSQL is itself built by running the migrations from the first revision
@pytest.mark.parametrize("stamped", [True, False], ids=["first revision", "before migrations existed"])
def test_upgrade_keeps_every_record(built_sample, tmp_path, stamped):
    old = tmp_path / "old.db"
    at_first_revision(old, built_sample)
    if not stamped:
        with sqlite3.connect(old) as conn:
            conn.execute("DROP TABLE alembic_version")
    before = digest(old)
    refused = run("--db", str(old), "status", "--overdue")
    assert refused.exit_code == 1 and "congress db upgrade" in refused.stderr
    assert digest(old) == before

    upgraded = run("--db", str(old), "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert upgraded.stdout.strip().endswith(f"→ {SCHEMA_REVISION}.")
    for table in SAME_COLUMNS:
        assert rows(old, table) == rows(built_sample, table), table
    # every organisation a Party unit, with no place beside it: as the sample's
    assert rows(old, "organisation") == rows(built_sample, "organisation", where="body = 'dang'")
    assert rows(old, "roundlevel") == rows(built_sample, "roundlevel", where=PARTY)
    # starts_on filled in by 0002; kind, term and closed by 0009: the Party's, 2025–2030, open
    assert rows(old, "round") == rows(built_sample, "round", where="id = 1")
    assert rows(old, "congress", CONGRESS_COLUMNS) == rows(built_sample, "congress", CONGRESS_COLUMNS, PARTY)
    # the round gets the default preparation steps, none done: the register never knew them
    assert rows(old, "preparation_step") == rows(built_sample, "preparation_step", where=PARTY)
    assert rows(old, "congress_step") == [] and rows(old, "congress", "count(committee_members)") == [(0,)]
    # every history line kept, and filed under the one round
    assert rows(old, "change", CHANGE_COLUMNS + ", round_id") == [
        row for row in rows(built_sample, "change", CHANGE_COLUMNS + ", round_id", PARTY)
        if not (row[6] or "").startswith("step:")]
    assert ": 6 tổ chức\n" in run("--db", str(old), "status", "--overdue").stdout
    again = run("--db", str(old), "db", "upgrade")
    assert "đã ở phiên bản mới nhất" in again.stdout


@pytest.fixture
def second_revision_db(tmp_path):
    """An empty register at revision 0002, before history named its commands."""
    if ON_POSTGRES:
        name, db = _server_database(None)
    else:
        db = tmp_path / "old.db"
    engine = make_engine(str(db))
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0002")
    engine.dispose()
    sql(db, "INSERT INTO setting (key, value) VALUES ('app', 'congress')")
    yield db
    if ON_POSTGRES:
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_upgrade_gives_old_history_one_command_per_user_second_and_action(second_revision_db):
    history = [  # (user, second, action): rows 1 and 2 were one command, as undo used to group them
        ("lan", 0, "group.assign"), ("lan", 0, "group.assign"), ("lan", 0, "org.edit"), ("minh", 0, "group.assign"),
        ("lan", 1, "group.assign"),
    ]
    for id_, (user, second, action) in enumerate(history, start=1):
        sql(second_revision_db, 'INSERT INTO change (id, at, "user", action, field) VALUES (:id, :at, :user, :action, :field)',
            id=id_, at=dt.datetime(2026, 11, 20, 8, 0, second), user=user, action=action, field="working_group_id")
    upgraded = run("--db", str(second_revision_db), "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert upgraded.stdout.strip().endswith(f"0002 → {SCHEMA_REVISION}.")
    commands = [c for (c,) in sql(second_revision_db, "SELECT command FROM change ORDER BY id")]
    assert commands == ["h1", "h1", "h3", "h4", "h5"]
    engine = make_engine(str(second_revision_db))
    indexes = {index["name"]: index["column_names"] for index in inspect(engine).get_indexes("change")}
    engine.dispose()
    assert indexes["ix_change_command"] == ["command"]
    assert indexes["ix_change_organisation_id_field_at"] == ["organisation_id", "field", "at"]


def test_a_database_from_a_newer_congress_is_refused(sample_db):
    sql(sample_db, "UPDATE alembic_version SET version_num = '9999'")
    result = run("status")
    assert result.exit_code == 1 and "phiên bản congress mới hơn" in result.stderr


def test_new_databases_are_at_the_newest_revision(sample_db):
    assert sql(sample_db, "SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]


@sqlite_only
def test_new_sqlite_databases_are_in_wal_mode(sample_db):
    with sqlite3.connect(sample_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_upgrade_adds_the_account_table_empty(second_revision_db):
    """0004 adds the browser's accounts; an upgraded register has none until `congress user add`."""
    upgraded = run("--db", str(second_revision_db), "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert sql(second_revision_db, "SELECT count(*) FROM account") == [(0,)]
