"""A working group's PostgreSQL role reads everything and writes only its own organisations' congresses,
enforced by the database even against raw SQL."""
import uuid

import psycopg
import pytest

from conftest import ON_POSTGRES, digest, run

on_postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="row-level security is PostgreSQL's")


def as_role(db: str, role: str) -> str:
    scheme, rest = db.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


@pytest.fixture
def group3(sample_db):
    role = f"to3_{uuid.uuid4().hex[:6]}"
    result = run("db", "grant-group", "3", role)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Đã tạo tài khoản {role} cho tổ công tác số 3.")
    return role


def org_id(db, code):
    with psycopg.connect(str(db)) as conn:
        return conn.execute("SELECT id FROM organisation WHERE code = %s", (code,)).fetchone()[0]


@on_postgres_only
def test_a_group_logs_its_own_organisations_and_history_names_its_role(sample_db, group3):
    mine = "X.VINHBAO.08"  # unheld, but group 11's: give its committee to group 3 first
    assert run("group", "assign", "3", "X.VINHBAO").exit_code == 0
    result = run("--db", as_role(sample_db, group3), "log", mine, "--held", "20/11/2026")
    assert result.exit_code == 0, result.stderr
    history = run("history", mine, "--format", "json").stdout
    assert f'"user": "{group3}"' in history


@on_postgres_only
def test_the_database_refuses_another_groups_organisation_even_with_force(sample_db, group3):
    before = digest(sample_db)
    result = run("--db", as_role(sample_db, group3), "log", "X.VINHBAO", "--held", "20/11/2026", "--force")
    assert result.exit_code == 1
    assert "không được phép ghi việc này" in result.stderr and "Traceback" not in result.stderr
    assert digest(sample_db) == before


@on_postgres_only
def test_raw_sql_cannot_change_another_groups_organisation(sample_db, group3):
    other = org_id(sample_db, "X.VINHBAO")  # group 11
    before = digest(sample_db)
    with psycopg.connect(as_role(sample_db, group3), autocommit=True) as conn:
        updated = conn.execute("UPDATE congress SET held_on = '2026-11-20' WHERE organisation_id = %s", (other,))
        assert updated.rowcount == 0  # the row is invisible to an UPDATE by this role
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO congress (round_id, organisation_id, is_pilot) VALUES (1, %s, false)", (other,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM congress WHERE organisation_id = %s", (other,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE organisation SET working_group_id = NULL WHERE id = %s", (other,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO change (at, \"user\", organisation_id, action) VALUES (now(), 'x', %s, 'log')",
                         (other,))
        assert conn.execute("SELECT count(*) FROM congress").fetchone()[0] == 1964  # reads everything
    assert digest(sample_db) == before


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
