"""Dates as users type them, numbers and names as they read them."""
from datetime import date

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


@pytest.mark.parametrize("n, text", [(0, "0"), (520, "520"), (1845, "1.845"), (60000, "60.000"), (1234567, "1.234.567")])
def test_number(n, text):
    assert vn.number(n) == text


def test_dates_read_day_first():
    assert vn.day(date(2025, 7, 9)) == "09/07/2025"
    assert vn.day_short(date(2025, 7, 9)) == "9/7/2025"


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
