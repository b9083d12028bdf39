"""Is the register sound: `congress check` (SQLite's own checks of the file, then the register's rules),
read through the driver (congress.store.sql) in one snapshot; it never writes."""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from congress.domain.errors import Allow, CongressError
from congress.domain.rules import held_before_child, is_active_sql, is_held_sql, planned_after_deadline, round_start
from congress.domain.vn import day, level_noun, number, round_dates_messages
from congress.read.lookups import RoundInfo, deadlines_by_level, rounds
from congress.store.sql import Store, to_date


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


def check(store: Store, today: dt.date) -> Report:
    findings = _storage(store) if store.dialect == "sqlite" else []
    for round_ in sorted(rounds(store), key=lambda r: r.id):
        findings += _round_dates(store, round_)
        findings += _held_before_start(store, round_)
        findings += _planned_after_deadline(store, round_, today)
        findings += _held_before_children(store, round_)
    findings += _grassroots_without_committee(store)
    findings += _committees_without_group(store, today)
    return Report(findings, storage_checked=store.dialect == "sqlite")


def _storage(store: Store) -> list[Finding]:
    """SQLite's own checks: the file's structure, then every foreign key."""
    try:
        problems = [row[0] for row in store.rows("PRAGMA integrity_check")]
        keys = store.rows("PRAGMA foreign_key_check")
    except sqlite3.DatabaseError:
        # The pages the checks read are themselves damaged: nothing further can be trusted.
        raise CongressError(
            "Tệp cơ sở dữ liệu hỏng: SQLite không đọc được các trang dữ liệu của nó.", allow=Allow.RESTORE
        ) from None
    found = [Finding("Tệp cơ sở dữ liệu hỏng", None, None, p) for p in problems if p != "ok"]
    for table, rowid, parent, _ in keys:
        found.append(Finding("Tham chiếu hỏng", None, None, f"bảng {table}, dòng {rowid} trỏ tới {parent} không có"))
    return found


_CONGRESSES = (" FROM organisation o JOIN congress c ON c.organisation_id = o.id AND c.round_id = :round")


def _held_before_start(store: Store, round_: RoundInfo) -> list[Finding]:
    start = round_start(round_.starts_on, round_.name)
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


def _round_dates(store: Store, round_: RoundInfo) -> list[Finding]:
    """Dates `round set` refuses, but written before it checked every level, or by another tool."""
    return [
        Finding("Mốc thời gian nhiệm kỳ không khớp", None, None, f"nhiệm kỳ {round_.name}: {message}")
        for message in round_dates_messages(deadlines_by_level(store, round_))
    ]


def _planned_after_deadline(store: Store, round_: RoundInfo, today: dt.date) -> list[Finding]:
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
            f"({level_noun(level)})",
        )
        for code, name, level, planned_on in rows
        if planned_after_deadline(to_date(planned_on), by_level[level])
    ]


def _held_before_children(store: Store, round_: RoundInfo) -> list[Finding]:
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
        f" AND {is_active_sql('dissolved_on', ':today')}"
        # only in a tree the working groups direct: the Front's committees have none in this register
        " AND body IN (SELECT body FROM organisation WHERE working_group_id IS NOT NULL) ORDER BY code",
        today=today,
    )
    return [Finding("Đảng bộ trực thuộc chưa giao tổ công tác", code, name, "chưa có tổ công tác") for code, name in rows]
