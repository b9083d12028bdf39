"""The rules of the round, one row per case; boundary days are cases of their own."""
from datetime import date

import pytest

from congress.domain.rules import Deadlines, Reason, Standing, assess, is_active

ROUND = Deadlines(target=date(2025, 8, 20), deadline=date(2025, 8, 31), pilot_deadline=date(2025, 8, 3))
D = date

CASES = [
    # (name, planned, held, pilot, as_of, standing, reason, days)
    # held, ordinary congress
    ("held well before target", D(2025, 6, 1), D(2025, 6, 2), False, D(2025, 7, 9), Standing.ON_TARGET, None, None),
    ("held the day before target", None, D(2025, 8, 19), False, D(2025, 9, 1), Standing.ON_TARGET, None, None),
    # "trước ngày 20/8" is strictly before: the target day itself is behind the target
    ("held on the target day is late", None, D(2025, 8, 20), False, D(2025, 9, 1), Standing.LATE, None, None),
    ("held the day after target", None, D(2025, 8, 21), False, D(2025, 9, 1), Standing.LATE, None, None),
    ("held on the deadline", None, D(2025, 8, 31), False, D(2025, 9, 1), Standing.LATE, None, None),
    ("held the day after deadline", None, D(2025, 9, 1), False, D(2025, 9, 1), Standing.AFTER_DEADLINE, None, None),
    ("held on the as-of day counts", None, D(2025, 7, 9), False, D(2025, 7, 9), Standing.ON_TARGET, None, None),
    # a held date after the as-of date does not count yet
    ("held the day after as-of", D(2025, 7, 10), D(2025, 7, 10), False, D(2025, 7, 9), Standing.ON_TRACK, None, None),
    ("held later, past deadline at as-of", None, D(2025, 9, 5), False, D(2025, 9, 2),
     Standing.OVERDUE, Reason.PAST_DEADLINE, 2),
    # pilot congresses
    ("pilot the day before its deadline", None, D(2025, 8, 2), True, D(2025, 8, 10), Standing.ON_TARGET, None, None),
    ("pilot on its deadline is late", None, D(2025, 8, 3), True, D(2025, 8, 10), Standing.LATE, None, None),
    ("pilot a day late is late", None, D(2025, 8, 4), True, D(2025, 8, 10), Standing.LATE, None, None),
    ("pilot after the round deadline", None, D(2025, 9, 1), True, D(2025, 9, 2), Standing.AFTER_DEADLINE, None, None),
    ("pilot not held the day before its deadline", D(2025, 8, 2), None, True, D(2025, 8, 2), Standing.ON_TRACK, None, None),
    ("pilot not held on its deadline", D(2025, 8, 3), None, True, D(2025, 8, 3), Standing.BEHIND_TARGET, None, None),
    ("pilot planned on its deadline", D(2025, 8, 3), None, True, D(2025, 7, 20),
     Standing.AT_RISK, Reason.PLANNED_AFTER_TARGET, None),
    ("pilot not held the day after", D(2025, 8, 3), None, True, D(2025, 8, 4), Standing.OVERDUE, Reason.PAST_DEADLINE, 1),
    ("pilot planned after its deadline", D(2025, 8, 10), None, True, D(2025, 7, 20),
     Standing.AT_RISK, Reason.PLANNED_AFTER_TARGET, None),
    # not held: overdue after the deadline, counted from the deadline
    ("not held on the deadline", D(2025, 8, 31), None, False, D(2025, 8, 31), Standing.BEHIND_TARGET, None, None),
    ("not held the day after deadline", None, None, False, D(2025, 9, 1), Standing.OVERDUE, Reason.PAST_DEADLINE, 1),
    ("deadline wins over a passed plan, days from the plan", D(2025, 7, 1), None, False, D(2025, 9, 10),
     Standing.OVERDUE, Reason.PAST_DEADLINE, 71),
    ("plan passed before the deadline: the count goes on", D(2025, 7, 18), None, False, D(2025, 9, 1),
     Standing.OVERDUE, Reason.PAST_DEADLINE, 45),
    # not held: planned date passed, counted from the planned date
    ("planned yesterday", D(2025, 7, 8), None, False, D(2025, 7, 9), Standing.OVERDUE, Reason.PLANNED_DATE_PASSED, 1),
    ("planned today is not overdue", D(2025, 7, 9), None, False, D(2025, 7, 9), Standing.ON_TRACK, None, None),
    ("planned passed after target", D(2025, 8, 21), None, False, D(2025, 8, 25),
     Standing.OVERDUE, Reason.PLANNED_DATE_PASSED, 4),
    # not held: behind target between target and deadline
    ("the day before target is not behind", D(2025, 8, 19), None, False, D(2025, 8, 19), Standing.ON_TRACK, None, None),
    ("not held on the target day is behind", D(2025, 8, 20), None, False, D(2025, 8, 20), Standing.BEHIND_TARGET, None, None),
    ("day after target", D(2025, 8, 25), None, False, D(2025, 8, 21), Standing.BEHIND_TARGET, None, None),
    ("no plan, day after target", None, None, False, D(2025, 8, 21), Standing.BEHIND_TARGET, None, None),
    # not held: at risk
    ("no planned date", None, None, False, D(2025, 7, 9), Standing.AT_RISK, Reason.NO_PLANNED_DATE, None),
    ("planned after the target", D(2025, 8, 21), None, False, D(2025, 7, 9),
     Standing.AT_RISK, Reason.PLANNED_AFTER_TARGET, None),
    ("planned the day before the target", D(2025, 8, 19), None, False, D(2025, 7, 9), Standing.ON_TRACK, None, None),
    ("planned on the target is at risk", D(2025, 8, 20), None, False, D(2025, 7, 9),
     Standing.AT_RISK, Reason.PLANNED_AFTER_TARGET, None),
    # on track
    ("planned ahead", D(2025, 7, 20), None, False, D(2025, 7, 9), Standing.ON_TRACK, None, None),
]


