"""The rules of a congress round: what counts as held, active, on target, late, overdue, at risk;
which level sits under which; which dates fit; what "the next N days" and "this month" mean;
the forecast.

Pure: no database, no Click. Every status shown anywhere is computed here, at query time, from a
congress's dates and the round's deadlines; nothing here is stored. Where a rule must also run
inside SQL (counting at national scale), its SQL form sits right beside it (the `*_sql` functions:
portable SQL text over column names and `:parameters`), and tests/test_rules.py drives both forms
with one table of cases, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from datetime import date
from enum import Enum
from typing import NamedTuple

# --- levels -------------------------------------------------------------------------------------

# Top down: the order every listing shows them in. A round runs the other way (LOWER_FIRST).
# What a value the register holds may be: more is a pasted document or a typo (sheets, register, the CLI's options)
MAX_CELL_CHARS = 1000  # a name, a kind or a note; also what register.clean_name allows
MAX_COUNT = 10_000_000  # a number of party members or a group number
MAX_BRIEF_NUMBER = 999_999  # a brief's number (`brief --number`, the web's brief form)
MAX_RETURN_ROWS = 5_000  # rows of a return sheet (held, schedule): the whole city holds about 2.000 organisations
MAX_UPLOAD_MB = 5  # a sheet sent through the browser (the web's forms; its pages say this limit)

LEVELS = ("city", "committee", "grassroots")
LOWER_FIRST = tuple(reversed(LEVELS))
# Which level a parent must be: a city is a root, a committee sits under a city, a grassroots
# organisation under a committee.
PARENT_LEVEL = {"city": None, "committee": "city", "grassroots": "committee"}


def parent_level_problem(level: str, parent_level: str | None) -> str | None:
    """Why an organisation of `level` cannot sit under a parent of `parent_level` (None: it can)."""
    wanted = PARENT_LEVEL[level]
    if wanted is None:
        return None if parent_level is None else "city_has_parent"
    if parent_level is None:
        return "missing_parent"
    return None if parent_level == wanted else "wrong_parent_level"


def committee_id(level: str, id_: int, parent_id: int | None) -> int | None:
    """The committee an organisation belongs to: itself for a committee, its parent for a
    grassroots organisation, none for a city. Its working group is that committee's."""
    if level == "committee":
        return id_
    if level == "grassroots":
        return parent_id
    return None


def committee_id_sql(level: str, id_: str, parent_id: str) -> str:
    return f"(CASE WHEN {level} = 'committee' THEN {id_} WHEN {level} = 'grassroots' THEN {parent_id} END)"


# --- held, active -------------------------------------------------------------------------------


def is_held(held_on: date | None, as_of: date) -> bool:
    """A held date after the as-of date does not count yet: that is what lets --as-of replay the past."""
    return held_on is not None and held_on <= as_of


def is_held_sql(held_on: str, as_of: str) -> str:
    return f"({held_on} IS NOT NULL AND {held_on} <= {as_of})"


def is_active(dissolved_on: date | None, as_of: date) -> bool:
    """An organisation dissolved on or before the as-of date leaves every total."""
    return dissolved_on is None or dissolved_on > as_of


def is_active_sql(dissolved_on: str, as_of: str) -> str:
    return f"({dissolved_on} IS NULL OR {dissolved_on} > {as_of})"


# --- spans of days ------------------------------------------------------------------------------


def upcoming_span(as_of: date, days: int) -> tuple[date, date] | None:
    """"The next N days": N days starting with the as-of day itself (D … D+N−1); none for N = 0."""
    if days <= 0:
        return None
    return as_of, as_of + dt.timedelta(days=days - 1)


