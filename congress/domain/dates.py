"""Dates as users type them: day-first, ISO, or "hôm nay"."""
from __future__ import annotations

import re
from datetime import date

from congress.domain import vn
from congress.domain.errors import CongressError
from congress.domain.rules import as_of_window, outside

# ASCII digits only: re's \d also takes "١٧" and other scripts' digits, which no clerk types
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d+))?", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_TODAY = {"today", "hom nay"}
_YEARS = "năm viết đủ bốn chữ số (năm viết hai chữ số được hiểu là 20YY)."


def parse_date(text: str, *, default_year: int, today: date) -> date:
    """`20/8`, `20/8/2025`, `20-08-2025`, `2025-08-20`, `today`, `hôm nay`; a missing year is default_year."""
    raw = text.strip()
    if vn.fold(raw) in _TODAY:
        return today
    if m := _ISO.fullmatch(raw):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DAY_FIRST.fullmatch(raw):
        day, month = int(m[1]), int(m[2])
        if m[3] is not None and len(m[3]) not in (2, 4):
            raise CongressError(f"Ngày không hợp lệ: «{text}»: {_YEARS}")
        year = default_year if m[3] is None else int(m[3])
        if m[3] is not None and len(m[3]) == 2:
            year += 2000
    else:
        raise CongressError(
            f"Ngày không hợp lệ: «{text}». Viết ngày trước tháng, ví dụ 20/8/2025, 20/8 hoặc 2025-08-20."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise CongressError(f"Ngày không có thật: «{text}» (ngày {day}, tháng {month}, năm {year}).") from None


def two_digit_year(text: str) -> bool:
    m = _DAY_FIRST.fullmatch(text.strip())
    return bool(m and m[3] and len(m[3]) == 2)


def outside_error(label: str, on: date, window: tuple[date, date], why: str, typed: str | None = None) -> CongressError:
    """The one message for a date outside its window (congress.domain.rules: held_window, planned_window…):
    what the date is, which days it may take and why; a two-digit year says how it was read."""
    note = f" Năm «{typed.strip()}» viết hai chữ số được hiểu là {on.year}." if typed and two_digit_year(typed) else ""
    return CongressError(
        f"{label} {vn.day(on)} nằm ngoài khoảng cho phép: {why}, từ {vn.day(window[0])} đến {vn.day(window[1])}.{note}"
    )


def check_window(label: str, on: date, window: tuple[date, date], why: str, typed: str | None = None) -> None:
    if outside(on, window):
        raise outside_error(label, on, window, why, typed)


def check_as_of(label: str, on: date, typed: str | None = None) -> None:
    """Any date that is neither held, planned nor dissolved: within the years the tool prints."""
    check_window(label, on, as_of_window(), "trong các năm phần mềm xử lý", typed)


def today() -> date:
    """CONGRESS_TODAY replays a day (tests, rehearsals), ISO or day-first; otherwise the machine's date."""
    import os

    fixed = os.environ.get("CONGRESS_TODAY")
    if not fixed:
        return date.today()
    try:
        day = parse_date(fixed, default_year=date.today().year, today=date.today())
        check_as_of("Ngày", day, fixed)
    except CongressError as error:
        raise CongressError(f"Biến môi trường CONGRESS_TODAY: {error}") from None
    return day
