"""`congress history --since DATE --group N`: the filters combine with an organisation and --limit."""
import json

import pytest

from conftest import digest, hold_grassroots, run


def changes(*args: str) -> list[dict]:
    result = run("history", "--limit", "5000", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_since_is_a_day_in_vietnam(sample_db):
    # the sample logs at 17:00 and schedules at 08:00 Vietnam time: 10:00 and 01:00 UTC
    found = changes("--since", "31/8/2025")
    assert [(c["code"], c["at"]) for c in found[-3:]] == [
        ("X.THAITAN", "2025-08-31T10:00:00+00:00"),
        ("X.KIENMINH", "2025-08-31T10:00:00+00:00"),
        ("X.ANTRUONG", "2025-08-31T10:00:00+00:00"),
    ]
    september = changes("--since", "1/9/2025")  # from midnight in Vietnam: 17:00 UTC the day before
    assert min(c["at"] for c in september) >= "2025-08-31T17:00:00+00:00"
    assert [c["code"] for c in september if c["action"] in ("schedule", "log")] == ["HP", "HP"]
    # the steps and results recorded in September: those of the congresses of 31/8 and of the city's
    assert {c["action"] for c in september} == {"schedule", "log", "step", "result"}
    assert len(changes("--since", "20/8/2025")) > len(found)


def test_group_is_the_group_the_change_was_made_as(sample_db):
    found = changes("--group", "13")
    assert found and {c["working_group"] for c in found} == {13}
    assert {c["user"] for c in found} == {"to13"}


def test_filters_combine_with_an_organisation(sample_db):
    # the sample's history ends in 2025; these two are stamped with the real clock
    assert run("schedule", "X.VINHBAO", "20/11/2026", "--force").exit_code == 0  # as the office: no group
    hold_grassroots("X.VINHBAO", "19/11/2026")  # as the office too
    assert run("log", "X.VINHBAO", "--held", "20/11/2026", "--group", "11").exit_code == 0
    assert [c["action"] for c in changes("X.VINHBAO", "--since", "1/1/2026")] == ["log", "schedule"]
    assert [c["action"] for c in changes("X.VINHBAO", "--since", "1/1/2026", "--group", "11")] == ["log"]
    assert [c["code"] for c in changes("--since", "1/1/2026", "--group", "11")] == ["X.VINHBAO"]
    assert changes("X.VINHBAO", "--group", "12") == []


def test_nothing_found_says_so(sample_db):
    result = run("history", "--since", "1/1/2030")
    assert result.exit_code == 0
    assert result.stdout.strip() == "Chưa có thay đổi nào."


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "31/2/2025"], "Ngày không có thật"),
        (["--since", "hôm qua nữa"], "Ngày không hợp lệ"),
        (["--group", "99"], "Không có tổ công tác số 99"),
        (["--group", "mười"], "mười"),
    ],
)
def test_bad_filters_are_refused(sample_db, args, message):
    before = digest(sample_db)
    result = run("history", *args)
    assert result.exit_code != 0
    assert message in result.stderr and result.stdout == ""
    assert digest(sample_db) == before
