"""The read model: what the register says as of a date, for one scope. Every command and the brief
read their figures here, so one fact has one number.

Plain SQL through a Store (no ORM), built from the SQL forms in congress.domain.rules; counting happens in
SQL, and only congresses not yet held are fetched and judged by rules.assess.

At an as-of date D a planned date is the one recorded by the end of D (history keeps every change);
held dates keep today's knowledge, as the office counts congresses held by D and reported a few days
later. With `as_recorded`, held dates too are taken as recorded by the end of D, so an issued brief
can be printed again exactly.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import cached_property
from typing import NamedTuple

from congress.domain import rules
from congress.read.lookups import (
    Result, current_round, deadlines_by_level, is_sample, matching, result_of, steps as round_steps, steps_done,
)
from congress.domain.rules import Assessment, Standing
from congress.store.sql import Store, to_date


class Scope(NamedTuple):
    """Which organisations a report covers."""

    level: str | None = None
    group: int | None = None
    committee_id: int | None = None


class Entry(NamedTuple):
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


class LevelProgress(NamedTuple):
    level: str
    held: int
    total: int
    expected: int  # not held, planned from the as-of day to the end of its month (rules.rest_of_month)


class GroupProgress(NamedTuple):
    number: int | None
    name: str | None
    committees_held: int
    committees: int
    grassroots_held: int
    grassroots: int
    overdue: int


class CommitteeProgress(NamedTuple):
    code: str
    name: str
    working_group: int | None
    planned_on: dt.date | None
    held_on: dt.date | None  # only when held by the as-of date
    assessment: Assessment
    grassroots: int
    grassroots_held: int
    grassroots_overdue: int
    grassroots_late: int
    grassroots_at_risk: int


class SoleCongress(NamedTuple):
    """The congress of a level's only organisation (the city's own), described as itself."""

    name: str
    planned_on: dt.date | None
    held_on: dt.date | None  # only when held by the as-of date
    note: str | None


class WeekChanges(NamedTuple):
    """What a working group (None: the office) recorded in a span of days."""

    working_group: int | None
    logged: int
    planned: int  # plans set or moved
    withdrawn: int  # logs withdrawn


class Pilot(NamedTuple):
    code: str
    name: str
    planned_on: dt.date | None
    held_on: dt.date | None
    assessment: Assessment


class MissingStep(NamedTuple):
    code: str
    name: str
    due_on: dt.date  # rules.step_due_on
    position: int  # the step's place in the round's order


class StepStanding(NamedTuple):
    """One step of one congress as of the date: when it is due, when it was done (None: not by then)."""

    code: str
    name: str
    days_before: int
    due_on: dt.date | None  # None while the congress has no planned date
    done_on: dt.date | None
    note: str | None
    missing: bool  # rules.step_missing


class Behind(NamedTuple):
    """A congress not yet held that is behind in preparation (chậm chuẩn bị): its missing steps, in order."""

    code: str
    name: str
    level: str
    committee_code: str | None
    working_group: int | None
    planned_on: dt.date
    days_left: int  # to the planned congress; negative once its day has passed
    missing: tuple[MissingStep, ...]


# What `status --results` sums over the congresses held, each a count or a sum (SQL over congress c);
# a share's denominator is summed only where its numerator is reported, so 12 women of 78 never
# divides by a committee whose make-up is not known yet.
RESULT_SUMS = {
    "reported": "CASE WHEN " + " OR ".join(f"c.{f} IS NOT NULL" for f in rules.RESULT_FIELDS) + " THEN 1 ELSE 0 END",
    **{f"contents_{n}": f"CASE WHEN c.contents = {n} THEN 1 ELSE 0 END" for n in rules.CONTENTS},
    **{f"committee_{by}": f"CASE WHEN c.committee_by = '{by}' THEN 1 ELSE 0 END" for by in rules.CHOSEN_BY},
    **{f"secretary_{by}": f"CASE WHEN c.secretary_by = '{by}' THEN 1 ELSE 0 END" for by in rules.CHOSEN_BY},
    **{f"{f}_reported": f"CASE WHEN c.{f} IS NOT NULL THEN 1 ELSE 0 END" for f in ("contents", "committee_by", "secretary_by")},
    "committee_members": "coalesce(c.committee_members, 0)",
    "standing_members": "coalesce(c.standing_members, 0)",
    **{k: v for part in ("women", "under_40", "ethnic", "first_time") for k, v in (
        (part, f"CASE WHEN c.committee_members IS NOT NULL THEN coalesce(c.{part}, 0) ELSE 0 END"),
        (f"{part}_of", f"CASE WHEN c.{part} IS NOT NULL THEN coalesce(c.committee_members, 0) ELSE 0 END"))},
    "delegates": "coalesce(c.delegates, 0)",
    "present": "CASE WHEN c.delegates IS NOT NULL THEN coalesce(c.present, 0) ELSE 0 END",
    "present_of": "CASE WHEN c.present IS NOT NULL THEN coalesce(c.delegates, 0) ELSE 0 END",
    "delegates_up": "coalesce(c.delegates_up, 0)",
}


class Results(NamedTuple):
    """The results of the congresses held in one level or one working group (RESULT_SUMS)."""

    level: str | None
    number: int | None  # the working group, when by group; None also for "no group yet"
    name: str | None
    held: int
    sums: dict[str, int]


# How each listing is ordered: the most overdue first; the others by group, or by date.
LISTINGS = {
    "overdue": (Standing.OVERDUE, lambda e: (-(e.assessment.days_overdue or 0), e.code)),
    "late": (Standing.BEHIND_TARGET, lambda e: (e.working_group is None, e.working_group or 0, e.code)),
    "at_risk": (Standing.AT_RISK, lambda e: (e.working_group is None, e.working_group or 0, e.code)),
}


class Progress:
    """Reads over the current round as of one date."""

    def __init__(self, store: Store, as_of: dt.date, scope: Scope = Scope(), *, as_recorded: bool = False,
                 today: dt.date | None = None):
        self.store = store
        self.as_of = as_of
        # Today and later, what is recorded now is what is known (CONGRESS_TODAY replays a day
        # while history keeps the clock's time).
        self.past = as_of < (today or dt.date.today())
        self.scope = scope
        self.as_recorded = as_recorded
        self.round = current_round(store)
        self.deadlines = deadlines_by_level(store, self.round)
        self.cutoff = rules.recorded_by(as_of)
        self._params = dict(round=self.round.id, body=self.round.kind, as_of=as_of, cutoff=self.cutoff,
                            level=scope.level, group=scope.group, committee=scope.committee_id)

    # --- the SQL every figure shares --------------------------------------------------------

    @cached_property
    def _replayed(self) -> bool:
        """Whether anything was recorded after a past as-of day; if not, the stored values are the answer."""
        return self.past and self.store.value(
            "SELECT 1 FROM change WHERE at >= :cutoff AND field IN ('planned_on', 'held_on') AND round_id = :round"
            " LIMIT 1", cutoff=self.cutoff, round=self.round.id,
        ) is not None

    def _recorded(self, field: str, congress: str, organisation: str) -> str:
        if not self._replayed:
            return f"{congress}.{field}"
        return rules.value_as_recorded_sql(field, f"{congress}.{field}", f"{organisation}.id", ":cutoff",
                                           self.store.as_date)

    def _planned(self, congress: str = "c", organisation: str = "o") -> str:
        return self._recorded("planned_on", congress, organisation)

    def _held(self, congress: str = "c", organisation: str = "o") -> str:
        if self.as_recorded:
            return self._recorded("held_on", congress, organisation)
        return f"{congress}.held_on"

    @cached_property
    def planned(self) -> str:
        return self._planned()

    @cached_property
    def held(self) -> str:
        return self._held()

    def _from(self, *, active_only: bool = True, groups: bool = True, joins: str = "") -> str:
        """The organisations in scope with their congress; `groups` joins their committee and working
        group (a scope by group or committee always does); `joins` adds a caller's own."""
        committee = rules.committee_id_sql("o.level", "o.id", "o.parent_id")
        groups = groups or self.scope.group is not None or self.scope.committee_id is not None
        where = ["o.body = :body"]  # the round's own units (issue 19)
        if active_only:
            where.append(rules.is_active_sql("o.dissolved_on", ":as_of"))
        if self.scope.level:
            where.append("o.level = :level")
        if self.scope.group is not None:
            where.append("g.number = :group")
        if self.scope.committee_id is not None:
            where.append("k.id = :committee")
        if groups:
            joins = (f" LEFT JOIN organisation k ON k.id = {committee}"
                     " LEFT JOIN workinggroup g ON g.id = k.working_group_id") + joins
        return (
            " FROM organisation o"
            " LEFT JOIN congress c ON c.organisation_id = o.id AND c.round_id = :round"
            + joins + " WHERE " + " AND ".join(where)
        )

    def _rows(self, sql: str, **params) -> list[tuple]:
        return self.store.rows(sql, **self._params, **params)

    def _held_sql(self) -> str:
        return rules.is_held_sql(self.held, ":as_of")

    # --- figures ----------------------------------------------------------------------------

    def levels(self) -> list[LevelProgress]:
        first, last = rules.rest_of_month(self.as_of)
        expected = rules.is_expected_sql(self.planned, self.held, ":as_of", ":first", ":last")
        rows = self._rows(
            f"SELECT o.level, count(*), sum(CASE WHEN {self._held_sql()} THEN 1 ELSE 0 END),"
            f" sum(CASE WHEN {expected} THEN 1 ELSE 0 END)" + self._from(groups=False) + " GROUP BY o.level",
            first=first, last=last,
        )
        found = {level: LevelProgress(level, int(held or 0), total, int(planned or 0))
                 for level, total, held, planned in rows}
        return [found[level] for level in rules.LEVELS if level in found]

    @cached_property
    def pending(self) -> list[Entry]:
        """Every congress in scope not held as of the date, judged by the rules."""
        rows = self._rows(
            f"SELECT o.code, o.name, o.level, k.code, k.name, g.number, {self.planned}, c.is_pilot"
            + self._from() + f" AND NOT {self._held_sql()}"
        )
        return [
            Entry(
                code, name, level, committee_code if level == "grassroots" else None,
                committee_name if level == "grassroots" else None, group, to_date(planned_on), bool(pilot),
                rules.assess(planned_on=to_date(planned_on), held_on=None, is_pilot=bool(pilot),
                             deadlines=self.deadlines[level], as_of=self.as_of),
            )
            for code, name, level, committee_code, committee_name, group, planned_on, pilot in rows
        ]

    def standings(self) -> Counter:
        return Counter(e.assessment.standing for e in self.pending)

    def listing(self, kind: str) -> list[Entry]:
        """overdue, late (past the target, before the deadline) or at_risk, in their order."""
        standing, order = LISTINGS[kind]
        return sorted((e for e in self.pending if e.assessment.standing is standing), key=order)

    def upcoming(self, days: int) -> list[Entry]:
        """Expected in the next `days` days, the as-of day first (rules.upcoming_span)."""
        span = rules.upcoming_span(self.as_of, days)
        found = [e for e in self.pending if rules.in_span(e.planned_on, span)]
        return sorted(found, key=lambda e: (e.planned_on, rules.LEVELS.index(e.level), e.code))

    def groups(self) -> list[GroupProgress]:
        held = self._held_sql()
        # grouped by the committee's group id (an integer, cheap to group on); names are joined after
        rows = self._rows(
            "SELECT g.number, g.name, t.ch, t.ct, t.gh, t.gt FROM (SELECT k.working_group_id AS id,"
            f" sum(CASE WHEN o.level = 'committee' AND {held} THEN 1 ELSE 0 END) AS ch,"
            " sum(CASE WHEN o.level = 'committee' THEN 1 ELSE 0 END) AS ct,"
            f" sum(CASE WHEN o.level = 'grassroots' AND {held} THEN 1 ELSE 0 END) AS gh,"
            " sum(CASE WHEN o.level = 'grassroots' THEN 1 ELSE 0 END) AS gt"
            + self._from() + " AND o.level IN ('committee', 'grassroots') GROUP BY k.working_group_id) t"
            " LEFT JOIN workinggroup g ON g.id = t.id"
        )
        overdue = Counter(e.working_group for e in self.pending if e.assessment.standing is Standing.OVERDUE)
        groups = [
            GroupProgress(number, name, int(ch or 0), int(ct or 0), int(gh or 0), int(gt or 0), overdue[number])
            for number, name, ch, ct, gh, gt in rows
        ]
        # Organisations whose committee has no working group come last, as one row; a round no working
        # group directs at all (the sample's Front round) has no table of groups, not that row alone.
        if all(g.number is None for g in groups):
            return []
        return sorted(groups, key=lambda g: (g.number is None, g.number or 0))

    def committees(self) -> list[CommitteeProgress]:
        """Per committee in scope: its own congress and how its grassroots stand."""
        child_held = rules.is_held_sql(self._held("cc", "ch"), ":as_of")
        # the grassroots counted once, grouped by committee: a subquery per committee scanned them all
        # again for each of the 3.400 committees of a national register
        children = (
            " LEFT JOIN (SELECT ch.parent_id AS id, count(*) AS total,"
            f" sum(CASE WHEN {child_held} THEN 1 ELSE 0 END) AS held FROM organisation ch"
            " LEFT JOIN congress cc ON cc.organisation_id = ch.id AND cc.round_id = :round"
            f" WHERE ch.level = 'grassroots' AND {rules.is_active_sql('ch.dissolved_on', ':as_of')}"
            " GROUP BY ch.parent_id) t ON t.id = o.id"
        )
        rows = self._rows(
            f"SELECT o.code, o.name, g.number, {self.planned}, {self.held}, c.is_pilot, o.level,"
            " coalesce(t.total, 0), coalesce(t.held, 0)"
            + self._from(joins=children) + " AND o.level = 'committee' ORDER BY o.code"
        )
        by_committee = defaultdict(Counter)
        for e in self.pending:
            if e.level == "grassroots":
                by_committee[e.committee_code][e.assessment.standing] += 1
        found = []
        for code, name, group, planned_on, held_on, pilot, level, total, held in rows:
            planned_on, held_on = to_date(planned_on), to_date(held_on)
            counts = by_committee[code]
            found.append(CommitteeProgress(
                code, name, group, planned_on, held_on if rules.is_held(held_on, self.as_of) else None,
                rules.assess(planned_on=planned_on, held_on=held_on, is_pilot=bool(pilot),
                             deadlines=self.deadlines[level], as_of=self.as_of),
                total, held, counts[Standing.OVERDUE], counts[Standing.BEHIND_TARGET], counts[Standing.AT_RISK],
            ))
        return found

    def sole_congress(self, level: str) -> SoleCongress | None:
        """The congress of the level's only organisation in scope; None when the level has several or none."""
        rows = self._rows(
            f"SELECT o.name, {self.planned}, {self.held}, c.note" + self._from(groups=False)
            + " AND o.level = :sole LIMIT 2", sole=level,
        )
        if len(rows) != 1:
            return None
        name, planned_on, held_on, note = rows[0]
        held_on = to_date(held_on)
        return SoleCongress(name, to_date(planned_on), held_on if rules.is_held(held_on, self.as_of) else None,
                            note or None)

    def week_changes(self, first: dt.date, last: dt.date) -> list[WeekChanges]:
        """Congresses logged, plans set or moved and logs withdrawn from `first` to `last` (days in
        Vietnam, history kept in UTC), per working group the change was made as; the office (None) last."""
        logged = "h.field = 'held_on' AND h.new_value IS NOT NULL"
        withdrawn = "h.field = 'held_on' AND h.new_value IS NULL"
        where = "" if self.scope.group is None else " AND h.working_group = :group"
        rows = self._rows(
            f"SELECT h.working_group, sum(CASE WHEN {logged} THEN 1 ELSE 0 END),"
            " sum(CASE WHEN h.field = 'planned_on' THEN 1 ELSE 0 END),"
            f" sum(CASE WHEN {withdrawn} THEN 1 ELSE 0 END)"
            " FROM change h WHERE h.at >= :since AND h.at < :until AND h.round_id = :round"
            " AND h.action IN ('log', 'schedule', 'unlog', 'undo') AND h.field IN ('held_on', 'planned_on')"
            + where + " GROUP BY h.working_group",
            since=rules.recorded_by(first - dt.timedelta(days=1)), until=rules.recorded_by(last),
        )
        found = [WeekChanges(group, int(a or 0), int(b or 0), int(c or 0)) for group, a, b, c in rows]
        return sorted(found, key=lambda w: (w.working_group is None, w.working_group or 0))

    def pilots(self) -> list[Pilot]:
        rows = self._rows(
            f"SELECT o.code, o.name, o.level, {self.planned}, {self.held}" + self._from()
            + " AND c.is_pilot = :pilot ORDER BY o.code", pilot=True,
        )
        found = []
        for code, name, level, planned_on, held_on in rows:
            planned_on, held_on = to_date(planned_on), to_date(held_on)
            found.append(Pilot(
                code, name, planned_on, held_on if rules.is_held(held_on, self.as_of) else None,
                rules.assess(planned_on=planned_on, held_on=held_on, is_pilot=True,
                             deadlines=self.deadlines[level], as_of=self.as_of),
            ))
        return found

    def held_by_day(self) -> dict[str, list[tuple[dt.date, int]]]:
        """Congresses held per day and level up to the as-of date, counted in SQL."""
        rows = self._rows(
            f"SELECT o.level, {self.held}, count(*)" + self._from() + f" AND {self._held_sql()}"
            f" GROUP BY o.level, {self.held} ORDER BY 2"
        )
        found: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
        for level, held_on, count in rows:
            found[level].append((to_date(held_on), count))
        return found

    def organisations(self, search: str | None = None) -> list[dict]:
        """The register as stored (dissolved ones too), for `org list` and `export orgs`."""
        query = (
            "SELECT o.code, o.name, o.level, o.kind, k.code, g.number, o.party_members,"
            " c.planned_on, c.held_on, o.dissolved_on, p.code"
            + self._from(active_only=False, joins=" LEFT JOIN organisation p ON p.id = o.parent_id")
        )
        found_codes = {o.code for o in matching(self.store, search)} if search else None
        keys = ("code", "name", "level", "kind", "committee", "working_group", "party_members",
                "planned_on", "held_on", "dissolved_on", "parent")
        rows = []
        for row in self._rows(query + " ORDER BY o.code"):
            found = dict(zip(keys, row))
            if found_codes is not None and found["code"] not in found_codes:
                continue
            for key in ("planned_on", "held_on", "dissolved_on"):
                found[key] = to_date(found[key])
            if found["level"] != "grassroots":
                found["committee"] = None
            rows.append(found)
        return rows

    def congress_of(self, org) -> tuple:
        """One organisation's congress as of the date: planned, held (None if not by then), pilot, note,
        and its assessment (None once dissolved)."""
        row = self._rows(
            f"SELECT {self.planned}, {self.held}, c.is_pilot, c.note FROM organisation o"
            " LEFT JOIN congress c ON c.organisation_id = o.id AND c.round_id = :round WHERE o.id = :id",
            id=org.id,
        )[0]
        planned_on, held_on, pilot, note = to_date(row[0]), to_date(row[1]), bool(row[2]), row[3]
        assessment = rules.assess(
            planned_on=planned_on, held_on=held_on, is_pilot=pilot, deadlines=self.deadlines[org.level],
            as_of=self.as_of,
        ) if rules.is_active(org.dissolved_on, self.as_of) else None
        return planned_on, held_on if rules.is_held(held_on, self.as_of) else None, pilot, note, assessment

    @cached_property
    def behind(self) -> list[Behind]:
        """Congresses behind in preparation (rules.step_missing), the nearest congress first: one
        statement over every step, each with its own lead (rules.lead_until)."""
        steps = round_steps(self.store, self.round.id, retired=False)
        if not steps:
            return []
        leads = {f"lead_{s.id}": rules.lead_until(self.as_of, s.days_before) for s in steps}
        # one typed value for PostgreSQL, where a CASE of bound parameters would be text
        lead = self.store.as_date("CASE s.id " + " ".join(f"WHEN {s.id} THEN :lead_{s.id}" for s in steps) + " END")
        missing = rules.step_missing_sql(self.planned, self.held, "cs.done_on", ":as_of", lead)
        rows = self._rows(
            f"SELECT o.code, o.name, o.level, k.code, g.number, {self.planned}, s.id"
            + self._from(joins=" JOIN preparation_step s ON s.round_id = :round AND s.retired = :no"
                         " LEFT JOIN congress_step cs ON cs.organisation_id = o.id AND cs.round_id = :round"
                         " AND cs.step_id = s.id")
            + f" AND {missing}", no=False, **leads,
        )
        by_id = {s.id: s for s in steps}
        order = {s.id: i for i, s in enumerate(steps)}
        found: dict[str, Behind] = {}
        for code, name, level, committee, group, planned_on, step_id in rows:
            planned_on, step = to_date(planned_on), by_id[step_id]
            entry = found.get(code) or Behind(code, name, level, committee if level == "grassroots" else None, group,
                                              planned_on, (planned_on - self.as_of).days, ())
            found[code] = entry._replace(missing=entry.missing + (
                MissingStep(step.code, step.name, rules.step_due_on(planned_on, step.days_before), order[step_id]),))
        return sorted((b._replace(missing=tuple(sorted(b.missing, key=lambda m: m.position)))
                       for b in found.values()), key=lambda b: (b.days_left, b.code))

    def results(self, by: str) -> list[Results]:
        """Sums of the results of the congresses held by the as-of date, by 'level' (in the levels'
        order) or by 'group' (the unassigned last)."""
        sums = ", ".join(f"sum({sql}) AS {name}" for name, sql in RESULT_SUMS.items())
        if by == "level":
            rows = self._rows(f"SELECT o.level, count(*), {sums}" + self._from(groups=False)
                              + f" AND {self._held_sql()} GROUP BY o.level")
            found = {r[0]: Results(r[0], None, None, r[1], dict(zip(RESULT_SUMS, map(int, r[2:])))) for r in rows}
            return [found[level] for level in rules.LEVELS if level in found]
        rows = self._rows(
            "SELECT g.number, g.name, t.* FROM (SELECT k.working_group_id AS id, count(*) AS held, " + sums
            + self._from() + f" AND o.level IN ('committee', 'grassroots') AND {self._held_sql()}"
            " GROUP BY k.working_group_id) t LEFT JOIN workinggroup g ON g.id = t.id"
        )
        found = [Results(None, r[0], r[1], int(r[3]), dict(zip(RESULT_SUMS, map(int, r[4:])))) for r in rows]
        return sorted(found, key=lambda r: (r.number is None, r.number or 0))

    def steps_of(self, org, planned_on: dt.date | None, held_on: dt.date | None) -> list[StepStanding]:
        """Each step of one congress (planned and held as congress_of gives them), in the round's order."""
        found = []
        for done in steps_done(self.store, self.round.id, org.id):
            done_on = done.done_on if done.done_on is not None and done.done_on <= self.as_of else None
            step = done.step
            found.append(StepStanding(
                step.code, step.name, step.days_before,
                rules.step_due_on(planned_on, step.days_before) if planned_on else None, done_on,
                done.note if done_on else None,
                not step.retired and rules.is_active(org.dissolved_on, self.as_of) and rules.step_missing(
                    planned_on=planned_on, held_on=held_on, done_on=done_on, days_before=step.days_before,
                    as_of=self.as_of),
            ))
        return found

    def result_of(self, org, held_on: dt.date | None) -> Result | None:
        """What the congress decided; None while it is not held by the as-of date."""
        return result_of(self.store, self.round.id, org.id) if held_on is not None else None

    @cached_property
    def sample(self) -> bool:
        return is_sample(self.store)


