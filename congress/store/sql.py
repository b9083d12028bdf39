"""The DB-API store: the backend's own driver (sqlite3, or psycopg for PostgreSQL), no ORM, for reads and writes.

Every command runs its SQL through a Store: a read on one snapshot (`Store.open`), a write in one
transaction committed at the end or not at all (`Store.writing`). What still holds a SQLAlchemy
session (an import, the office's other writes) hands its connection to a Store (`Store.of_session`),
so lookups and the register are written once and run inside that transaction. SQL is written with `:name` parameters; dates travel as ISO text,
which SQLite stores and compares as it is and PostgreSQL reads as a date where the column is one.
"""
from __future__ import annotations

import datetime as dt
import os
import re

from contextlib import contextmanager
from functools import lru_cache


_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


def to_date(value) -> dt.date | None:
    """A date as either driver returns it (SQLite: ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def to_moment(value) -> dt.datetime | None:
    """A history timestamp (stored in UTC, without a zone) as an aware datetime."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


@lru_cache(maxsize=16)  # a large write stamps its thousands of history rows with one moment
def sql_moment(at: dt.datetime) -> str:
    """A moment as history stores it (UTC, as SQLAlchemy writes it in SQLite), for comparisons."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


_AS_IS = frozenset({str, int, float, bool, type(None)})


def _bound(value):
    if type(value) in _AS_IS:  # most values: asked first, since an import binds 600.000 of them
        return value
    if isinstance(value, dt.datetime):
        return sql_moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Store:
    def __init__(self, connection, dialect: str, *, owned: bool):
        self.connection = connection
        self.dialect = dialect  # "sqlite" | "postgresql"
        self._owned = owned
        self.info: dict = {}  # what the server said once about this connection (congress.writes.register)

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, location: str, *, write: bool = False) -> "Store":
        """A look at an existing congress database at the current schema: read-only, or (write) the
        one transaction of a write, which `commit` ends (congress.store.sql.Store.writing)."""
        from congress.store.database import check_opened, explained, sqlite_file

        path = sqlite_file(location)
        with explained():  # the drivers' own errors: turned into the user's message, or re-raised
            if path is not None:
                store = cls._sqlite(location, path, write)
            else:
                store = cls._postgresql(location, write)
        try:
            check_opened(location, store.mark(), store.revision())
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _sqlite(cls, location: str, path: str, write: bool) -> "Store":
        import sqlite3

        from congress.store.database import BUSY_TIMEOUT_MS, missing_file

        if not os.path.isfile(path):
            raise missing_file(location)
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        if write:
            connection.execute("PRAGMA foreign_keys = ON")
        # One snapshot for the whole command; in WAL mode a reader waits for no writer. A write takes
        # the lock when it begins, so two offices logging at once wait for each other, never half-way.
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        return cls(connection, "sqlite", owned=True)

    @classmethod
    def _postgresql(cls, location: str, write: bool) -> "Store":
        import psycopg

        from congress.store.database import SERVER_OPTIONS

        # psycopg reads the URL itself; only SQLAlchemy's driver suffix has to go
        url = re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", location)
        connection = psycopg.connect(url, options=SERVER_OPTIONS)
        connection.read_only = not write
        return cls(connection, "postgresql", owned=True)

    @classmethod
    @contextmanager
    def writing(cls, location: str):
        """One write transaction: committed when the block ends, rolled back if it raises; a database
        error the user can act on (locked, read-only, disk full, refused by the server) becomes its message."""
        from congress.store.database import explained

        with cls.open(location, write=True) as store:
            with explained():
                yield store
                store.connection.commit()

    @classmethod
    def of_session(cls, session) -> "Store":
        """The connection of a SQLAlchemy session, inside its transaction (a write command's)."""
        connection = session.connection()
        return cls(connection.connection.driver_connection, connection.dialect.name, owned=False)

    def close(self) -> None:
        if self._owned:
            try:
                self.connection.rollback()
            finally:
                self.connection.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- queries ------------------------------------------------------------------------------

    def rows(self, sql: str, **params) -> list[tuple]:
        cursor = self._execute(sql, params)
        try:
            return cursor.fetchall() if cursor.description is not None else []
        finally:
            cursor.close()

    def change(self, sql: str, **params) -> int:
        """An INSERT, UPDATE or DELETE: how many rows it changed."""
        cursor = self._execute(sql, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def change_many(self, sql: str, rows) -> None:
        """One statement for many rows (an import's thousands of history rows), taken one at a time
        from any iterable, so 60.000 of them are never held at once. The rows are dicts; the driver is
        given tuples, which it binds in half the time."""
        names = _PARAM.findall(sql)
        if self.dialect == "postgresql":
            sql = _PARAM.sub("%s", sql.replace("%", "%%"))
        else:
            sql = _PARAM.sub("?", sql)
        cursor = self.connection.cursor()
        try:
            cursor.executemany(sql, ([_bound(row[name]) for name in names] for row in rows))
        finally:
            cursor.close()

    def _execute(self, sql: str, params: dict):
        if self.dialect == "postgresql":
            sql = _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, {k: _bound(v) for k, v in params.items()})
        except BaseException as error:
            cursor.close()
            if isinstance(error, Exception):  # locked, read-only, a full disk…: the user's message
                from congress.store.database import explain

                known = explain(error)
                if known is not None:
                    raise known from None
            raise
        return cursor

    def one(self, sql: str, **params):
        found = self.rows(sql, **params)
        return found[0] if found else None

    def value(self, sql: str, **params):
        found = self.one(sql, **params)
        return found[0] if found else None

    def as_date(self, expression: str) -> str:
        """History keeps values as text: SQLite compares ISO text as it is, PostgreSQL needs a date."""
        return expression if self.dialect == "sqlite" else f"CAST({expression} AS DATE)"

    # --- what every opening checks ------------------------------------------------------------

    def mark(self) -> str | None:
        from congress.store.database import MARK, explain

        try:
            return self.value("SELECT value FROM setting WHERE key = :key", key=MARK[0])
        except Exception as error:
            known = explain(error)
            if known is not None and "không phải" not in str(known):
                raise known from None
            self._recover()
            return None

    def revision(self) -> str | None:
        try:
            return self.value("SELECT version_num FROM alembic_version")
        except Exception:
            self._recover()
            return None

    def _recover(self) -> None:
        """After a failed statement PostgreSQL refuses the rest of the transaction."""
        if self.dialect == "postgresql":
            self.connection.rollback()
