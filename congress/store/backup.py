"""A copy of the database: SQLite's online backup while others keep writing; for PostgreSQL, the
pg_dump and pg_restore command lines an office runs itself (no password in them)."""
from __future__ import annotations

import os
import re
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from congress.domain.errors import CongressError
from congress.domain.vn import number
from congress.store.database import MARK, shown, sqlite_path, url_for
from congress.store.files import check_target, temporary_beside, unwritable


def backend(location: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url_for(location)).get_backend_name()
    except ArgumentError:
        raise CongressError(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {shown(location)}") from None


def pg_dump_command(location: str, target: str) -> str:
    """What an office runs instead: every connection parameter of the URL except the password."""
    return command_line(["pg_dump", "--format=custom", f"--file={target}", f"--dbname={libpq_url(location)}"])


def command_line(args: list[str]) -> str:
    """A command to paste into the shell: POSIX quoting, or on Windows double quotes, which cmd.exe
    and PowerShell both read (cmd.exe would pass single quotes on as part of the argument)."""
    if os.name != "nt":
        return shlex.join(args)
    return " ".join(f'"{arg}"' if re.search(r"[^\w@%+=:,./\\-]", arg) else arg for arg in args)


def libpq_url(location: str) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver name, no password."""
    from sqlalchemy.engine import URL, make_url

    url = make_url(location)
    bare = URL.create(
        "postgresql", username=url.username, host=url.host, port=url.port, database=url.database, query=url.query
    )
    return bare.render_as_string(hide_password=False)


@dataclass(frozen=True)
class Copy:
    organisations: int
    changes: int

    def __str__(self) -> str:
        return f"{number(self.organisations)} tổ chức, {number(self.changes)} dòng lịch sử"


def backup_sqlite(location: str, target: Path, *, force: bool) -> Copy:
    """SQLite's online backup: one consistent snapshot while others keep writing. The copy is made
    beside the target and renamed over it, so a failed backup never leaves a half-written file."""
    source = sqlite_path(location)
    if source is None or not source.is_file():
        raise CongressError(f"Không tìm thấy cơ sở dữ liệu {shown(location)}.")
    _check_target(source, target, force)
    src = _open_congress(source, location)
    temporary = temporary_beside(target)
    try:
        dst = sqlite3.connect(temporary)
        try:
            with dst:
                src.backup(dst)
            # a single self-contained file, readable even from read-only media
            dst.execute("PRAGMA journal_mode = DELETE")
            copy = Copy(*(dst.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("organisation", "change")))
        finally:
            dst.close()
        os.replace(temporary, target)
    except sqlite3.Error as error:
        raise CongressError(f"Sao lưu không thành công: {error}.") from None
    except OSError as error:
        raise unwritable(target, error) from None
    finally:
        src.close()
        if os.path.exists(temporary):
            os.unlink(temporary)
    return copy


def _check_target(source: Path, target: Path, force: bool) -> None:
    """What every output refuses (congress.store.files), and the database itself even with --force."""
    if target.is_file() and target.resolve() == source.resolve():
        raise CongressError(f"{target} chính là cơ sở dữ liệu đang dùng; hãy chọn tệp khác.")
    check_target(target, force=force)


def _open_congress(source: Path, location: str) -> sqlite3.Connection:
    # timeout: wait for a writer to finish rather than fail with "database is locked"
    connection = sqlite3.connect(source, timeout=30)
    try:
        mark = connection.execute("SELECT value FROM setting WHERE key = ?", (MARK[0],)).fetchone()
    except sqlite3.DatabaseError:
        mark = None
    if mark is None or mark[0] != MARK[1]:
        connection.close()
        raise CongressError(f"{shown(location)} không phải cơ sở dữ liệu của congress.")
    return connection

