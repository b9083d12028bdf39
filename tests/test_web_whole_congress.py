"""The whole congress in the browser (issue 18), read side: the preparation list, the results page, and the
preparation and results on the organisation's and the group's pages are what `congress status
--preparation`, `status --results` and `org show` print for the same day, on both backends."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from congress.domain import vn
from conftest import TODAY, run
from congress.presentation.listings import RESULT_FIGURES
from test_web import DAYS, Tables, cli_json, page
from test_web import accounts, app, group3, office, register  # noqa: F401  (the module's fixtures)


def shown_day(iso: str | None) -> str:
    return vn.day(dt.date.fromisoformat(iso)) if iso else ""


@pytest.mark.parametrize("day", DAYS)
def test_the_overview_counts_those_behind_in_preparation_as_status(office, register, day):
    status = cli_json(register, "status", "--as-of", day)
    html = page(office, f"/?as_of={day}")
    behind = vn.number(status["behind_in_preparation"])
    assert (f'<a href="/danh-sach/cham-chuan-bi?as_of={day}">Chậm chuẩn bị: '
            f"<strong>{behind}</strong></a>") in html


@pytest.mark.parametrize("day", DAYS)
def test_the_preparation_list_is_the_clis(office, register, day):
    expected = cli_json(register, "status", "--preparation", "--as-of", day)
    rows = Tables(page(office, f"/danh-sach/cham-chuan-bi?as_of={day}")).tables.get("entries", [[]])[1:]
    assert expected and [r[0] for r in rows] == [e["code"] for e in expected]
    assert [(r[4], r[5]) for r in rows] == [(shown_day(e["planned_on"]), vn.number(e["days_left"])) for e in expected]
    assert [r[6] for r in rows] == ["; ".join(f"{m['name']} (hạn {shown_day(m['due_on'])})" for m in e["missing"])
                                    for e in expected]


def test_the_preparation_list_takes_the_clis_filters(office, register):
    expected = cli_json(register, "status", "--preparation", "--as-of", "3/8/2025", "--group", "11")
    rows = Tables(page(office, "/danh-sach/cham-chuan-bi?as_of=3/8/2025&group=11")).tables["entries"][1:]
    assert expected and [r[0] for r in rows] == [e["code"] for e in expected]


def test_an_empty_preparation_list_says_so(office, register):
    assert cli_json(register, "status", "--preparation", "--as-of", "21/11/2026", "--group", "3") == []
    shown = page(office, "/danh-sach/cham-chuan-bi?as_of=21/11/2026&group=3")
    assert "Không có đại hội nào chậm chuẩn bị." in shown and "entries" not in Tables(shown).tables


def cells(source):
    return [[c.value for c in row] for row in load_workbook(source, read_only=True).active.iter_rows()]


@pytest.mark.parametrize("what, url", [("preparation", "/danh-sach/cham-chuan-bi"), ("results", "/ket-qua")])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_downloaded_sheet_is_the_file_export_writes(office, register, tmp_path, what, url, fmt):
    target = tmp_path / f"{what}.{fmt}"
    exported = run("--db", register, "export", what, str(target), "--as-of", "3/8/2025",
                   env={"CONGRESS_TODAY": TODAY})
    assert exported.exit_code == 0, exported.stderr
    answer = office.get(f"{url}.{fmt}?as_of=3/8/2025")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    if fmt == "csv":
        assert answer.data == target.read_bytes()
    else:
        assert cells(io.BytesIO(answer.data)) == cells(target)


def figure_lines(row: dict) -> list[list[str]]:
    """A level's results as the page's table shows them: figure, count, whole, rate."""
    lines = []
    for key, label, whole, _ in RESULT_FIGURES:
        of = row.get(f"{key}_of")
        lines.append([label, vn.number(row[key]), "" if whole is None else vn.number(of),
                      "" if whole is None else vn.percent(row[key], of)])
    return lines


@pytest.mark.parametrize("day", DAYS)
def test_the_results_page_is_status_results(office, register, day):
    expected = cli_json(register, "status", "--results", "--as-of", day)
    tables = Tables(page(office, f"/ket-qua?as_of={day}")).tables
    assert expected["levels"]
    for n, level in enumerate(expected["levels"], 1):
        shown = tables[f"level-{n}"]
        assert shown[0][0] == vn.LEVEL_LABELS[level["level"]]
        assert shown[1:] == figure_lines(level)
    groups = tables["groups"][1:]
    assert [r[0] for r in groups] == [str(g["working_group"]) if g["working_group"] else "chưa giao"
                                      for g in expected["working_groups"]]
    assert [(r[1], r[2]) for r in groups] == [(vn.number(g["held"]), vn.number(g["reported"]))
                                              for g in expected["working_groups"]]


@pytest.mark.parametrize("query, options", [
    ("group=3", ["--group", "3"]), ("level=committee", ["--level", "committee"]),
    ("committee=X.VINHBAO", ["--committee", "X.VINHBAO"]),
])
def test_the_results_page_takes_the_clis_filters(office, register, query, options):
    expected = cli_json(register, "status", "--results", "--as-of", "21/8/2025", *options)
    tables = Tables(page(office, f"/ket-qua?as_of=21/8/2025&{query}")).tables
    assert [tables[f"level-{n}"][1:] for n in range(1, len(expected["levels"]) + 1)] == [
        figure_lines(level) for level in expected["levels"]]
    assert f"level-{len(expected['levels']) + 1}" not in tables


def test_no_congress_held_yet_is_said_on_the_results_page(office):
    shown = page(office, "/ket-qua?as_of=1/4/2025")
    assert "Chưa có đại hội nào trong phạm vi này." in shown and "level-1" not in Tables(shown).tables


@pytest.mark.parametrize("url, words", [
    ("/ket-qua?as_of=abc", "Ngày không hợp lệ"), ("/ket-qua?group=abc", "Tổ công tác: «abc» phải là số nguyên"),
    ("/ket-qua?level=ward", "Cấp «ward» không có"), ("/ket-qua?committee=P.HAIAN.01", "không phải đảng bộ trực thuộc"),
    ("/danh-sach/cham-chuan-bi?as_of=31/2/2025", "Ngày không có thật"), ("/ket-qua.csv?group=99", "Không có tổ công tác số 99"),
])
def test_a_bad_filter_is_refused_in_one_line(office, url, words):
    assert words in page(office, url, 404 if "99" in url else 400)


def test_a_groups_page_shows_its_results(office, register):
    expected = cli_json(register, "status", "--results", "--group", "3", "--as-of", "3/8/2025")
    rows = Tables(page(office, "/to-cong-tac/3?as_of=3/8/2025")).tables["results"][1:]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (vn.LEVEL_LABELS[level["level"]], vn.number(level["held"]), vn.number(level["reported"]))
        for level in expected["levels"]]


@pytest.mark.parametrize("code, day", [("X.KHUCTHUADU.01", "9/7/2025"), ("X.KHUCTHUADU.01", "3/8/2025"),
                                       ("HP", "21/11/2026"), ("P.HAIAN", "21/11/2026")])
def test_an_organisations_page_shows_its_steps_and_result(office, register, code, day):
    from congress.presentation.views import result_lines, step_lines

    facts = cli_json(register, "org", "show", code, "--as-of", day)
    for step in facts["steps"]:
        for key in ("due_on", "done_on"):
            step[key] = dt.date.fromisoformat(step[key]) if step[key] else None
    html = page(office, f"/to-chuc/{code}?as_of={day}")
    lines = step_lines(facts["steps"]) + (result_lines(facts["result"]) if facts["result"] else [])
    for label, text in lines:
        assert f"<dt>{label}</dt><dd>{text}</dd>" in html.replace("\n", "")
    assert bool(facts["result"]) == ("Chưa tổ chức đại hội: kết quả được ghi" not in html)
