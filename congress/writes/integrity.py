"""Is the database sound, and a copy of it: `congress check` and `congress backup`."""
from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from congress.store.database import MARK, shown, sqlite_path, url_for
from congress.domain.errors import CongressError
from congress.store.schema import Round
from congress.store.files import check_target, temporary_beside, unwritable
from congress.read.lookups import deadlines_by_level
from congress.writes.register import round_dates_messages
from congress.domain.rules import held_before_child, is_active_sql, is_held_sql, planned_after_deadline
from congress.store.sql import Store, to_date
from congress.domain.vn import LEVEL_LABELS, day, number


@dataclass(frozen=True)
class Finding:
    what: str
    code: str | None
    name: str | None
    value: str

    def __str__(self) -> str:
        where = f"{self.code} {self.name} — " if self.code else ""
        return f"{self.what}: {where}{self.value}"


@dataclass
class Report:
    findings: list[Finding]
    storage_checked: bool  # False on PostgreSQL, which has no integrity_check of its own


# --- check --------------------------------------------------------------------------------------


def round_start(round_: Round) -> dt.date | None:
    """The round's own start date; without one, a round named "2025-2030" is taken to start on
    1/1/2025, the first year of the term it elects. A round with neither is not checked."""
    if round_.starts_on is not None:
        return round_.starts_on
    found = re.match(r"(\d{4})\b", round_.name)
    return dt.date(int(found[1]), 1, 1) if found else None


def check(session: Session, today: dt.date) -> Report:
    dialect = session.get_bind().dialect.name
    findings = _storage(session) if dialect == "sqlite" else []
    store = Store.of_session(session)  # the register's rules in SQL, through the driver (congress.domain.rules)
    for round_ in session.exec(select(Round).order_by(Round.id)).all():
        findings += _round_dates(store, round_)
        findings += _held_before_start(store, round_)
        findings += _planned_after_deadline(store, round_, today)
        findings += _held_before_children(store, round_)
    findings += _grassroots_without_committee(store)
    findings += _committees_without_group(store, today)
    return Report(findings, storage_checked=dialect == "sqlite")


def _storage(session: Session) -> list[Finding]:
    """SQLite's own checks: the file's structure, then every foreign key."""
    from sqlalchemy.exc import DBAPIError

    connection = session.connection()
    try:
        problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check").all()]
        keys = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    except DBAPIError:
        # The pages the checks read are themselves damaged: nothing further can be trusted.
        raise CongressError(
            "Tệp cơ sở dữ liệu hỏng: SQLite không đọc được các trang dữ liệu của nó. "
            "Hãy khôi phục từ bản sao lưu gần nhất (congress backup) và báo cho người quản trị."
        ) from None
    found = [Finding("Tệp cơ sở dữ liệu hỏng", None, None, p) for p in problems if p != "ok"]
    for table, rowid, parent, _ in keys:
        found.append(Finding("Tham chiếu hỏng", None, None, f"bảng {table}, dòng {rowid} trỏ tới {parent} không có"))
    return found


_CONGRESSES = (" FROM organisation o JOIN congress c ON c.organisation_id = o.id AND c.round_id = :round")


def _held_before_start(store: Store, round_: Round) -> list[Finding]:
    start = round_start(round_)
    if start is None:
        return []
    rows = store.rows(
        "SELECT o.code, o.name, c.held_on" + _CONGRESSES
        + f" WHERE {is_held_sql('c.held_on', ':eve')} ORDER BY o.code",
        round=round_.id, eve=start - dt.timedelta(days=1),
    )
    return [
        Finding(
            "Ngày tổ chức trước khi nhiệm kỳ bắt đầu", code, name,
            f"tổ chức ngày {day(to_date(held_on))}, nhiệm kỳ {round_.name} bắt đầu {day(start)}",
        )
        for code, name, held_on in rows
    ]


def _round_dates(store: Store, round_: Round) -> list[Finding]:
    """Dates `round set` refuses, but written before it checked every level, or by another tool."""
    return [
        Finding("Mốc thời gian nhiệm kỳ không khớp", None, None, f"nhiệm kỳ {round_.name}: {message}")
        for message in round_dates_messages(deadlines_by_level(store, round_))
    ]