def changes(store: Store, organisation_id: int | None = None, limit: int | None = None, *,
            since: dt.date | None = None, group: int | None = None) -> list[tuple]:
    """History, newest first. `since` is a day in Vietnam; `group` is the working group the change
    was made as."""
    from congress.store.sql import to_moment

    # the current round's history and the register's own (organisations, groups, settings: no round)
    where = ["(h.round_id = :round OR h.round_id IS NULL)"]
    params = {"round": current_round(store).id}
    if organisation_id is not None:
        where.append("h.organisation_id = :organisation")
        params["organisation"] = organisation_id
    if since is not None:
        # a day as people mean it: from 00:00 in Vietnam (history is kept in UTC)
        where.append("h.at >= :since")
        params["since"] = rules.recorded_by(since - dt.timedelta(days=1))
    if group is not None:
        where.append("h.working_group = :group")
        params["group"] = group
    query = (
        "SELECT h.at, h.user, h.working_group, o.code, h.action, h.field, h.old_value, h.new_value, h.note"
        " FROM change h LEFT JOIN organisation o ON o.id = h.organisation_id"
        f" WHERE {' AND '.join(where)} ORDER BY h.id DESC"
    )
    if limit:
        query += " LIMIT :limit"
        params["limit"] = limit
    return [(to_moment(row[0]), *row[1:]) for row in store.rows(query, **params)]
