"""`congress undo`: put back what the current login's last command changed, as a new change in history.

A login's changes are the history rows bearing its author (register.author: a web account's id, the
command line's OS user, the PostgreSQL role), never its shown name: a new account given an old name
takes none of its history, and history from before authors were recorded (migration 0005) is nobody's.
"The last command" is every row bearing the command id of the login's newest row: a command makes one
id (register.Actor.current) and stamps it on all it writes, so an import of thousands of rows that ran
for minutes is undone whole. A row without an id falls back to the rows sharing its author, moment
and action. An undo's own rows are never offered for undo: it is written as the command
"undo:<the id it put back>", so the same change is never undone twice and undo is no redo. What a
working group may not write today (an organisation since moved to another group) it may not undo.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from sqlalchemy import text
from sqlmodel import Session, select

from congress.domain.errors import CongressError
from congress.store.schema import Change, Organisation, Round, RoundLevel, WorkingGroup
from congress.writes.register import (
    Actor, author, stored_text, congress_of, current_round, deadlines_by_level, group_role, lock, record,
    round_dates_messages, who, working_group_of, find_group,
)
from congress.domain.vn import ACTION_LABELS, FIELD_LABELS, fold, moment, number, stored_value

UNDO = "undo"
CONGRESS_FIELDS = {"planned_on", "held_on", "is_pilot"}
ORGANISATION_FIELDS = {"name", "kind", "parent_id", "party_members", "dissolved_on", "working_group_id"}
ROUND_FIELDS = {"target_on", "deadline_on", "pilot_deadline_on"}
DATE_FIELDS = {"planned_on", "held_on", "dissolved_on"} | ROUND_FIELDS
NUMBER_FIELDS = {"parent_id", "party_members", "working_group_id"}
UNDOABLE = {"schedule", "log", "unlog", "org.edit", "group.assign", "round.set", UNDO}
GROUP_ACTIONS = {"schedule", "log", "unlog", UNDO}  # all a working group's role can write
REFUSALS = {
    "org.add": "Thêm tổ chức không hoàn tác được: xóa một tổ chức có thể làm mất đại hội và lịch sử gắn với nó. "
    "Nếu thêm nhầm, sửa lại bằng «congress org edit» (tên, cấp trên) hoặc ghi ngày giải thể (--dissolved).",
    "group.add": "Lập tổ công tác không hoàn tác được: tổ có thể đã được giao đảng bộ. "
    "Nếu lập nhầm, sửa tên hoặc giao lại các đảng bộ bằng «congress group assign».",
}
_SCOPE = re.compile(r"cấp (\w+)")  # set_round notes a per-level override as "cấp LEVEL"
SHOWN = 10  # values listed before confirming: an import can change thousands, the first tell what it was


@dataclass(frozen=True)
class Step:
    """One value to put back."""

    change_id: int
    field: str
    organisation_id: int | None
    level: str | None  # a round's per-level override, or None for the round itself or an organisation
    where: str  # what users read: "X.VINHBAO Đảng bộ xã Vĩnh Bảo", "nhiệm kỳ 2025-2030, cấp city"
    now: str | None
    back_to: str | None
    shown: str  # "20/11/2026 → (trống)"


@dataclass(frozen=True)
class Plan:
    user: str
    command: str  # the id the undo is written under: "undo:" + the undone command's
    at: dt.datetime
    actions: tuple[str, ...]  # an import of organisations edits them and assigns groups
    steps: tuple[Step, ...]

    @property
    def change_ids(self) -> tuple[int, ...]:
        return tuple(s.change_id for s in self.steps)

    @property
    def label(self) -> str:
        return ", ".join(label(action) for action in self.actions)


def label(action: str) -> str:
    return "hoàn tác" if action == UNDO else ACTION_LABELS.get(action, action)


def plan(session: Session, actor: Actor) -> Plan:
    """What undo would do, refused if anything stands in the way. Writes nothing."""
    user = who(session, actor)  # as history shows them: the OS user, a web account, the database role
    identity = author(session, actor)
    last = session.exec(
        select(Change).where(Change.author == identity, Change.action != UNDO).order_by(Change.id.desc())
    ).first()
    if last is None:
        raise CongressError(f"Người dùng {user} chưa có thay đổi nào để hoàn tác.")
    command = f"{UNDO}:{last.command or f'h{last.id}'}"
    done = session.exec(select(Change).where(Change.author == identity, Change.command == command)).first()
    if done is not None:
        raise CongressError(
            f"Thay đổi gần nhất của {user} («{label(last.action)}» lúc {moment(last.at)}) đã được hoàn tác "
            f"lúc {moment(done.at)}; không còn gì để hoàn tác."
        )
    rows = _last_command(session, last)
    for row in rows:  # one value that cannot go back keeps the whole command as it is
        if row.action in REFUSALS:
            raise CongressError(f"Thay đổi gần nhất của {user} là «{label(row.action)}» lúc {moment(row.at)}. "
                                + REFUSALS[row.action])
        if row.action not in UNDOABLE or row.field is None:
            raise CongressError(
                f"Thay đổi gần nhất của {user} («{label(row.action)}» lúc {moment(row.at)}) không hoàn tác được."
            )
        _refuse_if_not_written_by(session, user, row)
    _refuse_outside_scope(session, actor, rows)
    ids = {row.id for row in rows}
    round_ = current_round(session)
    pending: dict[tuple, str | None] = {}  # a value this same command changed twice: the newer step's result
    steps = []
    for row in rows:  # newest first, so a value changed twice ends at its oldest
        level = _level(row)
        key = (row.organisation_id, level, row.field)
        target, where = _target(session, round_, row, level)
        now = pending[key] if key in pending else stored_text(getattr(target, row.field)) if target else None
        _refuse_if_changed_since(session, row, level, ids, where)
        if now != row.new_value:
            raise CongressError(
                f"{where}: {_field(row.field)} bây giờ là {_show(session, row.field, now)}, "
                f"không còn là {_show(session, row.field, row.new_value)} "
                "như lần thay đổi này đã ghi; không hoàn tác."
            )
        pending[key] = row.old_value
        shown = f"{_show(session, row.field, now)} → {_show(session, row.field, row.old_value)}"
        steps.append(Step(row.id, row.field, row.organisation_id, level, where, now, row.old_value, shown))
    actions = tuple(dict.fromkeys(row.action for row in reversed(rows)))  # in the order the command wrote them
    return Plan(user, command, last.at, actions, tuple(steps))


def describe(found: Plan) -> str:
    size = len(found.steps)
    lines = [f"Thay đổi gần nhất của {found.user}: {found.label}, lúc {moment(found.at)} ({number(size)} giá trị)."]
    lines += [f"  {s.where}: {_field(s.field)} {s.shown}" for s in found.steps[:SHOWN]]
    if size > SHOWN:
        lines.append(f"  … và {number(size - SHOWN)} giá trị khác.")
    return "\n".join(lines)


def apply(session: Session, actor: Actor, expected: Plan) -> None:
    """Plans again inside the writing transaction: the user may have taken a while to answer."""
    for organisation_id in sorted({s.organisation_id for s in expected.steps if s.organisation_id}):
        lock(session, session.get(Organisation, organisation_id))  # as log and schedule do
    found = plan(session, actor)
    if found.change_ids != expected.change_ids:
        raise CongressError(
            f"Trong lúc chờ xác nhận, {found.user} đã có thay đổi mới; không hoàn tác. Chạy lại «congress undo»."
        )
    round_ = current_round(session)
    note = f"hoàn tác «{found.label}» lúc {moment(found.at)}"
    actor = replace(actor, command=found.command)
    at = dt.datetime.now(dt.timezone.utc)
    for step in found.steps:
        row = session.get(Change, step.change_id)
        target, _ = _target(session, round_, row, step.level, create=True)
        value = _value(step.field, step.back_to)
        if step.field == "name":
            target.search_name = fold(value)
        old = getattr(target, step.field)
        setattr(target, step.field, value)
        session.add(target)
        # the scope stays first in the note so a later undo finds the same per-level row
        scoped = f"cấp {step.level}; {note}" if step.level else note
        record(session, actor, UNDO, organisation_id=step.organisation_id, field=step.field, old=old, new=value,
               note=scoped, at=at)
    if any(step.field in ROUND_FIELDS for step in found.steps):
        _check_round(session, round_)


# --- helpers ------------------------------------------------------------------------------------


def _last_command(session: Session, last: Change) -> list[Change]:
    """Every row of the command that wrote `last`, newest first."""
    if last.command is not None:
        same = (Change.command == last.command,)
    else:  # a row written without a command id: one moment, one action
        same = (Change.at == last.at, Change.action == last.action)
    return session.exec(select(Change).where(Change.author == last.author, *same).order_by(Change.id.desc())).all()


def _refuse_outside_scope(session: Session, actor: Actor, rows: list[Change]) -> None:
    """Scope as it is today, not as it was: a group undoes only what it may write now."""
    if group_role(session):  # the server's mapping, whatever the workstation says
        group = session.execute(text("SELECT public.congress_group()")).scalar()
    elif actor.working_group is not None:
        group = find_group(session, actor.working_group).number  # an unknown number is refused
    else:
        return  # the office
    for organisation_id in sorted({row.organisation_id for row in rows if row.organisation_id}):
        org = session.get(Organisation, organisation_id)
        own = working_group_of(session, org) if org else None
        if org is not None and (own is None or own.number != group):
            theirs = f"tổ công tác số {own.number}" if own else "không tổ công tác nào"
            raise CongressError(
                f"{org.name} ({org.code}) nay thuộc {theirs}, không còn thuộc tổ công tác số {group}; "
                "tổ không hoàn tác được thay đổi cũ của tổ chức này. Báo văn phòng nếu cần sửa lại."
            )


def _refuse_if_not_written_by(session: Session, user: str, row: Change) -> None:
    """History that congress cannot have written for this user is not acted on: a row dated ahead of
    the clock (written by hand, with the user's name and a date of its choosing), or, for a working
    group's role, anything but the congress values its server functions write (congress.store.access)."""
    ahead = row.at > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)  # a workstation's clock may run fast
    foreign = group_role(session) and (row.action not in GROUP_ACTIONS or row.field not in CONGRESS_FIELDS)
    if ahead or foreign:
        raise CongressError(
            f"Thay đổi gần nhất mang tên {user} («{label(row.action)}» lúc {moment(row.at)}) không do congress ghi "
            "cho tài khoản này; không hoàn tác. Báo văn phòng kiểm tra lịch sử."
        )


