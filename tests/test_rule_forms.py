"""Every rule with an SQL form: one table of cases, run through the Python function and through the
SQL expression (on SQLite, and on PostgreSQL when the suite runs there), which must agree."""
import datetime as dt
import sqlite3

import pytest
from conftest import ON_POSTGRES, SERVER

from congress.domain import rules
from congress.store.sql import Store

D = dt.date
AS_OF = D(2025, 7, 9)


@pytest.fixture
def store():
    """A scratch database of the backend under test, with typed columns as the register has them."""
    if ON_POSTGRES:
        import psycopg

        found = Store(psycopg.connect(SERVER), "postgresql", owned=True)
        kinds = {"date": "DATE", "moment": "TIMESTAMP WITHOUT TIME ZONE"}
    else:
        found = Store(sqlite3.connect(":memory:"), "sqlite", owned=True)
        kinds = {"date": "DATE", "moment": "DATETIME"}
    found.rows(
        f"CREATE TEMPORARY TABLE cases (id INTEGER, level TEXT, parent_id INTEGER, held_on {kinds['date']},"
        f" planned_on {kinds['date']}, dissolved_on {kinds['date']}, as_of {kinds['date']},"
        f" first {kinds['date']}, last {kinds['date']})"
    )
    found.rows(
        f"CREATE TEMPORARY TABLE change (id INTEGER, organisation_id INTEGER, field TEXT, at {kinds['moment']},"
        " old_value TEXT, new_value TEXT, round_id INTEGER, action TEXT)"
    )
    yield found
    found.close()


def evaluate(store, expression: str, **columns):
    store.rows("DELETE FROM cases")
    row = dict(id=1, level=None, parent_id=None, held_on=None, planned_on=None, dissolved_on=None, as_of=AS_OF,
               first=None, last=None) | columns
    store.rows("INSERT INTO cases VALUES (:id, :level, :parent_id, :held_on, :planned_on, :dissolved_on, :as_of,"
               " :first, :last)", **row)
    value = store.value(f"SELECT CASE WHEN {expression} THEN 1 ELSE 0 END FROM cases")
    return bool(value)


HELD = [
    # (name, held_on, as_of)
    ("not held", None, AS_OF),
    ("held the day before", D(2025, 7, 8), AS_OF),
    ("held on the as-of day", AS_OF, AS_OF),
    ("held the day after", D(2025, 7, 10), AS_OF),
]


@pytest.mark.parametrize("held_on, as_of", [c[1:] for c in HELD], ids=[c[0] for c in HELD])
def test_held_as_of(store, held_on, as_of):
    python = rules.is_held(held_on, as_of)
    assert evaluate(store, rules.is_held_sql("held_on", "as_of"), held_on=held_on, as_of=as_of) is python


ACTIVE = [
    ("never dissolved", None, AS_OF, True),
    ("dissolved the day before", D(2025, 7, 8), AS_OF, False),
    ("dissolved on the as-of day", AS_OF, AS_OF, False),
    ("dissolved the day after", D(2025, 7, 10), AS_OF, True),
]


@pytest.mark.parametrize("dissolved_on, as_of, active", [c[1:] for c in ACTIVE], ids=[c[0] for c in ACTIVE])
def test_active_as_of(store, dissolved_on, as_of, active):
    assert rules.is_active(dissolved_on, as_of) is active
    assert evaluate(store, rules.is_active_sql("dissolved_on", "as_of"), dissolved_on=dissolved_on, as_of=as_of) is active


