"""Every test runs in its own folder, on its own database, on a fixed "today".

CONGRESS_TEST_DB=postgresql://… runs the suite on that PostgreSQL server: each test gets a
database of its own, cloned from a template holding the sample. Unset, the suite runs on SQLite.
"""
import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from congress.cli import main

TODAY = "2026-11-21"
SERVER = os.environ.get("CONGRESS_TEST_DB")
ON_POSTGRES = bool(SERVER)
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about SQLite files")


class ServerDatabase(str):
    """A database on the test PostgreSQL server; as a string, its URL (what --db takes)."""


def _url(name: str) -> str:
    return SERVER.rsplit("/", 1)[0] + "/" + name


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    for name in ("CONGRESS_DB", "CONGRESS_GROUP", "CONGRESS_ROUND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONGRESS_TODAY", TODAY)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample as an SQLite file, built once per test run by the product's own command."""
    from congress.writes.new_database import initialise

    path = tmp_path_factory.mktemp("sample") / "congress.db"
    initialise(str(path), sample=True, force=False)
    return path


@pytest.fixture(scope="session")
def server_sample():
    """The sample on the PostgreSQL server, as a template database to clone per test."""
    from congress.writes.new_database import initialise

    name = f"congress_sample_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    initialise(_url(name), sample=True, force=False)
    yield name
    _admin(f'DROP DATABASE "{name}" WITH (FORCE)')


def _server_database(template: str | None):
    name = f"congress_test_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name, ServerDatabase(_url(name))


@pytest.fixture
def sample_db(request, tmp_path, monkeypatch):
    if ON_POSTGRES:
        name, db = _server_database(request.getfixturevalue("server_sample"))
        monkeypatch.setenv("CONGRESS_DB", db)
        yield db
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')
        return
    path = tmp_path / "sample.db"
    shutil.copyfile(request.getfixturevalue("built_sample"), path)
    monkeypatch.setenv("CONGRESS_DB", str(path))
    yield path


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    from congress.writes.new_database import initialise

    if ON_POSTGRES:
        name, db = _server_database(None)
        initialise(db, sample=False, force=False)
        monkeypatch.setenv("CONGRESS_DB", db)
        yield db
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')
        return
    path = tmp_path / "empty.db"
    initialise(str(path), sample=False, force=False)
    monkeypatch.setenv("CONGRESS_DB", str(path))
    yield path


def run(*args: str, input: str | None = None, env: dict | None = None):
    """The real CLI, as a user calls it; stdout and stderr kept apart."""
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def hold_grassroots(committee: str, held: str, env: dict | None = None) -> None:
    """Logs, as the office, every grassroots congress of a committee not yet held: a round runs bottom up,
    so only then may the committee's own be logged."""
    listed = run("org", "list", "--committee", committee, "--level", "grassroots", "--format", "json", env=env)
    unheld = [row["code"] for row in json.loads(listed.stdout) if row["held_on"] is None]
    assert unheld, f"{committee} has no grassroots congress left to hold"
    for code in unheld:
        result = run("log", code, "--held", held, env=env)
        assert result.exit_code == 0, result.stderr


def digest(db) -> str:
    """What the database holds: an SQLite file's bytes, or every row of a server database."""
    if not isinstance(db, ServerDatabase):
        return hashlib.sha256(Path(db).read_bytes()).hexdigest()
    from sqlalchemy import MetaData, select

    from congress.store.database import make_engine

    engine = make_engine(db)
    tables = MetaData()
    tables.reflect(engine)
    content = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(tables.sorted_tables, key=lambda t: t.name):
            content.update(table.name.encode())
            for row in sorted(map(repr, conn.execute(select(table)))):
                content.update(row.encode())
    engine.dispose()
    return content.hexdigest()


def sql(db, statement: str, **params) -> list[tuple]:
    """Runs one SQL statement on the test database, whichever backend; returns the rows, if any."""
    from sqlalchemy import text

    from congress.store.database import make_engine

    engine = make_engine(str(db), write=True)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()
