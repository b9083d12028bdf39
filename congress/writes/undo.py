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

from typing import NamedTuple

from congress.domain import rules
from congress.domain.errors import Allow, CongressError
from congress.read import lookups
from congress.store.sql import Store, to_moment
from congress.writes import register
from congress.writes.register import (
    ROUND_STEP_FIELD, Actor, author, congress_of, group_role, lock, round_dates_messages, set_value, stored_congress,
    stored_text, who, write,
)
from congress.domain.vn import (
    ACTION_LABELS, STEP_FIELD, field_label, fold, moment, number, stored_value,
)

UNDO = "undo"
CONGRESS_FIELDS = {"planned_on", "held_on", "is_pilot"}
RESULT_FIELDS = set(rules.RESULT_FIELDS)  # on the congress row too
ORGANISATION_FIELDS = {"name", "kind", "parent_id", "party_members", "dissolved_on", "working_group_id"}
ROUND_FIELDS = {"target_on", "deadline_on", "pilot_deadline_on"}
DATE_FIELDS = {"planned_on", "held_on", "dissolved_on"} | ROUND_FIELDS
RESULT_NUMBERS = {"contents"} | set(rules.RESULT_COUNTS)
NUMBER_FIELDS = {"parent_id", "party_members", "working_group_id"} | RESULT_NUMBERS
# a congress's preparation step is the field "step:<code>" (its congress_step row); a round's step is
# ROUND_STEP_FIELD, its value the whole step (register.round_step_text)
UNDOABLE = {"schedule", "log", "unlog", "org.edit", "group.assign", "round.set", "step", "unstep", "result",
            "round.step", UNDO}