def _planned_after_deadline(store: Store, round_: Round, today: dt.date) -> list[Finding]:
    """Only congresses still to be held by organisations still active: once held, the plan no longer matters."""
    by_level = deadlines_by_level(store, round_)
    rows = store.rows(
        "SELECT o.code, o.name, o.level, c.planned_on" + _CONGRESSES
        + " WHERE c.held_on IS NULL AND c.planned_on IS NOT NULL"
        f" AND {is_active_sql('o.dissolved_on', ':today')} ORDER BY o.code",
        round=round_.id, today=today,
    )
    return [
        Finding(
            "Ngày dự kiến sau hạn chót", code, name,
            f"dự kiến {day(to_date(planned_on))}, hạn chót {day(by_level[level].deadline)} "
            f"({LEVEL_LABELS[level].lower()})",
        )
        for code, name, level, planned_on in rows
        if planned_after_deadline(to_date(planned_on), by_level[level])
    ]


def _held_before_children(store: Store, round_: Round) -> list[Finding]:
    """A congress held before an active child's: the round runs bottom up. Only a child held later is
    a finding; a child never held is not (it shows as overdue in `status`, and `log` already refused
    the parent while it was unheld, unless forced), so a round may close with a few never held."""
    rows = store.rows(
        "SELECT p.code, p.name, pc.held_on, ch.code, ch.dissolved_on, cc.held_on"
        " FROM organisation p JOIN congress pc ON pc.organisation_id = p.id AND pc.round_id = :round"
        " JOIN organisation ch ON ch.parent_id = p.id"
        " JOIN congress cc ON cc.organisation_id = ch.id AND cc.round_id = :round"
        " WHERE pc.held_on IS NOT NULL AND cc.held_on IS NOT NULL ORDER BY p.code, cc.held_on, ch.code",
        round=round_.id,
    )
    later: dict[tuple[str, str, dt.date], list[str]] = {}
    for code, name, held_on, child_code, child_dissolved_on, child_held_on in rows:
        held_on, child_held_on = to_date(held_on), to_date(child_held_on)
        if held_before_child(held_on, child_held_on, to_date(child_dissolved_on)):
            later.setdefault((code, name, held_on), []).append(f"{child_code} ngày {day(child_held_on)}")
    return [
        Finding(
            "Đại hội cấp trên tổ chức trước cấp dưới", code, name,
            f"tổ chức ngày {day(held_on)}, trước {number(len(children))} tổ chức cấp dưới: "
            + ", ".join(children[:3]) + (", …" if len(children) > 3 else ""),
        )
        for (code, name, held_on), children in later.items()
    ]


def _grassroots_without_committee(store: Store) -> list[Finding]:
    rows = store.rows(
        "SELECT o.code, o.name, p.code, p.level FROM organisation o LEFT JOIN organisation p ON p.id = o.parent_id"
        " WHERE o.level = 'grassroots' AND (p.id IS NULL OR p.level <> 'committee') ORDER BY o.code"
    )
    return [
        Finding(
            "Tổ chức cơ sở đảng không thuộc đảng bộ trực thuộc nào", code, name,
            f"cấp trên {parent_code} là cấp «{parent_level}»" if parent_code else "không có cấp trên",
        )
        for code, name, parent_code, parent_level in rows
    ]


def _committees_without_group(store: Store, today: dt.date) -> list[Finding]:
    """A committee dissolved by today needs no working group."""
    rows = store.rows(
        "SELECT code, name FROM organisation WHERE level = 'committee' AND working_group_id IS NULL"
        f" AND {is_active_sql('dissolved_on', ':today')} ORDER BY code",
        today=today,
    )
    return [Finding("Đảng bộ trực thuộc chưa giao tổ công tác", code, name, "chưa có tổ công tác") for code, name in rows]


# --- backup -------------------------------------------------------------------------------------


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


def describe_copy(copy: Copy) -> str:
    return f"{number(copy.organisations)} tổ chức, {number(copy.changes)} dòng lịch sử"