@pytest.mark.parametrize(
    "planned, held, pilot, as_of, standing, reason, days", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_assess(planned, held, pilot, as_of, standing, reason, days):
    result = assess(planned_on=planned, held_on=held, is_pilot=pilot, deadlines=ROUND, as_of=as_of)
    assert (result.standing, result.reason, result.days_overdue) == (standing, reason, days)


def test_a_round_without_pilot_deadline_judges_pilots_like_others():
    plain = Deadlines(target=D(2025, 8, 20), deadline=D(2025, 8, 31))
    result = assess(planned_on=None, held_on=D(2025, 8, 10), is_pilot=True, deadlines=plain, as_of=D(2025, 9, 1))
    assert result.standing is Standing.ON_TARGET


@pytest.mark.parametrize(
    "dissolved, as_of, active",
    [(None, D(2025, 7, 9), True), (D(2025, 7, 9), D(2025, 7, 9), False), (D(2025, 7, 10), D(2025, 7, 9), True),
     (D(2025, 7, 1), D(2025, 7, 9), False)],
)
def test_dissolved_organisations_leave_the_totals_from_that_day(dissolved, as_of, active):
    assert is_active(dissolved, as_of) is active


def test_held_standings_know_they_are_held():
    assert Standing.LATE.held and not Standing.OVERDUE.held


AS_OF = D(2025, 8, 3)
FORECASTS = [
    # (name, planned dates of those left, held in the last 14 days, finish, planned, unplanned, paced until)
    ("all plans before the target", [D(2025, 8, 10), D(2025, 8, 15)], 20, D(2025, 8, 15), 2, 0, None),
    ("some plans after the deadline", [D(2025, 8, 10), D(2025, 9, 5)], 20, D(2025, 9, 5), 2, 0, None),
    ("no plans and a slow pace", [None] * 10, 2, D(2025, 10, 12), 0, 10, D(2025, 10, 12)),
    ("no plans and no pace: no date", [None] * 3, 0, None, 0, 3, None),
    ("one left, judged by its plan", [D(2025, 8, 20)], 0, D(2025, 8, 20), 1, 0, None),
    ("a passed plan is no plan", [D(2025, 7, 1), D(2025, 8, 5)], 14, D(2025, 8, 5), 1, 1, D(2025, 8, 4)),
    ("the pace outlasts the plans", [D(2025, 8, 5), None, None], 2, D(2025, 8, 17), 1, 2, D(2025, 8, 17)),
    ("nothing left", [], 5, None, 0, 0, None),
]


@pytest.mark.parametrize("plans, recent, finish, planned, unplanned, paced", [c[1:] for c in FORECASTS],
                         ids=[c[0] for c in FORECASTS])
def test_forecast(plans, recent, finish, planned, unplanned, paced):
    from congress.domain.rules import forecast

    found = forecast(plans, recent, AS_OF)
    assert (found.finish_on, found.planned, found.unplanned, found.paced_until) == (finish, planned, unplanned, paced)
    assert found.done is (not plans)


@pytest.mark.parametrize("day, meets", [(D(2025, 8, 19), True), (D(2025, 8, 20), False), (D(2025, 8, 21), False)])
def test_before_the_target_means_strictly_before(day, meets):
    from congress.domain.rules import meets_target

    assert meets_target(day, ROUND.target) is meets


def test_forecast_says_by_how_much_the_deadline_is_missed():
    from congress.domain.rules import forecast

    assert forecast([D(2025, 9, 5)], 0, AS_OF).days_past(ROUND.deadline) == 5
    assert forecast([D(2025, 8, 25)], 0, AS_OF).days_past(ROUND.deadline) == 0


PARENTS = [
    ("a committee under a city", "committee", "city", None),
    ("a grassroots organisation under a committee", "grassroots", "committee", None),
    ("a city is a root", "city", None, None),
    ("a city under a city", "city", "city", "city_has_parent"),
    ("a grassroots organisation under a city", "grassroots", "city", "wrong_parent_level"),
    ("a committee under a committee", "committee", "committee", "wrong_parent_level"),
    ("a committee with no parent", "committee", None, "missing_parent"),
]


@pytest.mark.parametrize("level, parent, problem", [c[1:] for c in PARENTS], ids=[c[0] for c in PARENTS])
def test_which_level_may_be_the_parent_of_which(level, parent, problem):
    from congress.domain.rules import parent_level_problem

    assert parent_level_problem(level, parent) == problem


LOWER_FIRST = [
    # (name, held, child held, child dissolved, held before the child)
    ("child held the day before", D(2025, 8, 10), D(2025, 8, 9), None, False),
    ("child held the same day", D(2025, 8, 10), D(2025, 8, 10), None, False),
    ("child held the day after", D(2025, 8, 10), D(2025, 8, 11), None, True),
    ("child never held", D(2025, 8, 10), None, None, True),
    ("child dissolved before: it does not count", D(2025, 8, 10), None, D(2025, 8, 1), False),
    ("child dissolved after", D(2025, 8, 10), None, D(2025, 8, 20), True),
    ("not held itself", None, None, None, False),
]


@pytest.mark.parametrize("held, child, dissolved, before", [c[1:] for c in LOWER_FIRST], ids=[c[0] for c in LOWER_FIRST])
def test_lower_levels_first(held, child, dissolved, before):
    from congress.domain.rules import held_before_child

    assert held_before_child(held, child, dissolved) is before


def test_round_dates_fit_on_every_level():
    from congress.domain.rules import level_deadlines, round_dates_problems

    fitting = level_deadlines(D(2025, 8, 20), D(2025, 8, 31), D(2025, 8, 3), {"city": (D(2025, 9, 30), D(2025, 10, 31))})
    assert round_dates_problems(fitting) == []
    broken = level_deadlines(D(2025, 8, 20), D(2025, 8, 22), D(2025, 8, 3), {"grassroots": (D(2025, 8, 25), None)})
    assert [(p.kind, p.level) for p in round_dates_problems(broken)] == [("target_after_deadline", "grassroots")]
    late_pilot = level_deadlines(D(2025, 8, 20), D(2025, 8, 31), D(2025, 9, 3), {})
    assert {p.kind for p in round_dates_problems(late_pilot)} == {"pilot_after_deadline"}


# --- windows: the dates each kind of date may take ------------------------------------------------

from congress.domain.rules import as_of_window, dissolved_window, held_window, outside, planned_window  # noqa: E402

START, TODAY, DEADLINE = D(2024, 6, 14), D(2026, 11, 21), D(2025, 8, 31)
WINDOW_CASES = [
    # (name, window, day, broken bound)
    ("held on the round's first day", held_window(START, TODAY), START, None),
    ("held the day before the round", held_window(START, TODAY), D(2024, 6, 13), "before"),
    ("held in year 25", held_window(START, TODAY), D(25, 7, 9), "before"),
    ("held today", held_window(START, TODAY), TODAY, None),
    ("held tomorrow", held_window(START, TODAY), D(2026, 11, 22), "after"),
    ("planned on the round's first day", planned_window(START, DEADLINE), START, None),
    ("planned before the round", planned_window(START, DEADLINE), D(2024, 1, 1), "before"),
    ("planned 5 years after the deadline", planned_window(START, DEADLINE), D(2030, 8, 31), None),
    ("planned a day later", planned_window(START, DEADLINE), D(2030, 9, 1), "after"),
    ("planned in 9999", planned_window(START, DEADLINE), D(9999, 12, 31), "after"),
    ("a 29 February deadline", planned_window(START, D(2028, 2, 29)), D(2033, 2, 28), None),
    ("dissolved the day after its congress", dissolved_window(D(2025, 7, 23)), D(2025, 7, 24), None),
    ("dissolved on the day of its congress", dissolved_window(D(2025, 7, 23)), D(2025, 7, 23), "before"),
    ("dissolved never held, in 2000", dissolved_window(None), D(2000, 1, 1), None),
    ("dissolved in 1899", dissolved_window(None), D(1899, 12, 31), "before"),
    ("as of 1/1/2000", as_of_window(), D(2000, 1, 1), None),
    ("as of 31/12/1999", as_of_window(), D(1999, 12, 31), "before"),
    ("as of 31/12/2099", as_of_window(), D(2099, 12, 31), None),
    ("as of 1/1/2100", as_of_window(), D(2100, 1, 1), "after"),
]


@pytest.mark.parametrize("name, window, day, broken", WINDOW_CASES, ids=[c[0] for c in WINDOW_CASES])
def test_windows(name, window, day, broken):
    assert outside(day, window) == broken