GROUP_ACTIONS = {"schedule", "log", "unlog", "step", "unstep", "result", UNDO}  # all a working group's role can write
REFUSALS = {  # why an addition stays, and what corrects it instead
    "org.add": ("Thêm tổ chức không hoàn tác được: xóa một tổ chức có thể làm mất đại hội và lịch sử gắn với nó.",
                Allow.EDIT_ORGANISATION),
    "group.add": ("Lập tổ công tác không hoàn tác được: tổ có thể đã được giao đảng bộ.", Allow.REASSIGN_GROUP),
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
    what: str  # the value as users name it: "ngày tổ chức", "bước «Quyết định triệu tập đại hội»"
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


class Change(NamedTuple):
    """One history row."""
    id: int
    at: dt.datetime
    user: str
    author: str | None
    working_group: int | None
    organisation_id: int | None
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None
    note: str | None
    command: str | None


_CHANGE = ('SELECT id, at, "user", author, working_group, organisation_id, action, field, old_value, new_value,'
           " note, command FROM change")


def _changes(store: Store, where: str, limit: str = "", **params) -> list[Change]:
    """History rows of the current round and the register's own (no round), newest first: undo works in
    one round, as history shows it."""
    mine = "(round_id = :undo_round OR round_id IS NULL)"
    return [Change(row[0], to_moment(row[1]), *row[2:])
            for row in store.rows(f"{_CHANGE} WHERE {mine} AND {where} ORDER BY id DESC {limit}",
                                  undo_round=lookups.current_round(store).id, **params)]


def _newest(store: Store, where: str, **params) -> Change | None:
    found = _changes(store, where, "LIMIT 1", **params)
    return found[0] if found else None


def label(action: str) -> str:
    return "hoàn tác" if action == UNDO else ACTION_LABELS.get(action, action)


def plan(store: Store, actor: Actor) -> Plan:
    """What undo would do, refused if anything stands in the way. Writes nothing."""
    lookups.writable_round(store)  # a closed round first: nothing in it may go back
    user = who(store, actor)  # as history shows them: the OS user, a web account, the database role
    identity = author(store, actor)
    last = _newest(store, "author = :author AND action <> :undo", author=identity, undo=UNDO)
    if last is None:
        raise CongressError(f"Người dùng {user} chưa có thay đổi nào để hoàn tác.")
    command = f"{UNDO}:{last.command or f'h{last.id}'}"
    done = _newest(store, "author = :author AND command = :command", author=identity, command=command)
    if done is not None:
        raise CongressError(
            f"Thay đổi gần nhất của {user} («{label(last.action)}» lúc {moment(last.at)}) đã được hoàn tác "
            f"lúc {moment(done.at)}; không còn gì để hoàn tác."
        )
    rows = _last_command(store, last)
    for row in rows:  # one value that cannot go back keeps the whole command as it is
        if row.action in REFUSALS:
            why, instead = REFUSALS[row.action]
            raise CongressError(f"Thay đổi gần nhất của {user} là «{label(row.action)}» lúc {moment(row.at)}. {why}",
                                allow=instead)
        if row.action not in UNDOABLE or row.field is None:
            raise CongressError(
                f"Thay đổi gần nhất của {user} («{label(row.action)}» lúc {moment(row.at)}) không hoàn tác được."
            )
        _refuse_if_not_written_by(store, user, row)
    _refuse_outside_scope(store, actor, rows)
    ids = {row.id for row in rows}
    round_ = lookups.current_round(store)
    pending: dict[tuple, str | None] = {}  # a value this same command changed twice: the newer step's result
    steps = []
    for row in rows:  # newest first, so a value changed twice ends at its oldest
        level = _level(row)
        key = (row.organisation_id, level, row.field, _round_step_code(row))
        stored, where = _now(store, round_, row, level)
        now = pending[key] if key in pending else stored
        what = _field(store, round_, row.field)
        _refuse_if_changed_since(store, row, level, ids, where, what)
        if now != row.new_value:
            raise CongressError(
                f"{where}: {what} bây giờ là {_show(store, row.field, now)}, "
                f"không còn là {_show(store, row.field, row.new_value)} "
                "như lần thay đổi này đã ghi; không hoàn tác."
            )
        if row.field == ROUND_STEP_FIELD and row.old_value is None:
            _refuse_if_recorded(store, round_, key[3])
        pending[key] = row.old_value
        shown = f"{_show(store, row.field, now)} → {_show(store, row.field, row.old_value)}"
        steps.append(Step(row.id, row.field, row.organisation_id, level, where, what, now, row.old_value, shown))
    actions = tuple(dict.fromkeys(row.action for row in reversed(rows)))  # in the order the command wrote them
    return Plan(user, command, last.at, actions, tuple(steps))


def describe(found: Plan) -> str:
    size = len(found.steps)
    lines = [f"Thay đổi gần nhất của {found.user}: {found.label}, lúc {moment(found.at)} ({number(size)} giá trị)."]
    lines += [f"  {s.where}: {s.what} {s.shown}" for s in found.steps[:SHOWN]]
    if size > SHOWN:
        lines.append(f"  … và {number(size - SHOWN)} giá trị khác.")
    return "\n".join(lines)


def apply(store: Store, actor: Actor, expected: tuple[int, ...]) -> None:
    """Plans again inside the writing transaction (the user may have taken a while to answer) and
    puts back the values of `expected`, the history rows the user saw."""
    for organisation_id in sorted({row.organisation_id for row in _by_ids(store, expected) if row.organisation_id}):
        lock(store, lookups.organisation(store, organisation_id))  # as log and schedule do
    found = plan(store, actor)
    if found.change_ids != tuple(expected):
        raise CongressError(f"Trong lúc chờ xác nhận, {found.user} đã có thay đổi mới; không hoàn tác.",
                            allow=Allow.UNDO_AGAIN)
    round_ = lookups.writable_round(store)
    note = f"hoàn tác «{found.label}» lúc {moment(found.at)}"
    actor = replace(actor, command=found.command)
    at = dt.datetime.now(dt.timezone.utc)
    by_id = {row.id: row for row in _by_ids(store, found.change_ids)}
    for step in found.steps:
        if step.field == ROUND_STEP_FIELD:
            register.restore_round_step(store, actor, UNDO, round_, _round_step_code(by_id[step.change_id]),
                                        step.back_to, note=note, at=at)
            continue
        if _is_step(step.field):
            org = lookups.organisation(store, step.organisation_id)
            done_on, step_note = _step_before(store, by_id[step.change_id])
            register.restore_step(store, actor, UNDO, org, _round_step(store, round_, step.field), done_on, step_note,
                                  why=note, at=at)
            continue
        table, target, _ = _target(store, round_, by_id[step.change_id], step.level, create=True)
        value = _value(step.field, step.back_to)
        if step.field == "name":
            set_value(store, "organisation", target.id, "search_name", fold(value))
        # the scope stays first in the note so a later undo finds the same per-level row
        scoped = f"cấp {step.level}; {note}" if step.level else note
        write(store, actor, UNDO, table, target.id, step.field, _stored(store, round_, target, step.field), value,
              organisation_id=step.organisation_id, note=scoped, at=at)
    if any(step.field in ROUND_FIELDS for step in found.steps):
        _check_round(store)


# --- helpers ------------------------------------------------------------------------------------


def _by_ids(store: Store, ids) -> list[Change]:
    found = []
    for start in range(0, len(ids), 500):  # a statement's parameters are bounded
        chunk = {f"i{n}": id_ for n, id_ in enumerate(ids[start:start + 500])}
        if chunk:
            found += _changes(store, f"id IN ({', '.join(':' + k for k in chunk)})", **chunk)
    return found


def _last_command(store: Store, last: Change) -> list[Change]:
    """Every row of the command that wrote `last`, newest first."""
    if last.command is not None:
        return _changes(store, "author = :author AND command = :command", author=last.author, command=last.command)
    # a row written without a command id: one moment, one action
    return _changes(store, "author = :author AND at = :at AND action = :action", author=last.author, at=last.at,
                    action=last.action)


def _refuse_outside_scope(store: Store, actor: Actor, rows: list[Change]) -> None:
    """Scope as it is today, not as it was: a group undoes only what it may write now."""
    if group_role(store):  # the server's mapping, whatever the workstation says
        group = store.value("SELECT public.congress_group()")
    elif actor.working_group is not None:
        group = lookups.find_group(store, actor.working_group).number  # an unknown number is refused
    else:
        return  # the office
    for organisation_id in sorted({row.organisation_id for row in rows if row.organisation_id}):
        org = lookups.organisation(store, organisation_id)
        own = lookups.working_group_of(store, org) if org else None
        if org is not None and (own is None or own.number != group):
            theirs = f"tổ công tác số {own.number}" if own else "không tổ công tác nào"
            raise CongressError(
                f"{org.name} ({org.code}) nay thuộc {theirs}, không còn thuộc tổ công tác số {group}; "
                "tổ không hoàn tác được thay đổi cũ của tổ chức này. Báo văn phòng nếu cần sửa lại."
            )


def _refuse_if_not_written_by(store: Store, user: str, row: Change) -> None:
    """History that congress cannot have written for this user is not acted on: a row dated ahead of
    the clock (written by hand, with the user's name and a date of its choosing), or, for a working
    group's role, anything but the congress values its server functions write (congress.store.access)."""
    ahead = row.at > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)  # a workstation's clock may run fast
    foreign = group_role(store) and (row.action not in GROUP_ACTIONS
                                     or not (row.field in CONGRESS_FIELDS | RESULT_FIELDS or _is_step(row.field)))
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


