"""New databases: an empty register with the current round, or the Hải Phòng sample."""
from __future__ import annotations

import csv
import datetime as dt
from importlib import resources

from sqlmodel import Session, select

from congress.writes.letterhead import default_settings
from congress.store.database import create_database
from congress.domain.rules import DEFAULT_STEPS, RESULT_COUNTS, RESULT_FIELDS
from congress.store.schema import (
    Change, Congress, CongressStep, Organisation, PreparationStep, Round, RoundLevel, Setting, WorkingGroup,
)
from congress.domain.vn import STEP_FIELD, VIETNAM, fold, nfc

# The round as the City Committee set it (Kết luận Hội nghị Thành ủy, 12/7/2025).
ROUND = dict(
    name="2025-2030",
    kind="dang",
    term="2025–2030",
    starts_on=dt.date(2024, 6, 14),  # Chỉ thị 35-CT/TW on the congresses of all levels
    target_on=dt.date(2025, 8, 20),
    deadline_on=dt.date(2025, 8, 31),
    pilot_deadline_on=dt.date(2025, 8, 3),
)
# Our modelling choice for the sample: the city's own congress is judged against the season of
# provincial congresses, not the committees' 20/8 and 31/8.
SAMPLE_CITY_LEVEL = dict(level="city", target_on=dt.date(2025, 9, 30), deadline_on=dt.date(2025, 10, 31))
SAMPLE_OFFICE_USER = "vanphong"
# The sample's second round (issue 19): the Fatherland Front's, Hướng dẫn 03/HD-MTTW-BTT. The communes
# by 31/10/2025, the city (per level) by 31/12/2025. Its start is invented: no congress before it.
FRONT_ROUND = dict(
    name="MTTQ 2025-2030",
    kind="mttq",
    term="2025–2030",
    starts_on=dt.date(2025, 7, 1),
    target_on=dt.date(2025, 10, 31),
    deadline_on=dt.date(2025, 10, 31),
)
FRONT_CITY_LEVEL = dict(level="city", target_on=dt.date(2025, 12, 31), deadline_on=dt.date(2025, 12, 31))


def initialise(location: str, *, sample: bool, force: bool) -> None:
    engine = create_database(location, force=force)
    try:
        with Session(engine) as session:
            session.add_all(default_settings())
            round_ = Round(**ROUND)
            session.add(round_)
            session.flush()
            session.add_all(PreparationStep(round_id=round_.id, code=code, name=name, days_before=days, position=n)
                            for n, (code, name, days) in enumerate(DEFAULT_STEPS, 1))
            if sample:
                load_sample(session, round_)
            session.commit()
    finally:
        engine.dispose()


def _rows(name: str) -> list[dict]:
    source = resources.files("congress.sample") / name
    with source.open(encoding="utf-8", newline="") as f:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(f)]


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_sample(session: Session, round_: Round) -> None:
    """Loads data/sample/*.csv (steps.csv and results.csv are written by tools/generate_sample_progress.py).
    History is dated by the events themselves, so a rebuild is identical."""
    session.add(Setting(key="sample", value="1"))
    for row in _rows("settings.csv"):  # what the Hải Phòng brief prints; overrides the defaults
        session.merge(Setting(key=row["key"], value=row["value"]))
    session.add(RoundLevel(round_id=round_.id, **SAMPLE_CITY_LEVEL))
    groups = {}
    for row in _rows("working-groups.csv"):
        group = WorkingGroup(number=int(row["number"]), name=row["name"], leader=row["leader"] or None)
        session.add(group)
        groups[row["number"]] = group
    session.flush()
    orgs: dict[str, Organisation] = {}
    group_numbers: dict[str, int | None] = {}  # organisation code → its working group's number
    events = []
    for row in _rows("organisations.csv"):
        parent = orgs.get(row["parent"])
        group = groups.get(row["working_group"])
        org = Organisation(
            code=row["code"],
            name=row["name"],
            search_name=fold(row["name"]),
            level=row["level"],
            kind=row["kind"],
            parent_id=parent.id if parent else None,
            working_group_id=group.id if group else None,
            party_members=int(row["party_members"]) if row["party_members"] else None,
        )
        session.add(org)
        session.flush()
        orgs[org.code] = org
        # a grassroots organisation belongs to its committee's working group
        inherited = group_numbers.get(row["parent"]) if org.level == "grassroots" else None
        group_numbers[org.code] = group.number if group else inherited
        congress = Congress(
            round_id=round_.id,
            organisation_id=org.id,
            planned_on=_date(row["planned_on"]),
            held_on=_date(row["held_on"]),
            is_pilot=bool(row["pilot"]),
            note=row["note"] or None,
        )
        session.add(congress)
        events.append((org, congress, group_numbers[org.code]))
    done = _sample_steps(session, round_, orgs)
    _sample_results(orgs, {congress.organisation_id: congress for _org, congress, _group in events})
    _sample_history(session, round_, events, done)
    _sample_front(session, orgs)


