"""The whole congress written from the browser (issue 18): the step, withdraw-a-step and result forms on
an organisation's page and the results return sheet go through the jobs `congress step`, `step --undone`,
`result` and `import results` call, on both backends; a refusal is one message on the page again, the form
as sent, and the register exactly as it was."""
import datetime as dt
import re

import pytest

from conftest import sql
from test_web_writes import GROUP_5, HELD_17, OVERDUE_17, Browser, confirm_fields, last_change, refusals, text
from test_web_writes import app, group17, office  # noqa: F401  (the module's fixtures)
from serving import account

BEHIND_17 = "X.NINHGIANG"  # group 17's committee, not held, its review (tham-dinh) not done in the sample
RESULT_FIELDS = ("contents", "committee_members", "standing_members", "delegates", "present", "women", "under_40",
                 "ethnic", "first_time", "delegates_up", "committee_by", "secretary_by", "result_note")


def register_rows(db):
    """The congresses with their results, the steps and the history: what a refused form leaves as it was."""
    return (sql(db, "SELECT * FROM congress ORDER BY id"), sql(db, "SELECT * FROM congress_step ORDER BY id"),
            sql(db, "SELECT * FROM change ORDER BY id"))


def step_done_on(db, code: str, step: str):
    found = sql(db, "SELECT s.done_on FROM congress_step s JOIN organisation o ON o.id = s.organisation_id "
                    "JOIN preparation_step p ON p.id = s.step_id WHERE o.code = :code AND p.code = :step",
                code=code, step=step)
    value = found[0][0] if found else None
    return dt.date.fromisoformat(str(value)[:10]) if value is not None else None


def result_of(db, code: str) -> dict:
    columns = ", ".join(f"c.{field}" for field in RESULT_FIELDS)
    row = sql(db, f"SELECT {columns} FROM congress c JOIN organisation o ON o.id = c.organisation_id "
                  "WHERE o.code = :code", code=code)[0]
    return dict(zip(RESULT_FIELDS, row))


def flashed(browser, answer) -> str:
    assert answer.status_code == 303, text(answer)[:800]
    return text(browser.get(answer.headers["Location"]))


def test_a_group_records_a_step_done_from_the_organisations_page(sample_db, group17):
    assert step_done_on(sample_db, BEHIND_17, "tham-dinh") is None
    answer = group17.post(f"/to-chuc/{BEHIND_17}/buoc-chuan-bi", code="tham-dinh", done="1/8/2025", note="đã họp")
    assert answer.headers["Location"].endswith(f"/to-chuc/{BEHIND_17}#step")
    page = flashed(group17, answer)
    assert ("Đã ghi: Đảng bộ xã Ninh Giang (X.NINHGIANG) hoàn thành bước «Tổ công tác thẩm định công tác chuẩn bị» "
            "ngày 01/08/2025.") in page
    assert step_done_on(sample_db, BEHIND_17, "tham-dinh") == dt.date(2025, 8, 1)
    user, group, action, field, old, new, note, command = last_change(sample_db)
    assert (user, group, action, old, new, note) == (group17.name, 17, "step", None, "2025-08-01", "đã họp")
    assert "tham-dinh" in field


def test_a_step_s_day_is_read_as_the_command_line_reads_it(sample_db, group17):
    # the form starts with today's date; a day without its year is in the round's year, as on the CLI
    assert 'name="done" value="21/11/2026"' in text(group17.get(f"/to-chuc/{BEHIND_17}"))
    flashed(group17, group17.post(f"/to-chuc/{BEHIND_17}/buoc-chuan-bi", code=" THAM-DINH ", done="2/8"))
    assert step_done_on(sample_db, BEHIND_17, "tham-dinh") == dt.date(2025, 8, 2)


def test_a_group_withdraws_a_step_with_its_reason(sample_db, group17):
    answer = group17.post(f"/to-chuc/{OVERDUE_17}/rut-lai-buoc", code="van-kien", reason="ghi nhầm tổ chức")
    assert answer.headers["Location"].endswith(f"/to-chuc/{OVERDUE_17}#unstep")
    page = flashed(group17, answer)
    assert "Đã rút lại bước «Xây dựng dự thảo văn kiện đại hội» (ngày 04/06/2025)" in page
    assert step_done_on(sample_db, OVERDUE_17, "van-kien") is None
    assert last_change(sample_db)[:5] == (group17.name, 17, "unstep", last_change(sample_db)[3], "2025-06-04")


