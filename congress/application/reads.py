"""The read jobs, one function per thing a user looks at: the status, a list of congresses not yet
held, an organisation, the organisations, the working groups and one of them, the history, the
pilots, the round, the web's overview and its search. Both faces call them.

Each takes what was asked as typed (the as-of day, the filters, limits), today, and `db`: a database
location, or a Store already open (the web reads one snapshot per request). It reads, and returns
plain results (figures, rows, titles) for the face to lay out."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import NamedTuple

from congress.domain import vn
from congress.domain.errors import Allow, CongressError
from congress.domain import rules
from congress.domain.rules import Deadlines
from congress.presentation.listings import (
    PREPARATION, UPCOMING, Listing, behind_rows, committee_rows, describe_standing, entry_rows, group_rows,
    history_rows, level_rows, pilot_rows, result_rows,
)
from congress.presentation.summary import COUNTED, Summary, summarise
from congress.read import lookups
from congress.read.progress import Progress, Scope, changes
from congress.store.sql import Store, to_date


@contextmanager
def _reading(db: str | Store):
    if isinstance(db, Store):
        yield db
        return
    with Store.open(db) as store:
        yield store


def _day(store: Store, typed: str | None, today: dt.date) -> dt.date:
    """The as-of day as typed; nothing typed is today."""
    return lookups.as_of_day(store, typed, today) if typed else today


def day(db, typed: str | None, *, today: dt.date) -> dt.date:
    """A day asked for (as of, since, issued on), as typed; nothing typed is today."""
    with _reading(db) as store:
        return _day(store, typed, today)


def choices(db) -> tuple[list, list]:
    """What a filter can choose: the working groups (number, name) and the committees (code, name)."""
    with _reading(db) as store:
        return (store.rows("SELECT number, name FROM workinggroup ORDER BY number"),
                store.rows("SELECT code, name FROM organisation WHERE level = 'committee' ORDER BY code"))


def scope_for(store: Store, level: str | None, group: int | None, committee: str | None) -> Scope:
    """Filters as typed → a Scope; an unknown group or organisation is refused, not ignored."""
    if group is not None:
        lookups.find_group(store, group)
    committee_id = None
    if committee:
        org = lookups.find_organisation(store, committee)
        if org.level != "committee":
            raise CongressError(f"{org.name} không phải đảng bộ trực thuộc.", allow=Allow.COMMITTEE,
                                field="committee")
        committee_id = org.id
    return Scope(level=level, group=group, committee_id=committee_id)


def _scope_text(store: Store, scope: Scope) -> str:
    parts = []
    if scope.level:
        parts.append(vn.level_noun(scope.level))
    if scope.group is not None:
        parts.append(f"tổ công tác số {scope.group}")
    if scope.committee_id is not None:
        parts.append(lookups.organisation(store, scope.committee_id).name)
    return ", ".join(parts)


# --- the status and its lists -------------------------------------------------------------------


def status(db, *, today: dt.date, as_of: str | None = None, level: str | None = None, group: int | None = None,
           committee: str | None = None, as_recorded: bool = False) -> Summary:
    with _reading(db) as store:
        day = _day(store, as_of, today)
        scope = scope_for(store, level, group, committee)
        progress = Progress(store, day, scope, as_recorded=as_recorded, today=today)
        return summarise(progress, _scope_text(store, scope))


def listing(db, kind: str, *, today: dt.date, as_of: str | None = None, days: int | None = None,
            level: str | None = None, group: int | None = None, committee: str | None = None,
            as_recorded: bool = False) -> Listing:
    """kind: overdue, late, at_risk, upcoming (the next `days` days, the as-of day first) or preparation
    (behind in preparation, the nearest congress first)."""
    with _reading(db) as store:
        day = _day(store, as_of, today)
        progress = Progress(store, day, scope_for(store, level, group, committee), as_recorded=as_recorded,
                            today=today)
        if kind == PREPARATION:
            rows = behind_rows(progress.behind)
        else:
            rows = entry_rows(progress.upcoming(days) if kind == UPCOMING else progress.listing(kind))
        return Listing(kind, days if kind == UPCOMING else None, progress.as_of, as_recorded, rows, progress.sample)


class ResultsView(NamedTuple):
    """`status --results`: the results of the congresses held, per level and per working group."""

    round_name: str
    as_of: dt.date
    as_recorded: bool
    scope_text: str
    levels: list[dict]  # result_rows
    groups: list[dict]
    sample: bool


def results(db, *, today: dt.date, as_of: str | None = None, level: str | None = None, group: int | None = None,
            committee: str | None = None, as_recorded: bool = False) -> ResultsView:
    with _reading(db) as store:
        day = _day(store, as_of, today)
        scope = scope_for(store, level, group, committee)
        progress = Progress(store, day, scope, as_recorded=as_recorded, today=today)
        return ResultsView(progress.round.name, progress.as_of, as_recorded, _scope_text(store, scope),
                           result_rows(progress.results("level")), result_rows(progress.results("group")),
                           progress.sample)


class Overview(NamedTuple):
    """The web's first page: the status with the brief's charts and forecasts."""

    round_name: str
    as_of: dt.date
    levels: list[dict]
    deadlines: Deadlines  # the grassroots'
    pilots: list[dict]
    groups: list[dict]
    counts: dict
    behind: int  # congresses behind in preparation (Progress.behind)
    charts: list
    forecasts: list
    sample: bool


def overview(db, *, today: dt.date, as_of: str | None = None) -> Overview:
    from congress.presentation.brief import charts, forecasts, level_figures

    with _reading(db) as store:
        progress = Progress(store, _day(store, as_of, today), today=today)
        standings = progress.standings()
        levels = level_figures(progress)
        return Overview(
            progress.round.name, progress.as_of, level_rows([level.progress for level in levels]),
            progress.deadlines["grassroots"], pilot_rows(progress.pilots()), group_rows(progress.groups()),
            {s: standings[s] for s in COUNTED}, len(progress.behind), charts(levels, progress.as_of), forecasts(levels),
            progress.sample,
        )


# --- one organisation, the organisations ------------------------------------------------------


class OrganisationView(NamedTuple):
    facts: dict  # what `org show --format json` prints
    children: list[dict] | None  # the city's committees (committee_rows), a committee's grassroots (as org list)
    history: list[dict] | None  # its latest changes (history_rows), when asked
    elsewhere: bool = False  # shown in its own round, not the one chosen: nothing of it is written here


def organisation(db, text: str, *, today: dt.date, as_of: str | None = None, as_recorded: bool = False,
                 children: bool = False, history: int | None = None) -> OrganisationView:
    """One organisation as typed (code or name) and its congress; `children` and `history` (the number
    of changes) add what its page shows below it."""
    with _reading(db) as store:
        day = _day(store, as_of, today)
        org = lookups.find_organisation(store, text)
        token = _own_round(store, org)
        try:
            return _organisation(store, org, day, today, as_recorded, children, history)._replace(
                elsewhere=token is not None)
        finally:
            if token is not None:
                lookups.unchoose_round(token)


def _own_round(store: Store, org: lookups.Org):
    """A unit shown outside its round (a Front committee while the Party's round is current) is shown in
    the first round of its own kind; the token to undo that choice, else None."""
    if org.body == lookups.current_round(store).kind:
        return None
    own = [r for r in lookups.rounds(store) if r.kind == org.body]
    return lookups.choose_round(lookups.default_round(own).name) if own else None


def other_rounds(store: Store, org: lookups.Org, round_, day: dt.date) -> list[dict]:
    """Its congresses in the other rounds, and those of the units that stand for the same place (xã Gia
    Lộc's party committee and its Front committee), as of `day`."""
    places = store.rows("SELECT id FROM organisation WHERE id <> :id AND (id = :place OR same_place_id = :id"
                        " OR (same_place_id IS NOT NULL AND same_place_id = :place))",
                        id=org.id, place=org.same_place_id)
    units = [org] + [lookups.organisation(store, id_) for (id_,) in places]
    found = []
    for other in lookups.rounds(store):
        for unit in units:
            if unit.body != other.kind or (unit.id, other.id) == (org.id, round_.id):
                continue
            row = store.one("SELECT planned_on, held_on FROM congress WHERE round_id = :round AND organisation_id = :id",
                            round=other.id, id=unit.id)
            planned_on, held_on = (to_date(row[0]), to_date(row[1])) if row else (None, None)
            found.append({"round": other.name, "code": unit.code, "name": unit.name, "planned_on": planned_on,
                          "held_on": held_on if rules.is_held(held_on, day) else None})
    return found


def _organisation(store: Store, org: lookups.Org, day: dt.date, today: dt.date, as_recorded: bool, children: bool,
                  history: int | None) -> OrganisationView:
    progress = Progress(store, day, as_recorded=as_recorded, today=today)
    planned_on, held_on, pilot, note, assessment = progress.congress_of(org)
    parent = lookups.organisation(store, org.parent_id) if org.parent_id else None
    group = lookups.working_group_of(store, org)
    facts = {
        "code": org.code,
        "name": org.name,
        "level": org.level,
        "kind": org.kind,
        "parent": {"code": parent.code, "name": parent.name} if parent else None,
        "working_group": {"number": group.number, "name": group.name} if group else None,
        "party_members": org.party_members,
        "dissolved_on": org.dissolved_on,
        "round": progress.round.name,
        "as_of": progress.as_of,
        "congress": {
            "planned_on": planned_on,
            "held_on": held_on,
            "is_pilot": pilot,
            "note": note,
            "standing": assessment.standing.value if assessment else None,
            "reason": assessment.reason.value if assessment and assessment.reason else None,
            "days_overdue": assessment.days_overdue if assessment else None,
            "standing_text": describe_standing(assessment) if assessment else None,
        },
        "steps": [step._asdict() for step in progress.steps_of(org, planned_on, held_on)],
        "result": result._asdict() if (result := progress.result_of(org, held_on)) else None,
        "other_rounds": other_rounds(store, org, progress.round, progress.as_of),
    }
    below = None
    if children and org.level == "city":
        below = [r for r in committee_rows(progress.committees())
                 if r["code"] in {c for (c,) in store.rows("SELECT code FROM organisation WHERE parent_id = :id",
                                                           id=org.id)}]
    elif children and org.level == "committee":
        below = Progress(store, progress.as_of, Scope(level="grassroots", committee_id=org.id),
                         today=today).organisations()
    latest = history_rows(changes(store, org.id, history), step_names(store)) if history else None
    return OrganisationView(facts, below, latest)


class Organisations(NamedTuple):
    rows: list[dict]
    empty: str  # what an empty list says: nothing matched, and the closest names


def organisations(db, *, today: dt.date, level: str | None = None, group: int | None = None,
                  committee: str | None = None, search: str | None = None) -> Organisations:
    """The register as stored, in scope, whose names hold `search` (typed with or without diacritics)."""
    with _reading(db) as store:
        rows = Progress(store, today, scope_for(store, level, group, committee), today=today).organisations(search)
        return Organisations(rows, "Không có tổ chức nào khớp." + (
            lookups.closest_text(store, search) if search and not rows else ""))


class Found(NamedTuple):
    code: str | None  # what was typed is this code exactly (any case): the search is that organisation
    rows: list[dict]  # otherwise the organisations whose names hold it
    near: list[dict]  # when none does: the closest names, code and name


def search(db, typed: str, *, today: dt.date) -> Found:
    with _reading(db) as store:
        by_code = store.one("SELECT code FROM organisation WHERE upper(code) = :code", code=typed.upper())
        if by_code:
            return Found(by_code[0], [], [])
        rows = Progress(store, today, today=today).organisations(typed)
        near = [] if rows else [{"code": o.code, "name": o.name} for o in lookups.closest(store, typed)]
        return Found(None, rows, near)


# --- working groups ---------------------------------------------------------------------------


def groups(db, *, today: dt.date, as_of: str | None = None) -> list[dict]:
    with _reading(db) as store:
        return group_rows(Progress(store, _day(store, as_of, today), today=today).groups())


class GroupView(NamedTuple):
    number: int
    name: str
    leader: str | None
    as_of: dt.date
    levels: list[dict]
    committees: list[dict]
    counts: dict
    behind: int
    results: list[dict]  # result_rows per level, of the congresses held


def group(db, number: int, *, today: dt.date, as_of: str | None = None) -> GroupView:
    with _reading(db) as store:
        found = lookups.find_group(store, number)
        progress = Progress(store, _day(store, as_of, today), Scope(group=number), today=today)
        standings = progress.standings()
        return GroupView(found.number, found.name, found.leader, progress.as_of, level_rows(progress.levels()),
                         committee_rows(progress.committees()), {s: standings[s] for s in COUNTED},
                         len(progress.behind), result_rows(progress.results("level")))


# --- history, pilots, the round ---------------------------------------------------------------


class History(NamedTuple):
    organisation: lookups.Org | None
    rows: list[dict]


def history(db, *, today: dt.date, organisation: str | None = None, since: str | None = None,
            group: int | None = None, limit: int | None = None) -> History:
    """The changes, newest first: of one organisation, since a day, made as one working group."""
    with _reading(db) as store:
        org = lookups.find_organisation(store, organisation) if organisation else None
        since_on = lookups.as_of_day(store, since, today) if since else None
        if group is not None:
            lookups.find_group(store, group)
        return History(org, history_rows(changes(store, org.id if org else None, limit, since=since_on, group=group),
                                         step_names(store)))


def step_names(store: Store) -> dict[str, str]:
    """The current round's steps by code (retired ones too: history keeps them)."""
    return {s.code: s.name for s in lookups.steps(store, lookups.current_round(store).id)}


def pilots(db, *, today: dt.date, as_of: str | None = None) -> list[dict]:
    with _reading(db) as store:
        return pilot_rows(Progress(store, _day(store, as_of, today), today=today).pilots())


def round_facts(db, *, today: dt.date, as_of: str | None = None) -> dict:
    """The current round's dates, and its levels' own (what `round show --format json` prints)."""
    with _reading(db) as store:
        day = _day(store, as_of, today)
        round_ = lookups.current_round(store)
        by_level = lookups.deadlines_by_level(store, round_)
        return {
            "name": round_.name,
            "kind": round_.kind,
            "term": round_.term,
            "closed": round_.closed,
            "as_of": day,
            "starts_on": round_.starts_on,
            "target_on": round_.target_on,
            "deadline_on": round_.deadline_on,
            "pilot_deadline_on": round_.pilot_deadline_on,
            "levels": {level: {"target_on": d.target, "deadline_on": d.deadline} for level, d in by_level.items()},
        }


def round_list(db, *, today: dt.date, as_of: str | None = None) -> list[dict]:
    """Every round of the register, the earliest deadline first: its kind, term, dates, whether it is
    closed, whether it is the one chosen (--round, else the default), and its congresses held of all
    (what `round list` prints)."""
    with _reading(db) as store:
        day = _day(store, as_of, today)
        found = lookups.rounds(store)
        chosen = lookups.current_round(store).id
        kinds = dict(store.rows("SELECT code, name FROM round_kind"))
        listed = []
        for round_ in found:
            token = lookups.choose_round(round_.name)
            try:
                levels = Progress(store, day, today=today).levels()
            finally:
                lookups.unchoose_round(token)
            listed.append({
                "name": round_.name, "kind": round_.kind, "kind_name": kinds.get(round_.kind, round_.kind),
                "term": round_.term, "starts_on": round_.starts_on, "target_on": round_.target_on,
                "deadline_on": round_.deadline_on, "pilot_deadline_on": round_.pilot_deadline_on,
                "closed": round_.closed, "chosen": round_.id == chosen, "as_of": day,
                "held": sum(level.held for level in levels), "total": sum(level.total for level in levels),
            })
        return listed


class RoundChoice(NamedTuple):
    name: str
    label: str  # as a chooser lists it, short enough for a phone: "MTTQ 2025-2030 (đã khóa)"
    chosen: bool


def round_choices(db) -> list[RoundChoice]:
    """What a round chooser offers (the web's, on every page): each round, the current one marked."""
    with _reading(db) as store:
        current = lookups.current_round(store).id
        return [RoundChoice(r.name, f"{r.name} (đã khóa)" if r.closed else r.name, r.id == current)
                for r in lookups.rounds(store)]


def round_named(db, typed: str) -> str:
    """A round's name as stored, from its name as typed (refused with the candidates when unknown)."""
    with _reading(db) as store:
        return lookups.find_round(lookups.rounds(store), typed).name
