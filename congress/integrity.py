"""Is the database sound, and a copy of it: `congress check` and `congress backup`."""
from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from congress.db import MARK, sqlite_path, url_for
from congress.errors import CongressError
from congress.models import Congress, Organisation, Round
from congress.register import deadlines_by_level, round_dates_messages
from congress.rules import held_before_child
from congress.vn import LEVEL_LABELS, day, number


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
    for round_ in session.exec(select(Round).order_by(Round.id)).all():
        findings += _round_dates(session, round_)
        findings += _held_before_start(session, round_)
        findings += _planned_after_deadline(session, round_, today)
        findings += _held_before_children(session, round_)
    findings += _grassroots_without_committee(session)
    findings += _committees_without_group(session, today)
    return Report(findings, storage_checked=dialect == "sqlite")


def _storage(session: Session) -> list[Finding]:
    """SQLite's own checks: the file's structure, then every foreign key."""
    connection = session.connection()
    problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check").all()]
    found = [Finding("Tệp cơ sở dữ liệu hỏng", None, None, p) for p in problems if p != "ok"]
    for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check").all():
        found.append(Finding("Tham chiếu hỏng", None, None, f"bảng {table}, dòng {rowid} trỏ tới {parent} không có"))
    return found


def _held_before_start(session: Session, round_: Round) -> list[Finding]:
    start = round_start(round_)
    if start is None:
        return []
    rows = session.exec(
        select(Organisation.code, Organisation.name, Congress.held_on)
        .join(Congress, Congress.organisation_id == Organisation.id)
        .where(Congress.round_id == round_.id, Congress.held_on < start)
        .order_by(Organisation.code)
    ).all()
    return [
        Finding(
            "Ngày tổ chức trước khi nhiệm kỳ bắt đầu", code, name,
            f"tổ chức ngày {day(held_on)}, nhiệm kỳ {round_.name} bắt đầu {day(start)}",
        )
        for code, name, held_on in rows
    ]


def _round_dates(session: Session, round_: Round) -> list[Finding]:
    """Dates `round set` refuses, but written before it checked every level, or by another tool."""
    return [
        Finding("Mốc thời gian nhiệm kỳ không khớp", None, None, f"nhiệm kỳ {round_.name}: {message}")
        for message in round_dates_messages(deadlines_by_level(session, round_))
    ]


def _planned_after_deadline(session: Session, round_: Round, today: dt.date) -> list[Finding]:
    """Only congresses still to be held: once held, the planned date no longer matters."""
    found = []
    for level, deadlines in deadlines_by_level(session, round_).items():
        rows = session.exec(
            select(Organisation.code, Organisation.name, Congress.planned_on)
            .join(Congress, Congress.organisation_id == Organisation.id)
            .where(
                Congress.round_id == round_.id,
                Organisation.level == level,
                Congress.held_on.is_(None),
                Congress.planned_on > deadlines.deadline,
                or_(Organisation.dissolved_on.is_(None), Organisation.dissolved_on > today),
            )
            .order_by(Organisation.code)
        ).all()
        found += [
            Finding(
                "Ngày dự kiến sau hạn chót", code, name,
                f"dự kiến {day(planned_on)}, hạn chót {day(deadlines.deadline)} ({LEVEL_LABELS[level].lower()})",
            )
            for code, name, planned_on in rows
        ]
    return found