SPANS = [
    # (name, planned_on, held_on, span, expected): span as rules.upcoming_span / rest_of_month give it
    ("next 7 days: the as-of day itself", AS_OF, None, rules.upcoming_span(AS_OF, 7), True),
    ("next 7 days: the 7th day", D(2025, 7, 15), None, rules.upcoming_span(AS_OF, 7), True),
    ("next 7 days: not the 8th", D(2025, 7, 16), None, rules.upcoming_span(AS_OF, 7), False),
    ("next 1 day is today only", D(2025, 7, 10), None, rules.upcoming_span(AS_OF, 1), False),
    ("a plan already passed", D(2025, 7, 8), None, rules.upcoming_span(AS_OF, 7), False),
    ("no plan", None, None, rules.upcoming_span(AS_OF, 7), False),
    ("held already: not expected", D(2025, 7, 9), D(2025, 7, 9), rules.upcoming_span(AS_OF, 7), False),
    ("held later: still expected", D(2025, 7, 12), D(2025, 7, 12), rules.upcoming_span(AS_OF, 7), True),
    ("rest of month: the last day", D(2025, 7, 31), None, rules.rest_of_month(AS_OF), True),
    ("rest of month: not the next month", D(2025, 8, 1), None, rules.rest_of_month(AS_OF), False),
    ("rest of month: not earlier this month", D(2025, 7, 1), None, rules.rest_of_month(AS_OF), False),
    ("rest of a February in a leap year", D(2028, 2, 29), None, rules.rest_of_month(D(2028, 2, 3)), True),
]


@pytest.mark.parametrize("planned_on, held_on, span, expected", [c[1:] for c in SPANS], ids=[c[0] for c in SPANS])
def test_expected_in_a_span(store, planned_on, held_on, span, expected):
    as_of = span[0]
    assert rules.is_expected(planned_on, held_on, as_of, span) is expected
    sql = rules.is_expected_sql("planned_on", "held_on", "as_of", "first", "last")
    assert evaluate(store, sql, planned_on=planned_on, held_on=held_on, as_of=as_of, first=span[0], last=span[1]) \
        is expected


def test_the_next_n_days_are_n_days():
    assert rules.upcoming_span(AS_OF, 7) == (AS_OF, D(2025, 7, 15))
    assert rules.upcoming_span(AS_OF, 0) is None


COMMITTEES = [
    ("a committee is its own", "committee", 5, 1, 5),
    ("a grassroots organisation's is its parent", "grassroots", 9, 5, 5),
    ("a city has none", "city", 1, None, None),
]


@pytest.mark.parametrize("level, id_, parent_id, committee", [c[1:] for c in COMMITTEES], ids=[c[0] for c in COMMITTEES])
def test_committee_of(store, level, id_, parent_id, committee):
    assert rules.committee_id(level, id_, parent_id) == committee
    store.rows("DELETE FROM cases")
    store.rows("INSERT INTO cases (id, level, parent_id) VALUES (:id, :level, :parent)", id=id_, level=level,
               parent=parent_id)
    assert store.value(f"SELECT {rules.committee_id_sql('level', 'id', 'parent_id')} FROM cases") == committee


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2025, 7, day, hour, tzinfo=dt.timezone.utc)


CUTOFF = rules.recorded_by(AS_OF)  # 17:00 UTC on 9/7
RECORDED = [
    # (name, current, history [(at, old, new)], value at the cutoff)
    ("no history: the value as it is", D(2025, 7, 20), [], D(2025, 7, 20)),
    ("set before the day ended", D(2025, 7, 20), [(_at(1, 1), None, D(2025, 7, 20))], D(2025, 7, 20)),
    ("set after the day ended: unknown then", D(2025, 7, 20), [(_at(10, 1), None, D(2025, 7, 20))], None),
    ("set at 23:59 Vietnam time counts", D(2025, 7, 20), [(_at(9, 16), None, D(2025, 7, 20))], D(2025, 7, 20)),
    ("set at 00:00 the next day does not", D(2025, 7, 20), [(_at(9, 17), None, D(2025, 7, 20))], None),
    ("moved later: the plan of the day", D(2025, 7, 25),
     [(_at(1, 1), None, D(2025, 7, 20)), (_at(12, 1), D(2025, 7, 20), D(2025, 7, 25))], D(2025, 7, 20)),
    ("moved twice before: the newest", D(2025, 7, 25),
     [(_at(1, 1), None, D(2025, 7, 20)), (_at(5, 1), D(2025, 7, 20), D(2025, 7, 25))], D(2025, 7, 25)),
    ("two changes in one moment: the later row wins", D(2025, 7, 22),
     [(_at(1, 1), None, D(2025, 7, 20)), (_at(1, 1), D(2025, 7, 20), D(2025, 7, 22))], D(2025, 7, 22)),
    ("withdrawn after the day: it stood then", None, [(_at(1, 1), None, D(2025, 7, 5)), (_at(10, 1), D(2025, 7, 5), None)],
     D(2025, 7, 5)),
]


