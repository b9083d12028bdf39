"""A database made by an older congress is refused until `congress db upgrade`, which keeps every record."""
import sqlite3

import pytest
from alembic import command

from congress import migrate
from congress.db import SCHEMA_REVISION, make_engine
from conftest import digest, run, sql, sqlite_only

SAME_COLUMNS = ("setting", "workinggroup", "organisation", "roundlevel", "congress", "change")


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
                     "SELECT id, name, target_on, deadline_on, pilot_deadline_on FROM sample.round")
        for table in SAME_COLUMNS:
            conn.execute(f'INSERT INTO "{table}" SELECT * FROM sample."{table}"')


def rows(path, table):
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(f'SELECT * FROM "{table}"'))


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
    assert rows(old, "round") == rows(built_sample, "round")  # starts_on filled in by the migration
    assert "Tổng: 6 tổ chức." in run("--db", str(old), "status", "--overdue").stdout
    again = run("--db", str(old), "db", "upgrade")
    assert "đã ở phiên bản mới nhất" in again.stdout


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