def _held_before_children(session: Session, round_: Round) -> list[Finding]:
    """A congress held before an active child's: the round runs bottom up. Only a child held later is
    a finding; a child never held is not (it shows as overdue in `status`, and `log` already refused
    the parent while it was unheld, unless forced), so a round may close with a few never held."""
    parent, child = aliased(Organisation, name="parent"), aliased(Organisation, name="child")
    parent_congress, child_congress = aliased(Congress, name="parent_congress"), aliased(Congress, name="child_congress")
    rows = session.exec(
        select(parent.code, parent.name, parent_congress.held_on, child.code, child.dissolved_on, child_congress.held_on)
        .join(parent_congress, parent_congress.organisation_id == parent.id)
        .join(child, child.parent_id == parent.id)
        .join(child_congress, child_congress.organisation_id == child.id)
        .where(
            parent_congress.round_id == round_.id,
            child_congress.round_id == round_.id,
            parent_congress.held_on.is_not(None),
            child_congress.held_on.is_not(None),
        )
        .order_by(parent.code, child_congress.held_on, child.code)
    ).all()
    later: dict[tuple[str, str, dt.date], list[str]] = {}
    for code, name, held_on, child_code, child_dissolved_on, child_held_on in rows:
        if held_before_child(held_on, child_held_on, child_dissolved_on):
            later.setdefault((code, name, held_on), []).append(f"{child_code} ngày {day(child_held_on)}")
    return [
        Finding(
            "Đại hội cấp trên tổ chức trước cấp dưới", code, name,
            f"tổ chức ngày {day(held_on)}, trước {number(len(children))} tổ chức cấp dưới: "
            + ", ".join(children[:3]) + (", …" if len(children) > 3 else ""),
        )
        for (code, name, held_on), children in later.items()
    ]


def _grassroots_without_committee(session: Session) -> list[Finding]:
    parent = aliased(Organisation, name="parent")
    rows = session.exec(
        select(Organisation.code, Organisation.name, parent.code, parent.level)
        .outerjoin(parent, parent.id == Organisation.parent_id)
        .where(Organisation.level == "grassroots", or_(parent.id.is_(None), parent.level != "committee"))
        .order_by(Organisation.code)
    ).all()
    return [
        Finding(
            "Tổ chức cơ sở đảng không thuộc đảng bộ trực thuộc nào", code, name,
            f"cấp trên {parent_code} là cấp «{parent_level}»" if parent_code else "không có cấp trên",
        )
        for code, name, parent_code, parent_level in rows
    ]


def _committees_without_group(session: Session, today: dt.date) -> list[Finding]:
    """A committee dissolved by today needs no working group."""
    rows = session.exec(
        select(Organisation.code, Organisation.name)
        .where(
            Organisation.level == "committee",
            Organisation.working_group_id.is_(None),
            or_(Organisation.dissolved_on.is_(None), Organisation.dissolved_on > today),
        )
        .order_by(Organisation.code)
    ).all()
    return [Finding("Đảng bộ trực thuộc chưa giao tổ công tác", code, name, "chưa có tổ công tác") for code, name in rows]


# --- backup -------------------------------------------------------------------------------------


def backend(location: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url_for(location)).get_backend_name()
    except ArgumentError:
        raise CongressError(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {location}") from None


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
        raise CongressError(f"Không tìm thấy cơ sở dữ liệu {location}.")
    _check_target(source, target, force)
    src = _open_congress(source, location)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
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
        raise CongressError(f"Không ghi được {target}: {error.strerror}.") from None
    finally:
        src.close()
        if os.path.exists(temporary):
            os.unlink(temporary)
    return copy


def _check_target(source: Path, target: Path, force: bool) -> None:
    if target.is_dir():
        raise CongressError(f"{target} là một thư mục; hãy chỉ tên tệp sao lưu.")
    if not target.parent.is_dir():
        raise CongressError(f"Không có thư mục {target.parent}.")
    if target.exists():
        if target.resolve() == source.resolve():
            raise CongressError(f"{target} chính là cơ sở dữ liệu đang dùng; hãy chọn tệp khác.")
        if not force:
            raise CongressError(f"Tệp {target} đã có. Dùng --force để ghi đè.")


def _open_congress(source: Path, location: str) -> sqlite3.Connection:
    # timeout: wait for a writer to finish rather than fail with "database is locked"
    connection = sqlite3.connect(source, timeout=30)
    try:
        mark = connection.execute("SELECT value FROM setting WHERE key = ?", (MARK[0],)).fetchone()
    except sqlite3.DatabaseError:
        mark = None
    if mark is None or mark[0] != MARK[1]:
        connection.close()
        raise CongressError(f"{location} không phải cơ sở dữ liệu của congress.")
    return connection


def describe_copy(copy: Copy) -> str:
    return f"{number(copy.organisations)} tổ chức, {number(copy.changes)} dòng lịch sử"