@pytest.mark.parametrize("current, history, expected", [c[1:] for c in RECORDED], ids=[c[0] for c in RECORDED])
def test_value_as_recorded(store, current, history, expected):
    assert rules.value_as_recorded(current, history, CUTOFF) == expected
    store.rows("DELETE FROM cases")
    store.rows("DELETE FROM change")
    store.rows("INSERT INTO cases (id, planned_on) VALUES (1, :planned)", planned=current)
    for number, (at, old, new) in enumerate(history, start=1):
        store.rows("INSERT INTO change VALUES (:id, 1, 'planned_on', :at, :old, :new, 1, 'schedule')", id=number,
                   at=at, old=old.isoformat() if old else None, new=new.isoformat() if new else None)
    # the same organisation's congress of another round, moved on either side of the day: not this one's
    for number, at in enumerate((_at(2, 1), _at(12, 1)), start=100):
        store.rows("INSERT INTO change VALUES (:id, 1, 'planned_on', :at, '2030-01-01', '2030-02-02', 2,"
                   " 'schedule')", id=number, at=at)
    sql = rules.value_as_recorded_sql("planned_on", "c.planned_on", "c.id", ":cutoff", store.as_date)
    found = store.value(f"SELECT {sql} FROM cases c", cutoff=CUTOFF, round=1)
    assert (dt.date.fromisoformat(found) if isinstance(found, str) else found) == expected


ROUND_STARTS = [
    # (name, the round's starts_on, its name, the day it began)
    ("its own start wins", D(2025, 3, 1), "2025-2030", D(2025, 3, 1)),
    ("the year its name begins with", None, "2025-2030", D(2025, 1, 1)),
    ("a name that is a year alone", None, "2030", D(2030, 1, 1)),
    ("five digits are not a year", None, "20255-2030", None),
    ("a name without a year", None, "Nhiệm kỳ mới", None),
]


@pytest.mark.parametrize("starts_on, name, began", [c[1:] for c in ROUND_STARTS], ids=[c[0] for c in ROUND_STARTS])
def test_round_start(store, starts_on, name, began):
    assert rules.round_start(starts_on, name) == began
    if store.dialect == "postgresql":  # the SQL form is PostgreSQL's own (congress_write checks with it),
        # and a write takes the first day the tool knows where neither gives a start
        expression = rules.round_start_sql("CAST(:starts AS DATE)", "CAST(:name AS TEXT)")
        assert store.value(f"SELECT {expression}", starts=starts_on, name=name) == (began or rules.as_of_window()[0])


STEP_MISSING = [
    # (name, planned_on, held_on, done_on, days_before, missing as of AS_OF): the due day is planned − days_before
    ("exactly at the lead time: the due day itself", AS_OF + dt.timedelta(days=20), None, None, 20, False),
    ("one day inside the lead time", AS_OF + dt.timedelta(days=19), None, None, 20, True),
    ("outside the lead time", AS_OF + dt.timedelta(days=30), None, None, 20, False),
    ("done on the as-of day", AS_OF + dt.timedelta(days=5), None, AS_OF, 20, False),
    ("done after the as-of day", AS_OF + dt.timedelta(days=5), None, AS_OF + dt.timedelta(days=1), 20, True),
    ("planned date already passed", AS_OF - dt.timedelta(days=3), None, None, 20, True),
    ("held by the as-of day", AS_OF + dt.timedelta(days=5), AS_OF, None, 20, False),
    ("held after the as-of day", AS_OF + dt.timedelta(days=5), AS_OF + dt.timedelta(days=5), None, 20, True),
    ("no planned date", None, None, None, 20, False),
]


@pytest.mark.parametrize("planned_on, held_on, done_on, days_before, missing",
                         [c[1:] for c in STEP_MISSING], ids=[c[0] for c in STEP_MISSING])
def test_step_missing(store, planned_on, held_on, done_on, days_before, missing):
    python = rules.step_missing(planned_on=planned_on, held_on=held_on, done_on=done_on, days_before=days_before,
                                as_of=AS_OF)
    assert python is missing
    # the scratch table's `first` holds the done date, `last` the lead_until parameter
    sql = rules.step_missing_sql("planned_on", "held_on", "first", "as_of", "last")
    assert evaluate(store, sql, planned_on=planned_on, held_on=held_on, first=done_on,
                    last=rules.lead_until(AS_OF, days_before)) is missing