def rest_of_month(as_of: date) -> tuple[date, date]:
    """"From now to the end of the month": the as-of day through the last day of its month."""
    following = (as_of.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return as_of, following - dt.timedelta(days=1)


def in_span(day: date | None, span: tuple[date, date] | None) -> bool:
    return day is not None and span is not None and span[0] <= day <= span[1]


def in_span_sql(day: str, first: str, last: str) -> str:
    return f"({day} IS NOT NULL AND {day} >= {first} AND {day} <= {last})"


def is_expected(planned_on: date | None, held_on: date | None, as_of: date, span: tuple[date, date] | None) -> bool:
    """Not held by the as-of date and planned inside the span: "dự kiến" in every listing and count."""
    return not is_held(held_on, as_of) and in_span(planned_on, span)


def is_expected_sql(planned_on: str, held_on: str, as_of: str, first: str, last: str) -> str:
    return f"(NOT {is_held_sql(held_on, as_of)} AND {in_span_sql(planned_on, first, last)})"


# --- the round's dates --------------------------------------------------------------------------


class Deadlines(NamedTuple):
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


def level_deadlines(
    target: date, deadline: date, pilot_deadline: date | None, overrides: dict[str, tuple[date | None, date | None]]
) -> dict[str, Deadlines]:
    """Each level's dates: the round's, unless the level overrides its target or deadline."""
    found = {}
    for level in LEVELS:
        own_target, own_deadline = overrides.get(level, (None, None))
        found[level] = Deadlines(own_target or target, own_deadline or deadline, pilot_deadline)
    return found


class DatesProblem(NamedTuple):
    """Round dates that do not fit together: which two, on which level (None: the whole round)."""

    kind: str  # "target_after_deadline" | "pilot_after_deadline"
    level: str | None
    first: date
    second: date


def round_dates_problems(by_level: dict[str, Deadlines]) -> list[DatesProblem]:
    """Target ≤ deadline and pilot deadline ≤ deadline, on every level, overrides included."""
    found = []
    for level in LEVELS:
        d = by_level[level]
        if d.target > d.deadline:
            found.append(DatesProblem("target_after_deadline", level, d.target, d.deadline))
        if d.pilot_deadline is not None and d.pilot_deadline > d.deadline:
            found.append(DatesProblem("pilot_after_deadline", level, d.pilot_deadline, d.deadline))
    return found


def meets_target(day: date, target: date) -> bool:
    """"Phấn đấu hoàn thành trước ngày X": strictly before X; a congress held on X itself is behind the
    target. The deadline ("chậm nhất ngày Y") keeps Y: held on Y is in time (see assess)."""
    return day < target


def planned_after_deadline(planned_on: date, deadlines: Deadlines) -> bool:
    """A plan after its level's deadline is refused unless forced: it plans to be overdue."""
    return planned_on > deadlines.deadline


# --- lower levels first -------------------------------------------------------------------------


def held_before_child(held_on: date | None, child_held_on: date | None, child_dissolved_on: date | None) -> bool:
    """A round runs bottom up: a congress held while one of its active children had not yet held
    its own (the child held later, or not at all) comes before its children."""
    if held_on is None or not is_active(child_dissolved_on, held_on):
        return False
    return child_held_on is None or child_held_on > held_on


# --- standing -----------------------------------------------------------------------------------


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


class Assessment(NamedTuple):
    standing: Standing
    reason: Reason | None = None
    days_overdue: int | None = None


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
        if meets_target(held_on, own.target):
            return Assessment(Standing.ON_TARGET)
        if held_on <= own.deadline:
            return Assessment(Standing.LATE)
        return Assessment(Standing.AFTER_DEADLINE)
    passed_plan = planned_on is not None and planned_on < as_of
    if as_of > own.overdue_after:
        # Counted from whichever came first, so the count never drops as days pass.
        since = min(own.overdue_after, planned_on) if passed_plan else own.overdue_after
        return Assessment(Standing.OVERDUE, Reason.PAST_DEADLINE, (as_of - since).days)
    if passed_plan:
        return Assessment(Standing.OVERDUE, Reason.PLANNED_DATE_PASSED, (as_of - planned_on).days)
    if not meets_target(as_of, own.target):  # not held by the target day: it can no longer be before it
        return Assessment(Standing.BEHIND_TARGET)
    if planned_on is None:
        return Assessment(Standing.AT_RISK, Reason.NO_PLANNED_DATE)
    if not meets_target(planned_on, own.target):
        return Assessment(Standing.AT_RISK, Reason.PLANNED_AFTER_TARGET)
    return Assessment(Standing.ON_TRACK)


# --- preparation -------------------------------------------------------------------------------

# The 2025–2030 Party round's steps, in order: (code, name, days before the congress it must be done).
# The steps are those the working groups direct (the documents, the comments on them, the personnel
# plan, the group's own review, the convening decision); the lead times are our modelling choice.
DEFAULT_STEPS = (
    ("van-kien", "Xây dựng dự thảo văn kiện đại hội", 45),
    ("gop-y", "Lấy ý kiến góp ý vào dự thảo văn kiện", 30),
    ("nhan-su", "Phương án nhân sự có ý kiến của cấp ủy cấp trên", 20),
    ("tham-dinh", "Tổ công tác thẩm định công tác chuẩn bị", 10),
    ("trieu-tap", "Quyết định triệu tập đại hội", 5),
)
# The kinds of round a register knows from the start (issue 19): code, name, and the words of the brief's
# title ("Báo cáo tiến độ tổ chức đại hội {title} nhiệm kỳ {term}"). The office may add others.
DEFAULT_ROUND_KINDS = (
    ("dang", "Đại hội Đảng bộ", "đảng bộ các cấp"),
    ("mttq", "Đại hội Mặt trận Tổ quốc Việt Nam", "MTTQ các cấp"),
    ("cong-doan", "Đại hội Công đoàn", "công đoàn các cấp"),
    ("doan-thanh-nien", "Đại hội Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn Thanh niên các cấp"),
    ("phu-nu", "Đại hội Hội Liên hiệp Phụ nữ", "Hội Liên hiệp Phụ nữ các cấp"),
    ("cuu-chien-binh", "Đại hội Hội Cựu chiến binh", "Hội Cựu chiến binh các cấp"),
    ("nong-dan", "Đại hội Hội Nông dân", "Hội Nông dân các cấp"),
)
PARTY_KIND = "dang"
ROUND_KIND_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,29}")  # typed without diacritics, as a step's code
TERM = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")  # 2025-2030 or 2025–2030


