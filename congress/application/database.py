"""The database as a whole: where it is, how a job opens it, and the jobs on it as a whole — make it
(`init`, empty or the sample), bring it to the current schema (`db upgrade`), give a working group's
server account its rights (`db grant-group`). Imports stay inside the functions: `congress --help`
imports this module's callers and must not pay for SQLAlchemy."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager


def locate(option: str | None) -> str:
    """--db wins, then CONGRESS_DB, then data/congress.db (congress.store.database.locate)."""
    from congress.store.database import locate

    return locate(option)


def choose_round(typed: str | None):
    """Every job from here on reads and writes the round named `typed` (None: the default one); the token
    unchoose_round takes to undo it (a process that runs several commands, a web request)."""
    from congress.read.lookups import choose_round

    return choose_round(typed)


def unchoose_round(token) -> None:
    from congress.domain import vn
    from congress.read.lookups import unchoose_round

    unchoose_round(token)
    vn.LEVEL_LABELS.use({})  # levels are named again from the round the next job reads


def shown(location: str) -> str:
    """A location as a message prints it: a URL's password masked."""
    from congress.store.database import shown

    return shown(location)


# --- init ---------------------------------------------------------------------------------------


def held_by(location: str) -> str | None:
    """What `init` would wipe there: "postgresql" (a server: its own backup is pg_dump's), "sqlite" (a
    file that exists), or None (nothing to lose; creating refuses what is not a regular file)."""
    from congress.store.backup import backend
    from congress.store.database import sqlite_path

    if backend(location) == "postgresql":
        return "postgresql"
    path = sqlite_path(location)
    return "sqlite" if path is not None and path.is_file() else None


def pg_dump_command(location: str, target: str) -> str:
    """The pg_dump line an office runs to copy a server's register (no password in it)."""
    from congress.store.backup import pg_dump_command

    return pg_dump_command(location, target)


def copy_before_init(location: str, now: dt.datetime):
    """The SQLite file copied beside itself (…db.truoc-init-YYYYmmdd-HHMMSS.db) before it is wiped:
    returns the copy's path and what it holds (congress.store.backup.Copy)."""
    from congress.domain import vn
    from congress.store.backup import backup_sqlite
    from congress.store.database import sqlite_path

    path = sqlite_path(location)
    copy_path = path.with_name(f"{path.name}.truoc-init-{vn.file_stamp(now)}{path.suffix or '.db'}")
    return copy_path, backup_sqlite(location, copy_path, force=False)


def initialise(location: str, *, sample: bool, force: bool) -> None:
    """A new register with the current round, empty or the Hải Phòng sample."""
    from congress.writes.new_database import initialise

    initialise(location, sample=sample, force=force)


# --- db upgrade, db grant-group -------------------------------------------------------------------


def upgrade(location: str) -> tuple[str | None, str]:
    """Every migration the database lacks, in one transaction: the revisions before and after."""
    from congress.store import migrate
    from congress.store.database import open_database

    engine = open_database(location, write=True, check_schema=False)
    with _waiting_for_locks(engine):
        return migrate.upgrade(engine)


def grant_group(location: str, number: int, role: str) -> bool:
    """Working group `number`'s rights for the server account `role`; whether the account was made here."""
    from congress.store.access import grant_group
    from congress.store.database import open_database

    engine = open_database(location, write=True)
    with _waiting_for_locks(engine):
        return grant_group(engine, number, role)


@contextmanager
def _waiting_for_locks(engine):
    """Each session waits SERVER_OPTIONS's lock timeout at most; then the message names who holds the lock."""
    from sqlalchemy.exc import OperationalError

    from congress.store.database import lock_holders_error

    try:
        yield
    except OperationalError as error:
        if "lock timeout" not in str(error.orig).lower():
            raise
        raise lock_holders_error(engine) from None
    finally:
        engine.dispose()


@contextmanager
def opened(db, *, write: bool = True):
    """The one transaction of a job; without `write`, a look that takes no lock (an undo's plan
    before it is confirmed)."""
    from congress.store.sql import Store  # light: the DB-API store, no ORM

    if isinstance(db, Store):  # a page's snapshot of the register
        yield db
        return
    if not isinstance(db, str):
        yield Store.of_session(db)
        return
    with Store.writing(db) if write else Store.open(db) as store:
        yield store
