"""Dates as users type them, numbers and names as they read them."""
from datetime import date, datetime, timedelta, timezone
from pathlib import PurePosixPath

import pytest

from congress.domain import vn
from congress.domain.dates import parse_date
from congress.domain.errors import CongressError

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("20/8", date(2025, 8, 20)),
        ("20/8/2025", date(2025, 8, 20)),
        ("20-08-2025", date(2025, 8, 20)),
        ("20.08.2025", date(2025, 8, 20)),
        ("07/09/2025", date(2025, 9, 7)),  # day first: 7 September
        ("9/7", date(2025, 7, 9)),
        ("9/7/25", date(2025, 7, 9)),
        ("2025-08-20", date(2025, 8, 20)),
        (" 2025-8-3 ", date(2025, 8, 3)),
        ("today", TODAY),
        ("hôm nay", TODAY),
        ("Hom Nay", TODAY),
        ("29/2/2024", date(2024, 2, 29)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, default_year=2025, today=TODAY) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "2025-13-01", "abc", "", "32/1", "0/5/2025", "29/2/2025", "20/8/202"])
def test_parse_date_refuses(text):
    with pytest.raises(CongressError) as error:
        parse_date(text, default_year=2025, today=TODAY)
    assert "Ngày" in str(error.value)


@pytest.mark.parametrize(
    "part, whole, text",
    [(1325, 1845, "71,8%"), (1845, 1845, "100,0%"), (0, 1845, "0,0%"), (1, 3, "33,3%"), (1, 8, "12,5%"), (0, 0, "—")],
)
def test_percent(part, whole, text):
    assert vn.percent(part, whole) == text


@pytest.mark.parametrize(
    "part, whole, text", [(999, 1000, "99,9%"), (1, 2000, "0,1%"), (1, 2001, "0,0%")]  # 0,05% rounds up, just under down
)
def test_percent_rounds_half_up_at_the_edge(part, whole, text):
    assert vn.percent(part, whole) == text


@pytest.mark.parametrize(
    "n, text",
    [(0, "0"), (520, "520"), (999, "999"), (1000, "1.000"), (1845, "1.845"), (60000, "60.000"),
     (1234567, "1.234.567"), (-1, "-1"), (-1845, "-1.845")],
)
def test_number(n, text):
    assert vn.number(n) == text


@pytest.mark.parametrize("value, text", [(0.0, "0,0"), (2.46, "2,5"), (12.0, "12,0"), (0.04, "0,0"), (999.94, "999,9"), (1234.5, "1.234,5")])
def test_decimal(value, text):
    assert vn.decimal(value) == text


def test_dates_read_day_first():
    assert vn.day(date(2025, 7, 9)) == "09/07/2025"
    assert vn.day_short(date(2025, 7, 9)) == "9/7/2025"


NEW_YEAR, NEW_YEARS_EVE, LEAP_DAY = date(2026, 1, 1), date(2025, 12, 31), date(2028, 2, 29)


@pytest.mark.parametrize(
    "style, d, text",
    [
        (vn.day, NEW_YEAR, "01/01/2026"),
        (vn.day, NEW_YEARS_EVE, "31/12/2025"),
        (vn.day, LEAP_DAY, "29/02/2028"),
        (vn.day, date(25, 7, 9), "09/07/0025"),  # a year typed short, shown in an error as it was read
        (vn.day, None, ""),
        (vn.day_short, NEW_YEAR, "1/1/2026"),
        (vn.day_short, NEW_YEARS_EVE, "31/12/2025"),
        (vn.day_short, LEAP_DAY, "29/2/2028"),
        (vn.day_month, NEW_YEAR, "1/1"),
        (vn.day_month, NEW_YEARS_EVE, "31/12"),
        (vn.day_month, LEAP_DAY, "29/2"),
        (vn.month, NEW_YEAR, "1/2026"),
        (vn.month, NEW_YEARS_EVE, "12/2025"),
        (vn.written_day, NEW_YEAR, "ngày 01 tháng 01 năm 2026"),
        (vn.written_day, LEAP_DAY, "ngày 29 tháng 02 năm 2028"),
        (vn.written_day, date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),  # from March on, no leading zero
        (vn.written_day, NEW_YEARS_EVE, "ngày 31 tháng 12 năm 2025"),
    ],
)
def test_each_date_style(style, d, text):
    assert style(d) == text