def term_of(typed: str) -> str | None:
    """A term as printed (2025–2030, with an en dash), or None when `typed` is not two years in order."""
    found = TERM.fullmatch((typed or "").strip())
    if not found or int(found[2]) <= int(found[1]):
        return None
    return f"{found[1]}–{found[2]}"


# History that belongs to no round (change.round_id NULL): the register's organisations, working
# groups and settings are one for every round, so every round's history shows them. An undo of them
# is told by its field: organisation columns are the only ones these actions write.
SHARED_ACTIONS = ("org.add", "org.edit", "group.add", "group.assign", "setting.set", "round.kind")
SHARED_FIELDS = ("name", "kind", "parent_id", "party_members", "dissolved_on", "working_group_id")


def is_of_round(action: str, field: str | None) -> bool:
    """Whether a history row is a round's (its congresses, steps, results, dates), not the register's."""
    if action in SHARED_ACTIONS:
        return False
    return not (action == "undo" and field in SHARED_FIELDS)


def is_of_round_sql(action: str, field: str) -> str:
    """The SQL form, for the migration that files old history under its round."""
    shared = ", ".join(f"'{a}'" for a in SHARED_ACTIONS)
    fields = ", ".join(f"'{f}'" for f in SHARED_FIELDS)
    return (f"({action} NOT IN ({shared}) AND NOT ({action} = 'undo' AND {field} IS NOT NULL"
            f" AND {field} IN ({fields})))")


STEP_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,29}")  # a step's code as stored: typed without diacritics
MAX_DAYS_BEFORE = 365


def step_due_on(planned_on: date, days_before: int) -> date:
    """The last day a step may be done: `days_before` days before the planned congress."""
    return planned_on - dt.timedelta(days=days_before)


def step_missing(*, planned_on: date | None, held_on: date | None, done_on: date | None, days_before: int,
                 as_of: date) -> bool:
    """A congress not held by the as-of date, planned, past a step's due day and that step not done by the
    as-of date. The due day itself is still in time, as the deadline's own day is (assess): a congress
    exactly `days_before` days away is not yet behind on that step; one day closer, it is."""
    if is_held(held_on, as_of) or planned_on is None:
        return False
    return as_of > step_due_on(planned_on, days_before) and not (done_on is not None and done_on <= as_of)