RESULTS = [
    # (name, values, the problems' kinds)
    ("nothing yet", {}, []),
    ("a committee alone", {"committee_members": 30}, []),
    ("women above the committee", {"committee_members": 30, "women": 31}, ["part_above_whole"]),
    ("standing above the committee", {"committee_members": 9, "standing_members": 10}, ["part_above_whole"]),
    ("present above the summoned", {"delegates": 100, "present": 101}, ["part_above_whole"]),
    ("a part without its whole", {"women": 31}, []),
    ("negative", {"delegates": -1}, ["negative"]),
    ("beyond 100.000", {"delegates": 100_001}, ["too_large"]),
    ("100.000 itself", {"delegates": 100_000}, []),
    ("five contents", {"contents": 5}, ["contents"]),
    ("chosen some other way", {"committee_by": "drawn"}, ["chosen_by"]),
]


@pytest.mark.parametrize("values, kinds", [c[1:] for c in RESULTS], ids=[c[0] for c in RESULTS])
def test_result_problems(values, kinds):
    """The Python form; its SQL form is the congress table's CHECK, tried in test_whole_congress_writes."""
    assert [p.kind for p in rules.result_problems(values)] == kinds


START = D(2025, 1, 1)
DONE = [
    # (name, done_on, held_on, today, inside): today is AS_OF; the window runs from the round's start (START)
    ("the round's first day", START, None, AS_OF, True),
    ("the day before the round began", START - dt.timedelta(days=1), None, AS_OF, False),
    ("today", AS_OF, None, AS_OF, True),
    ("tomorrow", AS_OF + dt.timedelta(days=1), None, AS_OF, False),
    ("the day its congress was held", D(2025, 6, 30), D(2025, 6, 30), AS_OF, True),
    ("the day after its congress", D(2025, 7, 1), D(2025, 6, 30), AS_OF, False),
    ("today, its congress held later", AS_OF, AS_OF + dt.timedelta(days=3), AS_OF, True),
    ("after today, before a congress held later", AS_OF + dt.timedelta(days=1), AS_OF + dt.timedelta(days=3), AS_OF,
     False),
    ("no date at all", None, None, AS_OF, False),
]


@pytest.mark.parametrize("done_on, held_on, today, inside", [c[1:] for c in DONE], ids=[c[0] for c in DONE])
def test_done_window(store, done_on, held_on, today, inside):
    assert rules.in_span(done_on, rules.done_window(START, today, held_on)) is inside
    # the scratch table's `planned_on` holds the done date, `first` the round's start
    sql = rules.in_span_sql("planned_on", *rules.done_window_sql("first", "as_of", "held_on"))
    assert evaluate(store, sql, planned_on=done_on, held_on=held_on, first=START, as_of=today) is inside


OF_ROUND = [
    # (name, action, field, whether the row is the round's)
    ("a log", "log", "held_on", True),
    ("a result", "result", "delegates", True),
    ("a step", "step", "step:to-trinh", True),
    ("the round's dates", "round.set", "deadline_on", True),
    ("a round closed", "round.close", "closed", True),
    ("an undo of a plan", "undo", "planned_on", True),
    ("an organisation added", "org.add", None, False),
    ("an organisation renamed", "org.edit", "name", False),
    ("a working group", "group.add", None, False),
    ("a committee given to a group", "group.assign", "working_group_id", False),
    ("a setting", "setting.set", "issuer", False),
    ("an undo of a rename", "undo", "name", False),
    ("an undo of a group's committee", "undo", "working_group_id", False),
]


@pytest.mark.parametrize("action, field, expected", [c[1:] for c in OF_ROUND], ids=[c[0] for c in OF_ROUND])
def test_history_of_a_round(store, action, field, expected):
    assert rules.is_of_round(action, field) is expected
    store.rows("DELETE FROM change")
    store.rows("INSERT INTO change (id, field, action) VALUES (1, :field, :action)", field=field, action=action)
    sql = rules.is_of_round_sql("action", "field")
    assert bool(store.value(f"SELECT CASE WHEN {sql} THEN 1 ELSE 0 END FROM change")) is expected