def _target(store: Store, round_, row: Change, level: str | None, create: bool = False):
    """The table and the row holding the changed value (None if it no longer exists), and how users name it."""
    if row.field in ROUND_FIELDS:
        where = f"nhiệm kỳ {round_.name}" + (f", cấp {level}" if level else "")
        if level is None:
            return "round", round_, where
        override = lookups.round_level(store, round_.id, level)
        if override.id is None:
            if not create:
                return "roundlevel", None, where
            override = override._replace(id=store.value(
                "INSERT INTO roundlevel (round_id, level) VALUES (:round, :level) RETURNING id",
                round=round_.id, level=level))
        return "roundlevel", override, where
    if row.field not in CONGRESS_FIELDS | RESULT_FIELDS | ORGANISATION_FIELDS:
        raise CongressError(f"Thay đổi «{label(row.action)}» lúc {moment(row.at)} không hoàn tác được.")
    org = _org_of(store, row)
    where = f"{org.code} {org.name}"
    if row.field in ORGANISATION_FIELDS:
        return "organisation", org, where
    congress = congress_of(store, round_, org)
    if create:
        return "congress", stored_congress(store, congress), where
    return "congress", congress if congress.id is not None else None, where


def _stored(store: Store, round_, target, field: str):
    """The value a row of _target holds now; a result's, on the congress row, past what lookups.Congress reads."""
    if field in RESULT_FIELDS:
        return getattr(lookups.result_of(store, round_.id, target.organisation_id), field)
    return getattr(target, field)


def _now(store: Store, round_, row: Change, level: str | None) -> tuple[str | None, str]:
    """The changed value as it stands, as history stores it (None: no such row any more), and where it is."""
    if row.field == ROUND_STEP_FIELD:
        found = _step_or_none(store, round_, _round_step_code(row))
        return register.round_step_text(found), f"nhiệm kỳ {round_.name}"
    if _is_step(row.field):
        org = _org_of(store, row)
        done = register.step_done(store, round_.id, org.id, _round_step(store, round_, row.field))
        return stored_text(done[0]) if done else None, f"{org.code} {org.name}"
    _, target, where = _target(store, round_, row, level)
    return (stored_text(_stored(store, round_, target, row.field)) if target else None), where


def _org_of(store: Store, row: Change):
    org = lookups.organisation(store, row.organisation_id) if row.organisation_id else None
    if org is None:
        raise CongressError(f"Thay đổi «{label(row.action)}» lúc {moment(row.at)} không hoàn tác được.")
    return org


def _is_step(field: str | None) -> bool:
    return field is not None and field.startswith(STEP_FIELD)