def test_a_group_reports_a_result_in_parts(sample_db, group17):
    before = result_of(sample_db, HELD_17)
    answer = group17.post(f"/to-chuc/{HELD_17}/ket-qua", delegates="1.283", present="1200", women="")
    assert answer.headers["Location"].endswith(f"/to-chuc/{HELD_17}#result")
    page = flashed(group17, answer)
    assert "Đã ghi kết quả đại hội của" in page and "2 số liệu." in page
    after = result_of(sample_db, HELD_17)
    assert (after["delegates"], after["present"]) == (1283, 1200)
    # a field left blank keeps what was reported before
    assert {k: v for k, v in after.items() if k not in ("delegates", "present")} == \
        {k: v for k, v in before.items() if k not in ("delegates", "present")}
    flashed(group17, group17.post(f"/to-chuc/{HELD_17}/ket-qua", contents="4", committee_by="elected",
                                  note="đủ bốn nội dung"))
    after = result_of(sample_db, HELD_17)
    assert (after["contents"], after["committee_by"], after["result_note"]) == (4, "elected", "đủ bốn nội dung")


def test_the_organisations_page_offers_the_forms_to_whom_may_write(sample_db, group17, app):
    page = text(group17.get(f"/to-chuc/{HELD_17}"))
    assert f'action="/to-chuc/{HELD_17}/ket-qua"' in page and f'action="/to-chuc/{HELD_17}/buoc-chuan-bi"' in page
    other = Browser(app, account(5, "to5khac"))
    page = text(other.get(f"/to-chuc/{HELD_17}"))
    assert f'action="/to-chuc/{HELD_17}/ket-qua"' not in page
    # not held: the result form waits for the congress
    page = text(group17.get(f"/to-chuc/{OVERDUE_17}"))
    assert f'action="/to-chuc/{OVERDUE_17}/ket-qua"' not in page
    assert "Chưa tổ chức đại hội: kết quả được ghi sau khi đại hội đã tổ chức." in page


STEP, UNSTEP, RESULT = "buoc-chuan-bi", "rut-lai-buoc", "ket-qua"
BAD_FORMS = [
    ("future step date", BEHIND_17, STEP, {"code": "tham-dinh", "done": "1/1/2027"}, "done",
     "Ngày hoàn thành 01/01/2027 chưa đến (hôm nay là 21/11/2026)."),
    ("not a date", BEHIND_17, STEP, {"code": "tham-dinh", "done": "hom qua"}, "done",
     "Ngày không hợp lệ: «hom qua». Viết ngày trước tháng, ví dụ 20/8/2025, 20/8 hoặc 2025-08-20."),
    ("empty step date", BEHIND_17, STEP, {"code": "tham-dinh", "done": " "}, "done",
     "Chưa nhập ngày hoàn thành."),
    ("no such day", BEHIND_17, STEP, {"code": "tham-dinh", "done": "31/2/2025"}, "done",
     "Ngày không có thật: «31/2/2025» (ngày 31, tháng 2, năm 2025)."),
    ("before the round", BEHIND_17, STEP, {"code": "tham-dinh", "done": "1/1/2024"}, "done",
     "Ngày hoàn thành 01/01/2024 nằm ngoài khoảng cho phép: từ khi nhiệm kỳ bắt đầu đến hôm nay, từ "
     "14/06/2024 đến 21/11/2026."),
    ("unknown step", BEHIND_17, STEP, {"code": "khong-co", "done": "1/8/2025"}, "code",
     "Không có bước chuẩn bị «khong-co»; các bước: van-kien, gop-y, nhan-su, tham-dinh, trieu-tap."),
    ("empty step", BEHIND_17, STEP, {"code": " ", "done": "1/8/2025"}, "code",
     "Chưa chọn bước chuẩn bị."),
    ("step after the congress", HELD_17, STEP, {"code": "van-kien", "done": "1/8/2025"}, "done",
     "Ngày hoàn thành 01/08/2025 sau ngày Chi bộ thôn số 1, Chí Minh đã tổ chức đại hội (17/07/2025)."),
    ("another group's", GROUP_5, STEP, {"code": "van-kien", "done": "1/8/2025"}, "form",
     "Chi bộ Tổ dân phố số 1, Hải Dương (P.HAIDUONG.01) thuộc tổ công tác số 5, không thuộc tổ công tác số "
     "17. Cần văn phòng ghi đè nếu tổ được giao thêm việc này."),
    ("huge note", BEHIND_17, STEP, {"code": "tham-dinh", "done": "1/8/2025", "note": "y" * 1001}, "note",
     "Ghi chú dài 1.001 ký tự; tối đa 1.000 ký tự."),
    ("empty reason", OVERDUE_17, UNSTEP, {"code": "van-kien", "reason": " "}, "reason",
     "Cần ghi lý do rút lại."),
    ("step not recorded", BEHIND_17, UNSTEP, {"code": "tham-dinh", "reason": "thử"}, "code",
     "Đảng bộ xã Ninh Giang chưa ghi bước «Tổ công tác thẩm định công tác chuẩn bị»; không có gì để rút "
     "lại."),
    ("women above the committee", HELD_17, RESULT, {"committee_members": "15", "women": "16"}, "women",
     "Số ủy viên nữ (16) lớn hơn số ủy viên ban chấp hành (15)."),
    ("standing above the committee", HELD_17, RESULT, {"committee_members": "5", "standing_members": "6"},
     "standing_members",
     "Số ủy viên ban thường vụ (6) lớn hơn số ủy viên ban chấp hành (5)."),
    ("present above delegates", HELD_17, RESULT, {"delegates": "100", "present": "101"}, "present",
     "Số đại biểu có mặt (101) lớn hơn số đại biểu được triệu tập (100)."),
    ("negative", HELD_17, RESULT, {"delegates": "-5"}, "delegates",
     "Số đại biểu được triệu tập không thể âm (-5)."),
    ("beyond 100.000", HELD_17, RESULT, {"delegates": "100.001"}, "delegates",
     "Số đại biểu được triệu tập (100.001) vượt quá 100.000."),
    ("not a number", HELD_17, RESULT, {"delegates": "abc"}, "delegates",
     "Số đại biểu được triệu tập: «abc» không phải số nguyên."),
    ("contents 5", HELD_17, RESULT, {"contents": "5"}, "contents",
     "Số nội dung đại hội: chọn 2, 3, 4."),
    ("bogus choice", HELD_17, RESULT, {"committee_by": "bau-cu"}, "committee_by",
     "Ban chấp hành: chọn bầu tại đại hội hoặc chỉ định."),
    ("nothing given", HELD_17, RESULT, {"delegates": " "}, "form",
     "Cần ghi ít nhất một số liệu kết quả."),
    ("not held", OVERDUE_17, RESULT, {"delegates": "40"}, "form",
     "Chi bộ Trường Tiểu học Ninh Giang chưa tổ chức đại hội; chỉ ghi kết quả sau khi đại hội đã tổ chức."),
    ("another group's result", GROUP_5, RESULT, {"delegates": "40"}, "form",
     "Chi bộ Tổ dân phố số 1, Hải Dương (P.HAIDUONG.01) thuộc tổ công tác số 5, không thuộc tổ công tác số "
     "17. Cần văn phòng ghi đè nếu tổ được giao thêm việc này."),
]