def lead_until(as_of: date, days_before: int) -> date:
    """step_missing_sql's parameter: as_of > planned − N days is planned < as_of + N days, which needs no
    date arithmetic in SQL (SQLite and PostgreSQL add days differently)."""
    return as_of + dt.timedelta(days=days_before)


def step_missing_sql(planned_on: str, held_on: str, done_on: str, as_of: str, lead_until: str) -> str:
    return (f"(NOT {is_held_sql(held_on, as_of)} AND {planned_on} IS NOT NULL AND {planned_on} < {lead_until}"
            f" AND NOT ({done_on} IS NOT NULL AND {done_on} <= {as_of}))")


def done_window(starts_on: date, today: date, held_on: date | None) -> tuple[date, date]:
    """A step is done from the round's start to today, and never after its congress was held."""
    return starts_on, min(today, held_on) if held_on is not None else today


def done_window_sql(starts_on: str, today: str, held_on: str) -> tuple[str, str]:
    """The SQL form (a group role's step is refused by the server with it: congress.store.access)."""
    return starts_on, f"(CASE WHEN {held_on} IS NOT NULL AND {held_on} < {today} THEN {held_on} ELSE {today} END)"


# --- results ------------------------------------------------------------------------------------

CONTENTS = (2, 3, 4)  # the agenda held: the documents only … the full four contents
CHOSEN_BY = ("elected", "appointed")  # a committee or a secretary: elected at the congress, or appointed
MAX_RESULT = 100_000  # any count of a congress's result
# The counts a congress reports, in the order every output shows them
RESULT_COUNTS = ("committee_members", "standing_members", "delegates", "present", "women", "under_40", "ethnic",
                 "first_time", "delegates_up")
RESULT_FIELDS = ("contents", "committee_members", "committee_by", "standing_members", "secretary_by", "delegates",
                 "present", "women", "under_40", "ethnic", "first_time", "delegates_up", "result_note")
# (part, whole): a part can never exceed its whole
RESULT_PARTS = (
    ("standing_members", "committee_members"),
    ("women", "committee_members"),
    ("under_40", "committee_members"),
    ("ethnic", "committee_members"),
    ("first_time", "committee_members"),
    ("present", "delegates"),
)


class ResultProblem(NamedTuple):
    kind: str  # "negative" | "too_large" | "part_above_whole" | "contents" | "chosen_by"
    field: str
    value: object
    other: str | None = None  # the whole, for part_above_whole
    other_value: int | None = None


def result_problems(values: dict) -> list[ResultProblem]:
    """What cannot be true in a congress's result (every field given, None where not known yet)."""
    found = []
    for field in RESULT_COUNTS:
        value = values.get(field)
        if value is not None and value < 0:
            found.append(ResultProblem("negative", field, value))
        elif value is not None and value > MAX_RESULT:
            found.append(ResultProblem("too_large", field, value))
    contents = values.get("contents")
    if contents is not None and contents not in CONTENTS:
        found.append(ResultProblem("contents", "contents", contents))
    for field in ("committee_by", "secretary_by"):
        if values.get(field) is not None and values[field] not in CHOSEN_BY:
            found.append(ResultProblem("chosen_by", field, values[field]))
    for part, whole in RESULT_PARTS:
        if values.get(part) is not None and values.get(whole) is not None and values[part] > values[whole]:
            found.append(ResultProblem("part_above_whole", part, values[part], whole, values[whole]))
    return found


def result_fits_sql() -> str:
    """The SQL form, a CHECK on the congress table: what result_problems refuses, the database refuses."""
    counts = [f"({f} IS NULL OR ({f} >= 0 AND {f} <= {MAX_RESULT}))" for f in RESULT_COUNTS]
    contents = [f"(contents IS NULL OR contents IN ({', '.join(map(str, CONTENTS))}))"]
    chosen = [f"({f} IS NULL OR {f} IN ({', '.join(repr(c) for c in CHOSEN_BY)}))" for f in ("committee_by", "secretary_by")]
    parts = [f"({p} IS NULL OR {w} IS NULL OR {p} <= {w})" for p, w in RESULT_PARTS]
    return " AND ".join(counts + contents + chosen + parts)


# --- forecast -----------------------------------------------------------------------------------

PACE_DAYS = 14  # the pace is that of the last two weeks