def _round_step_code(row: Change) -> str | None:
    """The code of the round's step a `round step` row changed (None for any other row)."""
    if row.field != ROUND_STEP_FIELD:
        return None
    return register.parse_round_step(row.new_value or row.old_value).code


def _step_or_none(store: Store, round_, code: str):
    return next((s for s in lookups.steps(store, round_.id) if s.code == code), None)


def _round_step(store: Store, round_, field: str):
    """The round's step a congress's "step:<code>" names (a step in use is never removed)."""
    return lookups.find_step(store, round_.id, field[len(STEP_FIELD):])


def _refuse_if_recorded(store: Store, round_, code: str) -> None:
    """Undoing the addition of a step removes it, as `round step --remove` would: not once it is in use."""
    found = _step_or_none(store, round_, code)
    used = register.step_in_use(store, found) if found else 0
    if used:
        raise CongressError(
            f"Bước chuẩn bị «{code}» đã được {number(used)} đại hội ghi từ khi thêm; không hoàn tác (xóa) được.",
            allow=Allow.RETIRE_ADDED_STEP, code=code)


def _step_before(store: Store, row: Change) -> tuple[dt.date | None, str | None]:
    """A congress's step as it was before history row `row` changed it: its day (the row's own old value)
    and its note, which no row keeps as an old value: the step's history is replayed up to `row`. A step
    recorded sets its note when it gives one; withdrawn, it keeps it; an undo puts back what stood before
    the rows it undid."""
    earlier = list(reversed(_changes(store, "organisation_id = :org AND field = :field AND id < :id",
                                     org=row.organisation_id, field=row.field, id=row.id)))
    before: dict[int, str | None] = {}  # each row's id: the note that stood before it
    note = None
    for change in earlier:
        before[change.id] = note
        if change.action == "step" and change.note:
            note = change.note
        elif change.action == UNDO and change.command:
            undone = change.command.removeprefix(f"{UNDO}:")
            firsts = [c.id for c in earlier if c.id < change.id and undone in (c.command, f"h{c.id}")]
            note = before[min(firsts)] if firsts else note
    return _value(row.field, row.old_value), note


def _refuse_if_changed_since(store: Store, row: Change, level: str | None, own: set[int], where: str,
                             what: str) -> None:
    if row.organisation_id is None:
        later = _changes(store, "id > :id AND organisation_id IS NULL AND field = :field", id=row.id, field=row.field)
    else:
        later = _changes(store, "id > :id AND organisation_id = :org AND field = :field", id=row.id,
                         org=row.organisation_id, field=row.field)
    code = _round_step_code(row)
    later = [c for c in later if c.id not in own and _level(c) == level and _round_step_code(c) == code]
    if later:
        newest = later[0]
        group = f" (tổ công tác số {newest.working_group})" if newest.working_group else ""
        raise CongressError(
            f"{where}: {what} đã được {newest.user}{group} sửa lại lúc {moment(newest.at)} "
            f"({_show(store, row.field, newest.old_value)} → {_show(store, row.field, newest.new_value)}); "
            "không hoàn tác thay đổi cũ hơn đó."
        )


def _check_round(store: Store) -> None:
    found = round_dates_messages(lookups.deadlines_by_level(store, lookups.current_round(store)))
    if found:
        raise CongressError(f"Không hoàn tác được: {'; '.join(found)}.")


def _value(field: str, text: str | None):
    """A history value (as register stores it) back to the column's type."""
    if text is None:
        return None
    if field in DATE_FIELDS or _is_step(field):
        return dt.date.fromisoformat(text)
    if field == "is_pilot":
        return text == "True"
    if field in NUMBER_FIELDS:
        return int(text)
    return text


def _field(store: Store, round_, field: str) -> str:
    step = _step_or_none(store, round_, field[len(STEP_FIELD):]) if _is_step(field) else None
    return field_label(field, {step.code: step.name} if step else None)


def _show(store: Store, field: str, text: str | None) -> str:
    """A stored value as users know it: a group by its number, a parent by its code, a round's step by its
    code, name and lead time."""
    if text is None:
        return "(trống)"
    if field == "is_pilot":
        return "có" if text == "True" else "không"
    if field == ROUND_STEP_FIELD:
        step = register.parse_round_step(text)
        return (f"«{step.code}» {step.name}, {number(step.days_before)} ngày trước đại hội"
                + (", đã ngừng dùng" if step.retired else ""))
    if field in RESULT_NUMBERS:
        return number(int(text))
    if field == "working_group_id":
        group = store.value("SELECT number FROM workinggroup WHERE id = :id", id=int(text))
        return str(group) if group is not None else text
    if field == "parent_id":
        parent = store.value("SELECT code FROM organisation WHERE id = :id", id=int(text))
        return parent if parent is not None else text
    return stored_value(text)