@pytest.mark.parametrize("code, form, fields, beside, message", [case[1:] for case in BAD_FORMS],
                         ids=[case[0] for case in BAD_FORMS])
def test_a_bad_form_is_refused_once_and_changes_nothing(sample_db, group17, code, form, fields, beside, message):
    before = register_rows(sample_db)
    answer = group17.post(f"/to-chuc/{code}/{form}", **fields)
    page = text(answer)
    assert answer.status_code == 422, page[:800]
    shown = refusals(page)
    assert shown == [message]
    assert f'id="{beside}-error"' in page  # beside its field; "form": above the form or the page
    assert register_rows(sample_db) == before


def test_a_form_without_the_csrf_token_changes_nothing(sample_db, group17):
    before = register_rows(sample_db)
    for form, fields in ((STEP, {"code": "tham-dinh"}), (UNSTEP, {"code": "van-kien", "reason": "thử"}),
                         (RESULT, {"delegates": "40"})):
        for token in ({}, {"csrf_token": "sai"}):
            answer = group17.client.post(f"/to-chuc/{BEHIND_17 if form == STEP else HELD_17}/{form}",
                                         data={**fields, **token})
            assert answer.status_code == 400 and "mã bảo vệ CSRF" in text(answer)
    assert register_rows(sample_db) == before


def test_a_step_from_the_page_is_undone_as_from_the_command_line(sample_db, group17):
    flashed(group17, group17.post(f"/to-chuc/{BEHIND_17}/buoc-chuan-bi", code="tham-dinh", done="1/8/2025"))
    page = text(group17.get("/hoan-tac"))
    answer = group17.post("/hoan-tac", expected=re.search(r'name="expected" value="([^"]+)"', page).group(1))
    assert answer.status_code == 303, text(answer)[:800]
    assert step_done_on(sample_db, BEHIND_17, "tham-dinh") is None


def test_the_results_sheet_comes_back_as_a_return(sample_db, group17):
    import io

    import openpyxl

    answer = group17.get("/nhap-tep/mau-results.xlsx")
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    sheet = book.active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == HELD_17:
            row[header.index("Số đại biểu được triệu tập")].value = 77
    filled = io.BytesIO()
    book.save(filled)
    before = register_rows(sample_db)
    page = text(group17.upload("ketqua17.xlsx", filled.getvalue(), kind="results"))
    assert "77" in page and register_rows(sample_db) == before  # the dry run writes nothing
    assert group17.post("/nhap-tep/xac-nhan", **confirm_fields(page)).status_code == 303
    assert result_of(sample_db, HELD_17)["delegates"] == 77