UTC, VIETNAM = timezone.utc, timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    "at, seconds, text",
    [
        (datetime(2025, 7, 8, 17, 0, tzinfo=UTC), False, "00:00 09/07/2025"),  # midnight in Vietnam: the next day
        (datetime(2025, 7, 8, 16, 59, 59), False, "23:59 08/07/2025"),  # naive: UTC, as history stores it
        (datetime(2025, 7, 8, 16, 59, 59), True, "23:59:59 08/07/2025"),
        (datetime(2025, 12, 31, 17, 0, tzinfo=UTC), False, "00:00 01/01/2026"),
        (datetime(2028, 2, 28, 17, 0, 5, tzinfo=UTC), True, "00:00:05 29/02/2028"),
        (datetime(2025, 7, 9, 0, 0, tzinfo=VIETNAM), False, "00:00 09/07/2025"),
    ],
)
def test_moments_read_in_vietnam_time(at, seconds, text):
    assert vn.moment(at, seconds=seconds) == text


def test_a_moment_in_a_file_name_sorts_as_it_reads():
    assert vn.file_stamp(datetime(2026, 1, 1, 0, 0, 5)) == "20260101-000005"


@pytest.mark.parametrize(
    "value, text",
    [
        ([], "[]"),
        ({"tên": "Hòa"}, '{\n  "tên": "Hòa"\n}'),  # Vietnamese as it is, not \u escapes
        ({"on": LEAP_DAY, "none": None}, '{\n  "on": "2028-02-29",\n  "none": null\n}'),
        ([datetime(2025, 7, 8, 17, 0, tzinfo=UTC)], '[\n  "2025-07-08T17:00:00+00:00"\n]'),
        ([PurePosixPath("data/congress.db")], '[\n  "data/congress.db"\n]'),
    ],
)
def test_json_text(value, text):
    from congress.presentation.sinks import json_text

    assert json_text(value) == text


@pytest.mark.parametrize("text, stored", [("Ho\u0300a", "Hòa"), ("Hòa", "Hòa"), ("", "")])
def test_nfc(text, stored):
    assert vn.nfc(text) == stored


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Đảng bộ phường Hải An", "dang bo phuong hai an"),
        ("HOÀ BÌNH", "hoa binh"),
        ("Hoà", "hoa"),  # old-style tone placement
        ("Hòa", "hoa"),
        ("Ho\u0300a", "hoa"),  # NFD
        ("  Cẩm   Giàng ", "cam giang"),
    ],
)
def test_fold(text, folded):
    assert vn.fold(text) == folded


@pytest.mark.parametrize(
    "as_of, before, expected",
    [
        (date(2025, 8, 19), True, "còn 1 ngày"),  # the last day before the target
        (date(2025, 8, 20), True, "đã hết"),  # "trước ngày 20/8": 20/8 itself is behind the target
        (date(2025, 8, 21), True, "đã qua 1 ngày"),
        (date(2025, 8, 20), False, "là hôm nay"),  # "chậm nhất ngày X": X itself is in time
        (date(2025, 8, 21), False, "đã qua 1 ngày"),
    ],
)
def test_how_far_a_mark_is(as_of, before, expected):
    from congress.presentation.views import days_left

    assert days_left(date(2025, 8, 20), as_of, before=before) == expected


@pytest.mark.parametrize(
    "number, name, expected",
    [
        (3, "Tổ công tác số 3", "Tổ công tác số 3"),  # the name only repeats the number
        (3, "to cong tac so 3", "Tổ công tác số 3"),
        (3, None, "Tổ công tác số 3"),
        (3, "Tổ công tác số 13", "Tổ công tác số 3: Tổ công tác số 13"),
        (17, "Khối doanh nghiệp", "Tổ công tác số 17: Khối doanh nghiệp"),
    ],
)
def test_a_working_group_as_a_heading(number, name, expected):
    assert vn.group_title(number, name) == expected
