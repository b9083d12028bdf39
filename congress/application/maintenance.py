"""Looking after the register: `check` (is it sound) and `backup` (a copy while others keep writing)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from congress.domain.errors import CongressError


def check(location: str, today: dt.date):
    """SQLite's own checks, then the register's rules, in one read snapshot (congress.read.check.Report)."""
    from congress.application.database import opened
    from congress.read.check import check

    with opened(location, write=False) as store:
        return check(store, today)


@dataclass(frozen=True)
class ServerCopy:
    """PostgreSQL: what the office runs itself, pg_dump's own consistent copy and how to restore it."""

    dump: str
    restore: str


def backup(location: str, target: str, *, force: bool):
    """SQLite: the copy written to `target` (congress.store.backup.Copy); PostgreSQL: the command lines."""
    from pathlib import Path

    from congress.store.backup import backend, backup_sqlite, command_line, pg_dump_command

    kind = backend(location)
    if kind == "postgresql":
        return ServerCopy(pg_dump_command(location, target), command_line(["pg_restore", "--dbname=URL", target]))
    if kind != "sqlite":
        raise CongressError(f"Chỉ sao lưu được SQLite và PostgreSQL, không phải «{kind}».")
    return backup_sqlite(location, Path(target), force=force)
