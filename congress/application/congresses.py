"""The office's and the groups' writes, one function per job: log, schedule, unlog a congress; add and
edit an organisation; undo one's last command. Each takes values as typed, opens and commits its one
transaction, and returns what to tell the user; the CLI and the browser only read their input and
show the result. The override policy, the scope check and the history row happen here, once, for
both faces.

`db` is where the register is: a location (the command line: its own transaction, committed here), a
web login's SQLAlchemy session, connected as the account's own role, whose caller commits, or (to
read) a Store already open."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import NamedTuple

from congress.application.database import opened
from congress.domain import rules
from congress.domain.errors import CongressError
from congress.domain.vn import number
from congress.read import lookups
from congress.store.sql import Store
from congress.writes import register
from congress.writes.register import Actor

ONLY_THE_OFFICE = "Chỉ văn phòng được ghi đè; tổ công tác ghi trong phạm vi của tổ."


@contextmanager
def about(field: str):
    """A refusal raised inside is about `field` (a face points at it), unless it says its own."""
    try:
        yield
    except CongressError as error:
        if error.field is None:
            error.field = field
        raise


def check_override(actor: Actor, force: bool) -> bool:
    """The override is the office's alone, whatever a group's browser sends (register.Actor.office)."""
    if force and not actor.office:
        raise CongressError(ONLY_THE_OFFICE, field="force")
    return force


def _organisation(store: Store, actor: Actor, typed: str, force: bool) -> lookups.Org:
    """The organisation as typed, within the actor's scope: checked once per write."""
    with about("organisation"):
        org = lookups.find_organisation(store, typed)
        register.check_scope(store, actor, org, force)
    return org


def _day(store: Store, typed: str, today: dt.date, field: str) -> dt.date:
    with about(field):
        return lookups.day_as_typed(store, typed, today)


def _note(text: str | None, field: str = "note", what: str = "Ghi chú") -> str | None:
    with about(field):
        return register.clean_note(text, what)


# --- one congress ---------------------------------------------------------------------------------


def log(db, actor: Actor, organisation: str, held: str, *, today: dt.date, note: str | None = None,
        force: bool = False) -> str:
    """A congress held on `held` (as typed)."""
    return _on_a_day(db, actor, "log", organisation, held, "held", today, note, force, lambda store, org, on, note: (
        register.log(store, actor, org, on, today=today, note=note, force=force, typed=held)))


def schedule(db, actor: Actor, organisation: str, planned: str, *, today: dt.date, note: str | None = None,
             pilot: bool | None = None, force: bool = False) -> str:
    """A congress planned for `planned` (as typed); `pilot` marks or unmarks a pilot congress."""
    return _on_a_day(db, actor, "schedule", organisation, planned, "planned", today, note, force,
                     lambda store, org, on, note: register.schedule(store, actor, org, on, note=note, pilot=pilot,
                                                                    force=force, typed=planned))


def _on_a_day(db, actor: Actor, action: str, organisation: str, typed: str, field: str, today: dt.date,
              note: str | None, force: bool, write) -> str:
    """log and schedule: the override, the organisation, the day as typed, the note, the scope (the
    order the command line has always refused them in), then `write(store, org, day, note)`; what to
    say once committed."""
    force = check_override(actor, force)
    with opened(db) as store:
        with about("organisation"):
            org = lookups.find_organisation(store, organisation)
        on = _day(store, typed, today, field)
        note = _note(note)
        with about("organisation"):
            register.check_scope(store, actor, org, force)
        with about(field):
            write(store, org, on, note)
    return register.said(action, org, on)  # only once the change is committed


def unlog(db, actor: Actor, organisation: str, *, reason: str | None, force: bool = False) -> str:
    """A congress logged by mistake, taken back; history keeps both."""
    force = check_override(actor, force)
    with opened(db) as store:
        org = _organisation(store, actor, organisation, force)
        with about("reason"):
            was = register.unlog(store, actor, org, reason=reason)
    return register.said("unlog", org, was)


def step(db, actor: Actor, organisation: str, code: str, *, today: dt.date, done: str | None = None,
         note: str | None = None, force: bool = False) -> str:
    """A preparation step done on `done` (as typed; None: today)."""
    from congress.domain import vn

    force = check_override(actor, force)
    with opened(db) as store:
        with about("organisation"):
            org = lookups.find_organisation(store, organisation)
        with about("code"):
            found = lookups.find_step(store, lookups.current_round(store).id, code)
        on = _day(store, done, today, "done") if done is not None else today
        note = _note(note)
        with about("organisation"):
            register.check_scope(store, actor, org, force)
        with about("done"):
            changed = register.record_step(store, actor, org, found, on, today=today, note=note, typed=done)
    if not changed:
        return f"{org.name} ({org.code}) đã ghi bước «{found.name}» ngày {vn.day(on)}; không có gì thay đổi."
    return f"Đã ghi: {org.name} ({org.code}) hoàn thành bước «{found.name}» ngày {vn.day(on)}."