class Forecast(NamedTuple):
    """When a level will finish: planned congresses on their planned dates, the rest at the recent
    pace. `finish_on` is None when nothing remains, or when some have no plan and the pace is zero
    (no date can be justified then)."""

    remaining: int
    planned: int  # remaining with a planned date still to come
    unplanned: int  # remaining with no planned date, or one already passed
    held_recently: int  # in the last PACE_DAYS days
    last_planned_on: date | None
    paced_until: date | None  # when the unplanned would be done at the recent pace
    finish_on: date | None

    @property
    def pace(self) -> float:
        return self.held_recently / PACE_DAYS

    @property
    def done(self) -> bool:
        return self.remaining == 0

    def days_past(self, day: date) -> int | None:
        """By how many days the finish misses `day` (0 when it does not); None without a finish."""
        if self.finish_on is None:
            return None
        return max((self.finish_on - day).days, 0)


def forecast(planned_dates: list[date | None], held_recently: int, as_of: date) -> Forecast:
    """`planned_dates`: one entry per congress not yet held (its planned date, or None)."""
    ahead = [d for d in planned_dates if d is not None and d >= as_of]
    unplanned = len(planned_dates) - len(ahead)
    last_planned_on = max(ahead, default=None)
    paced_until = None
    if unplanned and held_recently:
        paced_until = as_of + dt.timedelta(days=math.ceil(unplanned * PACE_DAYS / held_recently))
    if not planned_dates or (unplanned and paced_until is None):
        finish_on = None
    else:
        finish_on = max(d for d in (last_planned_on, paced_until) if d is not None)
    return Forecast(len(planned_dates), len(ahead), unplanned, held_recently, last_planned_on, paced_until, finish_on)


# --- what was known on a day --------------------------------------------------------------------


def recorded_by(as_of: date) -> dt.datetime:
    """The end of the as-of day in Vietnam (UTC+7), when that day's records close."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), VIETNAM)


def value_as_recorded(current, changes: list[tuple[dt.datetime, object, object]], cutoff: dt.datetime):
    """A congress's value as the register held it at `cutoff`, from its history (at, old, new):
    the newest value recorded before it; failing that, what the first later change replaced; with
    no history at all, the value as it is."""
    ordered = sorted(changes, key=lambda c: c[0])  # stable: changes at one moment keep their order
    before = [c for c in ordered if c[0] < cutoff]
    if before:
        return before[-1][2]
    if ordered:
        return ordered[0][1]
    return current


def value_as_recorded_sql(field: str, current: str, organisation_id: str, cutoff: str, as_date,
                          round_id: str = ":round") -> str:
    """The SQL form: `as_date` turns history's text into the column's type (a no-op on SQLite). Only
    the round's own history: the same organisation's congress of another round is another value."""
    history = (f"change h WHERE h.organisation_id = {organisation_id} AND h.field = '{field}'"
               f" AND h.round_id = {round_id}")
    before = f"SELECT {as_date('h.new_value')} FROM {history} AND h.at < {cutoff} ORDER BY h.at DESC, h.id DESC LIMIT 1"
    after = f"SELECT {as_date('h.old_value')} FROM {history} AND h.at >= {cutoff} ORDER BY h.at, h.id LIMIT 1"
    return (
        f"(CASE WHEN EXISTS (SELECT 1 FROM {history} AND h.at < {cutoff}) THEN ({before})"
        f" WHEN EXISTS (SELECT 1 FROM {history}) THEN ({after}) ELSE {current} END)"
    )


# --- windows: the dates each kind of date may take ------------------------------------------------

PLANNED_YEARS_AFTER_DEADLINE = 5  # a plan later than this is a typo (9999, year 25), not a late congress
AS_OF_YEARS = (2000, 2099)  # the years the tool reads and prints as dates; beyond them a date is a typo


def _years_later(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def held_window(starts_on: date, today: date) -> tuple[date, date]:
    """A congress of the round is held from the round's start to today (not before, not yet)."""
    return starts_on, today


def planned_window(starts_on: date, deadline: date) -> tuple[date, date]:
    """A plan falls from the round's start to a few years after the latest deadline."""
    return starts_on, _years_later(deadline, PLANNED_YEARS_AFTER_DEADLINE)