def _level(row: Change) -> str | None:
    if row.field not in ROUND_FIELDS or not row.note:
        return None
    found = _SCOPE.match(row.note)
    return found[1] if found else None


def _target(session: Session, round_: Round, row: Change, level: str | None, create: bool = False):
    """The object holding the changed value (None if it no longer exists), and how users name it."""
    if row.field in ROUND_FIELDS:
        where = f"nhiệm kỳ {round_.name}" + (f", cấp {level}" if level else "")
        if level is None:
            return round_, where
        override = session.exec(
            select(RoundLevel).where(RoundLevel.round_id == round_.id, RoundLevel.level == level)
        ).first()
        if override is None and create:
            override = RoundLevel(round_id=round_.id, level=level)
        return override, where
    org = session.get(Organisation, row.organisation_id) if row.organisation_id else None
    if org is None or row.field not in CONGRESS_FIELDS | ORGANISATION_FIELDS:
        raise CongressError(f"Thay đổi «{label(row.action)}» lúc {moment(row.at)} không hoàn tác được.")
    where = f"{org.code} {org.name}"
    if row.field in ORGANISATION_FIELDS:
        return org, where
    congress = congress_of(session, round_, org)
    return congress if congress.id is not None or create else None, where


def _refuse_if_changed_since(session: Session, row: Change, level: str | None, own: set[int], where: str) -> None:
    later = session.exec(
        select(Change)
        .where(Change.id > row.id, Change.organisation_id == row.organisation_id, Change.field == row.field)
        .order_by(Change.id.desc())
    ).all()
    later = [c for c in later if c.id not in own and _level(c) == level]
    if later:
        newest = later[0]
        group = f" (tổ công tác số {newest.working_group})" if newest.working_group else ""
        raise CongressError(
            f"{where}: {_field(row.field)} đã được {newest.user}{group} sửa lại lúc {moment(newest.at)} "
            f"({_show(session, row.field, newest.old_value)} → {_show(session, row.field, newest.new_value)}); "
            "không hoàn tác thay đổi cũ hơn đó."
        )


def _check_round(session: Session, round_: Round) -> None:
    found = round_dates_messages(deadlines_by_level(session, round_))
    if found:
        raise CongressError(f"Không hoàn tác được: {'; '.join(found)}.")


def _value(field: str, text: str | None):
    """A history value (as register stores it) back to the column's type."""
    if text is None:
        return None
    if field in DATE_FIELDS:
        return dt.date.fromisoformat(text)
    if field == "is_pilot":
        return text == "True"
    if field in NUMBER_FIELDS:
        return int(text)
    return text


def _field(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _show(session: Session, field: str, text: str | None) -> str:
    """A stored value as users know it: a group by its number, a parent by its code."""
    if text is None:
        return "(trống)"
    if field == "is_pilot":
        return "có" if text == "True" else "không"
    if field == "working_group_id":
        group = session.get(WorkingGroup, int(text))
        return str(group.number) if group else text
    if field == "parent_id":
        parent = session.get(Organisation, int(text))
        return parent.code if parent else text
    return stored_value(text)