def _sample_front(session: Session, party: dict[str, Organisation]) -> None:
    """The Front's round over its own units (front.csv, written by data/generate_sample_front.py): the
    city's Front committee and the 114 communes', each beside the party organisation of its place. No
    preparation steps: the Front's guide sets its own, which the sample does not know. The office
    schedules each congress three weeks ahead and logs it that evening."""
    round_ = Round(**FRONT_ROUND)
    session.add(round_)
    session.flush()
    session.add(RoundLevel(round_id=round_.id, **FRONT_CITY_LEVEL))
    units: dict[str, Organisation] = {}
    changes = []
    for row in _rows("front.csv"):
        parent = units.get(row["parent"])
        unit = Organisation(code=row["code"], name=row["name"], search_name=fold(row["name"]), level=row["level"],
                            kind=row["kind"], parent_id=parent.id if parent else None, body=FRONT_ROUND["kind"],
                            same_place_id=party[row["same_place"]].id)
        session.add(unit)
        session.flush()
        units[unit.code] = unit
        planned_on, held_on = _date(row["planned_on"]), _date(row["held_on"])
        session.add(Congress(round_id=round_.id, organisation_id=unit.id, planned_on=planned_on, held_on=held_on,
                             is_pilot=False, note=row["note"] or None))
        changes.append(Change(at=dt.datetime.combine(planned_on - dt.timedelta(days=21), dt.time(8, 0), VIETNAM),
                              user=SAMPLE_OFFICE_USER, organisation_id=unit.id, action="schedule", field="planned_on",
                              new_value=planned_on.isoformat(), round_id=round_.id))
        changes.append(Change(at=dt.datetime.combine(held_on, dt.time(17, 0), VIETNAM), user=SAMPLE_OFFICE_USER,
                              organisation_id=unit.id, action="log", field="held_on", new_value=held_on.isoformat(),
                              round_id=round_.id))
    changes.sort(key=lambda c: (c.at, c.organisation_id, c.action))
    for number, change in enumerate(changes, start=1):
        change.command = f"mttq{number}"
    session.add_all(changes)


def _sample_steps(session: Session, round_: Round, orgs: dict[str, Organisation]) -> list[tuple[Organisation, str, dt.date]]:
    """The preparation steps each congress did, as the working groups recorded them."""
    session.flush()
    step_ids = {s.code: s.id for s in session.exec(select(PreparationStep).where(PreparationStep.round_id == round_.id))}
    done = []
    for row in _rows("steps.csv"):
        org, done_on = orgs[row["code"]], _date(row["done_on"])
        session.add(CongressStep(round_id=round_.id, organisation_id=org.id, step_id=step_ids[row["step"]], done_on=done_on))
        done.append((org, row["step"], done_on))
    return done


def _sample_results(orgs: dict[str, Organisation], congresses: dict[int, Congress]) -> None:
    """What each held congress decided: the public figures exactly, the others invented (results.csv's
    column `source`; result_note says which)."""
    for row in _rows("results.csv"):
        congress = congresses[orgs[row["code"]].id]
        for field in RESULT_FIELDS:
            text = row[field]
            value = int(text) if text and (field in RESULT_COUNTS or field == "contents") else text or None
            setattr(congress, field, value)


def _sample_history(session: Session, round_: Round, events, done) -> None:
    """Who scheduled and logged what: the office schedules a grassroots congress four weeks ahead (so
    every plan for July was on record when the office counted them on 9/7/2025), any other three weeks
    ahead; the group logs that evening. The group records each preparation step the morning it was done
    and the result two days after the congress; these rows come after the others, so the schedules' and
    logs' ids and commands are those the sample had before it knew steps and results."""
    changes = []
    for org, congress, group in events:
        if congress.planned_on:
            ahead = dt.timedelta(days=28 if org.level == "grassroots" else 21)
            changes.append(Change(
                at=dt.datetime.combine(congress.planned_on - ahead, dt.time(8, 0), VIETNAM),
                user=SAMPLE_OFFICE_USER, organisation_id=org.id, action="schedule", field="planned_on",
                new_value=congress.planned_on.isoformat(),
            ))
        if congress.held_on:
            changes.append(Change(
                at=dt.datetime.combine(congress.held_on, dt.time(17, 0), VIETNAM),
                user=f"to{group}" if group else SAMPLE_OFFICE_USER, working_group=group,
                organisation_id=org.id, action="log", field="held_on", new_value=congress.held_on.isoformat(),
            ))
    changes.sort(key=lambda c: (c.at, c.organisation_id, c.action))
    for number, change in enumerate(changes, start=1):
        change.command = f"mau{number}"  # each its own command, as typed that day (fixed, so rebuilds match)
    changes += _progress_history(events, done, start=len(changes) + 1)
    for change in changes:
        change.round_id = round_.id  # every change the sample invents is its round's
    session.add_all(changes)


def _progress_history(events, done, *, start: int) -> list[Change]:
    """One command per step done (field "step:<code>") and one per result (a row per field given)."""
    group_of = {org.id: group for org, _congress, group in events}
    commands = []  # (at, organisation id, order, rows)
    for org, code, done_on in done:
        group = group_of[org.id]
        commands.append((dt.datetime.combine(done_on, dt.time(9, 0), VIETNAM), org.id, 0, [Change(
            user=f"to{group}" if group else SAMPLE_OFFICE_USER, working_group=group, organisation_id=org.id,
            action="step", field=f"{STEP_FIELD}{code}", new_value=done_on.isoformat())]))
    for org, congress, group in events:
        given = [field for field in RESULT_FIELDS if getattr(congress, field) is not None]
        if not given:
            continue
        commands.append((dt.datetime.combine(congress.held_on + dt.timedelta(days=2), dt.time(10, 0), VIETNAM), org.id, 1, [
            Change(user=f"to{group}" if group else SAMPLE_OFFICE_USER, working_group=group, organisation_id=org.id,
                   action="result", field=field, new_value=str(getattr(congress, field)))
            for field in given]))
    commands.sort(key=lambda c: (c[0], c[1], c[2], c[3][0].field))
    changes = []
    for number, (at, _org, _order, rows) in enumerate(commands, start=start):
        for change in rows:
            change.at, change.command = at, f"mau{number}"
            changes.append(change)
    return changes
