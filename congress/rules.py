"""The rules of a congress round: what is on target, late, overdue, at risk.

Pure: no database, no Click. Every status shown anywhere is computed here, at query
time, from a congress's dates and the round's deadlines; nothing here is stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum


class Standing(str, Enum):
    # Held on or before the as-of date
    ON_TARGET = "on_target"
    LATE = "late"
    AFTER_DEADLINE = "after_deadline"
    # Not held by the as-of date
    OVERDUE = "overdue"
    BEHIND_TARGET = "behind_target"
    AT_RISK = "at_risk"
    ON_TRACK = "on_track"

    @property
    def held(self) -> bool:
        return self in HELD


HELD = frozenset({Standing.ON_TARGET, Standing.LATE, Standing.AFTER_DEADLINE})


class Reason(str, Enum):
    PAST_DEADLINE = "past_deadline"
    PLANNED_DATE_PASSED = "planned_date_passed"
    NO_PLANNED_DATE = "no_planned_date"
    PLANNED_AFTER_TARGET = "planned_after_target"


@dataclass(frozen=True)
class Deadlines:
    """The dates one congress is judged against (a level's, after any override)."""

    target: date
    deadline: date
    pilot_deadline: date | None = None

    def for_congress(self, is_pilot: bool) -> "Deadlines":
        """A pilot congress has the pilot deadline as both its target and its overdue date."""
        if is_pilot and self.pilot_deadline is not None:
            return Deadlines(self.pilot_deadline, self.deadline, self.pilot_deadline)
        return Deadlines(self.target, self.deadline, None)

    @property
    def overdue_after(self) -> date:
        return self.pilot_deadline or self.deadline


@dataclass(frozen=True)
class Assessment:
    standing: Standing
    reason: Reason | None = None
    days_overdue: int | None = None


def is_held(held_on: date | None, as_of: date) -> bool:
    """A held date after the as-of date does not count yet: that is what lets --as-of replay the past."""
    return held_on is not None and held_on <= as_of


def is_active(dissolved_on: date | None, as_of: date) -> bool:
    """An organisation dissolved on or before the as-of date leaves every total."""
    return dissolved_on is None or dissolved_on > as_of


def assess(
    *,
    planned_on: date | None,
    held_on: date | None,
    is_pilot: bool,
    deadlines: Deadlines,
    as_of: date,
) -> Assessment:
    own = deadlines.for_congress(is_pilot)
    if is_held(held_on, as_of):
        assert held_on is not None
        if held_on <= own.target:
            return Assessment(Standing.ON_TARGET)
        if held_on <= own.deadline:
            return Assessment(Standing.LATE)
        return Assessment(Standing.AFTER_DEADLINE)
    if as_of > own.overdue_after:
        return Assessment(Standing.OVERDUE, Reason.PAST_DEADLINE, (as_of - own.overdue_after).days)
    if planned_on is not None and planned_on < as_of:
        return Assessment(Standing.OVERDUE, Reason.PLANNED_DATE_PASSED, (as_of - planned_on).days)
    if own.target < as_of:
        return Assessment(Standing.BEHIND_TARGET)
    if planned_on is None:
        return Assessment(Standing.AT_RISK, Reason.NO_PLANNED_DATE)
    if planned_on > own.target:
        return Assessment(Standing.AT_RISK, Reason.PLANNED_AFTER_TARGET)
    return Assessment(Standing.ON_TRACK)
