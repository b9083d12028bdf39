"""What the register says as of a date. Counting happens in SQL; only congresses not yet held
are fetched (as plain tuples) and judged by congress.rules."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from congress.models import Change, Congress, Organisation, Round, WorkingGroup
from congress.register import current_round, deadlines_by_level, is_sample, like_escape
from congress.rules import Assessment, Deadlines, Standing, assess, is_held
from congress.vn import LEVELS, VIETNAM, fold


@dataclass(frozen=True)
class Scope:
    """Which organisations a report covers."""

    level: str | None = None
    group: int | None = None
    committee_id: int | None = None


@dataclass(frozen=True)
class Pending:
    """An organisation whose congress is not held as of the date, with its assessment."""

    code: str
    name: str
    level: str
    committee_code: str | None
    committee_name: str | None
    working_group: int | None
    planned_on: dt.date | None
    is_pilot: bool
    assessment: Assessment


@dataclass(frozen=True)
class LevelProgress:
    level: str
    held: int
    total: int
    planned_this_month: int


@dataclass(frozen=True)
class GroupProgress:
    number: int | None
    name: str | None
    committees_held: int
    committees: int
    grassroots_held: int
    grassroots: int
    overdue: int

    @property
    def held(self) -> int:
        return self.committees_held + self.grassroots_held

    @property
    def total(self) -> int:
        return self.committees + self.grassroots


@dataclass(frozen=True)
class Pilot:
    code: str
    name: str
    planned_on: dt.date | None
    held_on: dt.date | None
    assessment: Assessment


@dataclass
class Summary:
    round_name: str
    as_of: dt.date
    deadlines: Deadlines
    levels: list[LevelProgress]
    groups: list[GroupProgress]
    pilots: list[Pilot]
    standings: Counter = field(default_factory=Counter)
    sample: bool = False


class Register:
    """Reads over one round as of one date."""

    def __init__(self, session: Session, as_of: dt.date, scope: Scope = Scope()):
        self.session = session
        self.as_of = as_of
        self.scope = scope
        self.round: Round = current_round(session)
        self.deadlines = deadlines_by_level(session, self.round)
        self._org = Organisation
        self._committee = aliased(Organisation, name="committee")

    def _base(self, *columns, active_only: bool = True):
        o, c = self._org, self._committee
        committee_id = case((o.level == "committee", o.id), (o.level == "grassroots", o.parent_id), else_=None)
        query = (
            select(*columns)
            .select_from(o)
            .outerjoin(Congress, and_(Congress.organisation_id == o.id, Congress.round_id == self.round.id))
            .outerjoin(c, c.id == committee_id)
            .outerjoin(WorkingGroup, WorkingGroup.id == c.working_group_id)
        )
        if active_only:
            query = query.where(or_(o.dissolved_on.is_(None), o.dissolved_on > self.as_of))
        if self.scope.level:
            query = query.where(o.level == self.scope.level)
        if self.scope.group is not None:
            query = query.where(WorkingGroup.number == self.scope.group)
        if self.scope.committee_id is not None:
            query = query.where(c.id == self.scope.committee_id)
        return query

    def _held(self):
        return and_(Congress.held_on.is_not(None), Congress.held_on <= self.as_of)

    def _not_held(self):
        return or_(Congress.held_on.is_(None), Congress.held_on > self.as_of)

    def levels(self) -> list[LevelProgress]:
        o = self._org
        first = self.as_of.replace(day=1)
        last = first + relativedelta(months=1, days=-1)
        held = self._held()
        planned = and_(self._not_held(), Congress.planned_on.between(first, last))
        rows = self.session.exec(
            self._base(
                o.level,
                func.count(),
                func.sum(case((held, 1), else_=0)),
                func.sum(case((planned, 1), else_=0)),
            ).group_by(o.level)
        ).all()
        found = {level: LevelProgress(level, int(h or 0), total, int(p or 0)) for level, total, h, p in rows}
        return [found[level] for level in LEVELS if level in found]

    def pending(self) -> list[Pending]:
        o, c = self._org, self._committee
        rows = self.session.exec(
            self._base(
                o.code,
                o.name,
                o.level,
                c.code,
                c.name,
                WorkingGroup.number,
                Congress.planned_on,
                Congress.is_pilot,
            ).where(self._not_held())
        ).all()
        return [
            Pending(
                code, name, level, committee_code if level == "grassroots" else None,
                committee_name if level == "grassroots" else None, group, planned_on, bool(pilot),
                assess(
                    planned_on=planned_on,
                    held_on=None,
                    is_pilot=bool(pilot),
                    deadlines=self.deadlines[level],
                    as_of=self.as_of,
                ),
            )
            for code, name, level, committee_code, committee_name, group, planned_on, pilot in rows
        ]

    def overdue(self) -> list[Pending]:
        found = [p for p in self.pending() if p.assessment.standing is Standing.OVERDUE]
        return sorted(found, key=lambda p: (-(p.assessment.days_overdue or 0), p.code))

    def at_risk(self) -> list[Pending]:
        found = [p for p in self.pending() if p.assessment.standing is Standing.AT_RISK]
        return sorted(found, key=lambda p: (p.working_group or 0, p.code))

    def upcoming(self, days: int) -> list[Pending]:
        until = self.as_of + dt.timedelta(days=days)
        found = [p for p in self.pending() if p.planned_on and self.as_of <= p.planned_on <= until]
        return sorted(found, key=lambda p: (p.planned_on, p.code))

    def groups(self, pending: list[Pending]) -> list[GroupProgress]:
        o = self._org
        held = self._held()
        is_committee = o.level == "committee"
        is_grassroots = o.level == "grassroots"
        rows = self.session.exec(
            self._base(
                WorkingGroup.number,
                WorkingGroup.name,
                func.sum(case((and_(is_committee, held), 1), else_=0)),
                func.sum(case((is_committee, 1), else_=0)),
                func.sum(case((and_(is_grassroots, held), 1), else_=0)),
                func.sum(case((is_grassroots, 1), else_=0)),
            )
            .where(o.level.in_(("committee", "grassroots")))
            .group_by(WorkingGroup.number, WorkingGroup.name)
            .order_by(WorkingGroup.number)
        ).all()
        overdue = Counter(p.working_group for p in pending if p.assessment.standing is Standing.OVERDUE)
        groups = [
            GroupProgress(number, name, int(ch or 0), int(ct or 0), int(gh or 0), int(gt or 0), overdue[number])
            for number, name, ch, ct, gh, gt in rows
        ]
        # Organisations whose committee has no working group come last, as one row.
        return sorted(groups, key=lambda g: (g.number is None, g.number or 0))

    def organisations(self, search: str | None = None) -> list[dict]:
        """The register as stored (dissolved ones too), for `org list`."""
        o, c = self._org, self._committee
        query = self._base(
            o.code, o.name, o.level, o.kind, c.code, WorkingGroup.number, o.party_members,
            Congress.planned_on, Congress.held_on, o.dissolved_on,
            active_only=False,
        ).order_by(o.code)
        if search:
            query = query.where(o.search_name.like(f"%{like_escape(fold(search))}%", escape="\\"))
        keys = ("code", "name", "level", "kind", "committee", "working_group", "party_members",
                "planned_on", "held_on", "dissolved_on")
        rows = [dict(zip(keys, row)) for row in self.session.exec(query)]
        for row in rows:
            if row["level"] != "grassroots":
                row["committee"] = None
        return rows

    def committees(self) -> list[dict]:
        """Per committee in scope: its own congress and how many of its grassroots have held theirs."""
        o = self._org
        child = aliased(Organisation, name="child")
        child_congress = aliased(Congress, name="child_congress")
        held = and_(child_congress.held_on.is_not(None), child_congress.held_on <= self.as_of)
        query = (
            self._base(
                o.code, o.name, WorkingGroup.number, Congress.planned_on, Congress.held_on,
                func.count(child.id), func.sum(case((held, 1), else_=0)),
            )
            .outerjoin(child, and_(
                child.parent_id == o.id, child.level == "grassroots",
                or_(child.dissolved_on.is_(None), child.dissolved_on > self.as_of),
            ))
            .outerjoin(child_congress, and_(
                child_congress.organisation_id == child.id, child_congress.round_id == self.round.id,
            ))
            .where(o.level == "committee")
            .group_by(o.code, o.name, WorkingGroup.number, Congress.planned_on, Congress.held_on)
            .order_by(o.code)
        )
        keys = ("code", "name", "working_group", "planned_on", "held_on", "grassroots", "grassroots_held")
        rows = [dict(zip(keys, row)) for row in self.session.exec(query)]
        for row in rows:
            row["grassroots_held"] = int(row["grassroots_held"] or 0)
            if not is_held(row["held_on"], self.as_of):
                row["held_on"] = None
        return rows

    def pilots(self) -> list[Pilot]:
        o = self._org
        rows = self.session.exec(
            select(o.code, o.name, o.level, Congress.planned_on, Congress.held_on)
            .join(Congress, Congress.organisation_id == o.id)
            .where(Congress.round_id == self.round.id, Congress.is_pilot)
            .order_by(o.code)
        ).all()
        return [
            Pilot(
                code, name, planned_on, held_on if is_held(held_on, self.as_of) else None,
                assess(
                    planned_on=planned_on,
                    held_on=held_on,
                    is_pilot=True,
                    deadlines=self.deadlines[level],
                    as_of=self.as_of,
                ),
            )
            for code, name, level, planned_on, held_on in rows
        ]

    def summary(self) -> Summary:
        pending = self.pending()
        return Summary(
            round_name=self.round.name,
            as_of=self.as_of,
            deadlines=self.deadlines[self.scope.level or "grassroots"],
            levels=self.levels(),
            groups=self.groups(pending),
            pilots=self.pilots(),
            standings=Counter(p.assessment.standing for p in pending),
            sample=is_sample(self.session),
        )


def history(
    session: Session,
    organisation_id: int | None = None,
    limit: int | None = None,
    *,
    since: dt.date | None = None,
    group: int | None = None,
):
    """Changes, newest first, as plain tuples. `since` is a day in Vietnam; `group` is the working group
    the change was made as."""
    query = (
        select(
            Change.at, Change.user, Change.working_group, Organisation.code, Change.action,
            Change.field, Change.old_value, Change.new_value, Change.note,
        )
        .outerjoin(Organisation, Organisation.id == Change.organisation_id)
        .order_by(Change.id.desc())
    )
    if organisation_id is not None:
        query = query.where(Change.organisation_id == organisation_id)
    if since is not None:
        # a day as people mean it: from 00:00 in Vietnam (history is kept in UTC)
        query = query.where(Change.at >= dt.datetime.combine(since, dt.time(), VIETNAM))
    if group is not None:
        query = query.where(Change.working_group == group)
    if limit:
        query = query.limit(limit)
    return session.exec(query).all()