def unstep(db, actor: Actor, organisation: str, code: str, *, reason: str | None, force: bool = False) -> str:
    """A step recorded by mistake, taken back; history keeps both."""
    from congress.domain import vn

    force = check_override(actor, force)
    with opened(db) as store:
        org = _organisation(store, actor, organisation, force)
        with about("code"):
            found = lookups.find_step(store, lookups.current_round(store).id, code)
        with about("reason"):
            was = register.withdraw_step(store, actor, org, found, reason=reason)
    return f"Đã rút lại bước «{found.name}» (ngày {vn.day(was)}) của {org.name} ({org.code})."


def _result_values(values: dict) -> dict:
    """The result's values as typed (ints, or the text of a choice), those given only."""
    given = {}
    for field, value in values.items():
        if value is None:
            continue
        if field not in rules.RESULT_FIELDS or field == "result_note":
            raise ValueError(f"not a result count or choice: {field}")
        given[field] = value.strip().lower() if isinstance(value, str) else value
    return given


def result(db, actor: Actor, organisation: str, *, today: dt.date, values: dict, note: str | None = None,
           force: bool = False) -> str:
    """What a held congress decided, in parts: only the values given change."""
    force = check_override(actor, force)
    given = _result_values(values)
    with opened(db) as store:
        org = _organisation(store, actor, organisation, force)
        note = _note(note)
        if not given and note is None:
            raise CongressError("Cần ghi ít nhất một số liệu kết quả.", field="result")
        changed = register.record_result(store, actor, org, given, today=today, note=note)
    if not changed:
        return f"{org.name} ({org.code}): kết quả đại hội không có gì thay đổi."
    return f"Đã ghi kết quả đại hội của {org.name} ({org.code}): {number(changed)} số liệu."


class Waiting(NamedTuple):
    shown: list  # the first few entries (congress.read.progress), earliest plan first
    total: int


def waiting_to_log(db, group: int | None, today: dt.date, shown: int) -> Waiting:
    """The organisations whose congress is not logged yet (a group's own, the office's all), earliest
    plan first: what a clerk logs next."""
    from congress.read.progress import Progress, Scope

    with opened(db, write=False) as store:
        pending = Progress(store, today, Scope(group=group), today=today).pending
    return Waiting(sorted(pending, key=lambda e: (e.planned_on is None, e.planned_on, e.code))[:shown], len(pending))


# --- organisations --------------------------------------------------------------------------------


def add_organisation(db, actor: Actor, *, code: str, name: str, level: str, kind: str, parent: str | None,
                     members: int | None) -> str:
    with opened(db) as store:
        with about("parent"):
            above = lookups.find_organisation(store, parent) if parent else None
        org = register.add_organisation(store, actor, code=code, name=name, level=level, kind=kind, parent=above,
                                        party_members=members)
    return f"Đã thêm {org.code} — {org.name}."


def edit_organisation(db, actor: Actor, organisation: str, *, today: dt.date, name: str | None = None,
                      kind: str | None = None, parent: str | None = None, members: int | None = None,
                      dissolved: str | None = None) -> str:
    """Only the values given change; history keeps the old ones."""
    with opened(db) as store:
        org = lookups.find_organisation(store, organisation)
        above = lookups.find_organisation(store, parent) if parent else None
        changed = register.edit_organisation(
            store, actor, org, name=name, kind=kind, parent=above, party_members=members,
            dissolved_on=_day(store, dissolved, today, "dissolved") if dissolved else None,
        )
        org = lookups.organisation(store, org.id)  # as it now reads
    return f"Đã sửa {org.code} — {org.name}." if changed else f"{org.code}: không có gì thay đổi."


# --- undo -----------------------------------------------------------------------------------------


class UndoPlan(NamedTuple):
    """What undo would put back, as the user reads it before confirming."""
    plan: object  # congress.writes.undo.Plan, given back to undo() unchanged
    described: str

    @property
    def change_ids(self) -> tuple[int, ...]:
        return self.plan.change_ids


def undo_plan(db, actor: Actor) -> UndoPlan:
    """The actor's last command and what undoing it would put back; writes nothing."""
    from congress.writes import undo as undoing

    with opened(db, write=False) as store:
        if actor.working_group is not None:
            lookups.find_group(store, actor.working_group)
        found = undoing.plan(store, actor)
    return UndoPlan(found, undoing.describe(found))


def undo(db, actor: Actor, expected: UndoPlan | tuple[int, ...]) -> None:
    """Undo what was planned (the plan, or the ids of its history rows as a page sent them back),
    refused if the actor has changed anything since."""
    from congress.writes import undo as undoing

    ids = expected.change_ids if isinstance(expected, UndoPlan) else tuple(expected)
    with opened(db) as store:
        undoing.apply(store, actor, ids)