def dissolved_window(held_on: date | None) -> tuple[date, date]:
    """Dissolved after the congress it already held (on that day it still held it), within the years
    the tool knows."""
    first, last = as_of_window()
    return (max(first, held_on + dt.timedelta(days=1)) if held_on else first), last


def as_of_window() -> tuple[date, date]:
    """Any other date typed (as of, since, the issue date, the round's own dates, today)."""
    return date(AS_OF_YEARS[0], 1, 1), date(AS_OF_YEARS[1], 12, 31)


def round_start(starts_on: date | None, name: str) -> date | None:
    """The round's own start date; without one, a round named "2025-2030" is taken to start on 1/1/2025,
    the first year of the term it elects. None: neither (`check` then judges nothing against it; a
    write takes the first day the tool knows, as round_start_sql does)."""
    if starts_on is not None:
        return starts_on
    found = re.match(r"(\d{4})\b", name)
    return date(int(found[1]), 1, 1) if found else None


def round_start_sql(starts_on: str, name: str) -> str:
    """round_start, else the first day the tool knows (register.round_start): the round's own start,
    else 1/1 of the year its name begins with ("2025-2030"), else the first day the tool knows."""
    return (f"coalesce({starts_on}, make_date(substring({name} from '^([0-9]{{4}})\\y')::integer, 1, 1),"
            f" date '{as_of_window()[0].isoformat()}')")


def held_window_sql(starts_on: str, today: str) -> tuple[str, str]:
    return starts_on, today


def planned_window_sql(starts_on: str, deadline: str) -> tuple[str, str]:
    # PostgreSQL adds years as _years_later does: 29/2 + 5 years is 28/2
    return starts_on, f"({deadline} + interval '{PLANNED_YEARS_AFTER_DEADLINE} years')::date"


# The office's day: Vietnam's (UTC+7), the zone recorded_by closes a day in.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def today_sql() -> str:
    """Today as the database server's clock says it, in Vietnam (an interval is an ISO offset, east positive)."""
    return f"(now() AT TIME ZONE interval '{VIETNAM.utcoffset(None)}')::date"


def outside(day: date, window: tuple[date, date]) -> str | None:
    """Which bound of the window a date breaks: "before", "after", or None when it is inside."""
    if day < window[0]:
        return "before"
    if day > window[1]:
        return "after"
    return None


# --- text the register stores -------------------------------------------------------------------

# Characters that print nothing, move the cursor or reverse the text: in a name they hide what is
# stored (two names that look alike, a terminal taken over by an escape sequence).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
NOTE_ALLOWS = "\t\n"  # a note keeps its lines and tabs


def hidden_in_note(text: str) -> str | None:
    """The first hidden or control character of a note (None: there is none)."""
    return next((c for c in text if c not in NOTE_ALLOWS and unicodedata.category(c) in HIDDEN_CATEGORIES), None)


def note_fits(text: str) -> bool:
    """A note the register may hold: at most MAX_CELL_CHARS characters, no hidden character."""
    return len(text) <= MAX_CELL_CHARS and hidden_in_note(text) is None


def _hidden_ranges() -> list[tuple[int, int]]:
    found, first = [], None
    for point in range(0x110000):
        hidden = hidden_in_note(chr(point)) is not None
        if hidden and first is None:
            first = point
        elif not hidden and first is not None:
            found.append((first, point - 1))
            first = None
    if first is not None:
        found.append((first, 0x10FFFF))
    return found


def note_fits_sql(note: str) -> str:
    """The SQL form (PostgreSQL: its regular expressions name code points as \\UXXXXXXXX), generated from
    this Python's Unicode tables so that both refuse the same characters. NUL never reaches a text."""
    pieces = []
    for a, b in _hidden_ranges():  # UTF-8 holds no surrogate: PostgreSQL refuses to name one
        pieces += [(a, min(b, 0xD7FF)), (max(a, 0xE000), b)] if a <= 0xDFFF and b >= 0xD800 else [(a, b)]
    ranges = "".join(rf"\U{max(a, 1):08X}-\U{b:08X}" for a, b in pieces if a <= b)
    return f"(char_length({note}) <= {MAX_CELL_CHARS} AND {note} !~ '[{ranges}]')"
