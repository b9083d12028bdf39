"""Organising the round: its dates (`round set`) and the working groups that direct its committees
(`group add`, `group assign`). Each job is one transaction, committed at its end or not at all, so a
face says what was done only once it is done."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from congress.application import database
from congress.application.reads import round_facts
from congress.read import lookups
from congress.read.lookups import day_as_typed
from congress.writes import register


class RoundSet(NamedTuple):
    changed: bool
    facts: dict  # the round's dates as set (reads.round_facts)


def set_round(db: str, *, today: dt.date, target: str | None = None, deadline: str | None = None,
              pilot_deadline: str | None = None, level: str | None = None) -> RoundSet:
    """The round's dates as typed (a missing year is the round's); `level`: that level's own."""
    with database.opened(db) as store:

        def day(typed: str | None) -> dt.date | None:
            return day_as_typed(store, typed, today) if typed else None

        changed = register.set_round(store, register.Actor.current(), target_on=day(target),
                                     deadline_on=day(deadline), pilot_deadline_on=day(pilot_deadline), level=level)
        facts = round_facts(store, today=today)
    return RoundSet(changed, facts)


def add_round(db: str, *, today: dt.date, name: str, kind: str, term: str, start: str, target: str,
              deadline: str, pilot_deadline: str | None = None) -> str:
    """A new round, its dates as typed (a missing year is the first of its term); its name as stored."""
    from congress.domain import rules
    from congress.domain.dates import parse_date

    printed = rules.term_of(term)
    year = int(printed[:4]) if printed else today.year

    def day(typed: str | None) -> dt.date | None:
        return parse_date(typed, default_year=year, today=today) if typed else None

    with database.opened(db) as store:
        new_id = register.add_round(store, register.Actor.current(), name=name, kind=kind, term=term,
                                    starts_on=day(start), target_on=day(target), deadline_on=day(deadline),
                                    pilot_deadline_on=day(pilot_deadline))
        added = next(r.name for r in lookups.rounds(store) if r.id == new_id)
    return added


def add_kind(db: str, code: str, name: str, title: str) -> None:
    with database.opened(db) as store:
        register.add_kind(store, register.Actor.current(), code, name, title)


def kinds(db: str) -> list[dict]:
    """Every kind of round the register knows, with the levels of its tree (`round kinds`)."""
    with database.opened(db) as store:
        trees = lookups.level_trees(store)
        return [{"code": code, "name": name, "title": title, "levels": [n for _level, n in trees.get(code, ())]}
                for code, name, title in store.rows("SELECT code, name, title FROM round_kind ORDER BY code")]


def close_round(db: str, name: str, *, closed: bool = True) -> str:
    """A round closed (read-only) or, closed=False, opened again; what to tell the user."""
    with database.opened(db) as store:
        round_, changed = register.set_closed(store, register.Actor.current(), name, closed)
    if not changed:
        return f"Nhiệm kỳ «{round_.name}» {'đã khóa từ trước' if closed else 'đang mở'}; không có gì thay đổi."
    if closed:
        return f"Đã khóa nhiệm kỳ «{round_.name}»: từ nay chỉ xem, không ghi."
    return f"Đã mở lại nhiệm kỳ «{round_.name}»."


def add_group(db: str, number: int, name: str, leader: str | None) -> tuple[int, str]:
    """A new working group: its number and its name as stored."""
    with database.opened(db) as store:
        created = register.add_group(store, register.Actor.current(), number, name, leader)
        done = created.number, created.name
    return done


class Assigned(NamedTuple):
    group: int
    changed: int  # committees newly given to the group
    asked: int  # committees named


def assign_group(db: str, number: int, committees: list[str]) -> Assigned:
    """Committees, as typed, given to a working group."""
    with database.opened(db) as store:
        group = lookups.find_group(store, number)
        orgs = [lookups.find_organisation(store, text) for text in committees]
        done = Assigned(group.number, register.assign_group(store, register.Actor.current(), group, orgs), len(orgs))
    return done


# --- preparation steps ----------------------------------------------------------------------------


class StepRow(NamedTuple):
    """One line of `round steps`."""
    code: str
    name: str
    days_before: int
    retired: bool
    done: int  # congresses that have done it


def steps(db) -> list[StepRow]:
    """The round's preparation steps in order, retired ones too, each with how many congresses did it."""
    with database.opened(db, write=False) as store:
        round_ = lookups.current_round(store)
        done = dict(store.rows("SELECT step_id, count(*) FROM congress_step WHERE round_id = :round"
                               " AND done_on IS NOT NULL GROUP BY step_id", round=round_.id))
        found = [StepRow(s.code, s.name, s.days_before, s.retired, done.get(s.id, 0))
                 for s in lookups.steps(store, round_.id)]
    return found


def set_step(db, code: str, name: str | None, days_before: int | None) -> str:
    """A step added, renamed, given other days, or restored."""
    with database.opened(db) as store:
        round_ = lookups.writable_round(store)
        changed = register.add_step(store, register.Actor.current(), round_, code, name, days_before)
        step = lookups.find_step(store, round_.id, code)
    if not changed:
        return f"Bước «{step.code}»: không có gì thay đổi."
    return f"Đã ghi bước chuẩn bị «{step.code}» — {step.name}, {step.days_before} ngày trước đại hội."


def retire_step(db, code: str) -> str:
    with database.opened(db) as store:
        round_ = lookups.writable_round(store)
        changed = register.retire_step(store, register.Actor.current(), round_, code)
        step = lookups.find_step(store, round_.id, code)
    return (f"Đã ngừng dùng bước chuẩn bị «{step.code}»." if changed
            else f"Bước «{step.code}» đã ngừng dùng từ trước; không có gì thay đổi.")


def remove_step(db, code: str) -> str:
    with database.opened(db) as store:
        round_ = lookups.writable_round(store)
        step = lookups.find_step(store, round_.id, code)
        register.remove_step(store, register.Actor.current(), round_, code)
    return f"Đã xóa bước chuẩn bị «{step.code}»."
