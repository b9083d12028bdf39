"""Writing from the browser (congress/web/writes.py), in-process through Flask's test client, on both
backends: every form writes what the command writes, refuses what it refuses beside the field, and a
refusal leaves the congresses and their history exactly as they were."""
import datetime as dt
import io
import re

import pytest

from conftest import TODAY, sql
from serving import PASSWORD, account

OVERDUE_17 = "X.NINHGIANG.03"  # working group 17's, overdue and not held in the sample
OVERDUE_17_TOO = "X.NINHGIANG.04"
HELD_17 = "X.CHIMINH.01"  # group 17's, held
GROUP_5 = "P.HAIDUONG.01"  # group 5's


@pytest.fixture
def app(sample_db):
    from congress.web import create_app

    app = create_app(str(sample_db), today=dt.date.fromisoformat(TODAY))
    yield app
    app.extensions["congress"].close()


class Browser:
    """A test client signed in as one account, posting forms with its session's CSRF token."""

    def __init__(self, app, name: str):
        self.client = app.test_client()
        self.name = name
        self.client.get("/dang-nhap")
        answer = self.client.post("/dang-nhap", data={"csrf_token": self.token(), "name": name, "password": PASSWORD})
        assert answer.status_code == 302, answer.get_data(as_text=True)

    def token(self) -> str:
        with self.client.session_transaction() as kept:
            return kept["csrf"]

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, **fields):
        return self.client.post(path, data={"csrf_token": self.token(), **fields})

    def upload(self, name: str, content: bytes, kind: str = "held", **fields):
        return self.client.post("/nhap-tep", data={"csrf_token": self.token(), "kind": kind,
                                                   "file": (io.BytesIO(content), name), **fields},
                                content_type="multipart/form-data")


@pytest.fixture
def group17(app):
    return Browser(app, account(17))


@pytest.fixture
def office(app):
    return Browser(app, account(None))


def text(answer) -> str:
    return answer.get_data(as_text=True)


def held_on(db, code: str):
    found = sql(db, "SELECT c.held_on FROM congress c JOIN organisation o ON o.id = c.organisation_id "
                    "WHERE o.code = :code", code=code)
    value = found[0][0] if found else None
    return dt.date.fromisoformat(str(value)[:10]) if value is not None else None


def planned_on(db, code: str):
    value = sql(db, "SELECT c.planned_on FROM congress c JOIN organisation o ON o.id = c.organisation_id "
                    "WHERE o.code = :code", code=code)[0][0]
    return dt.date.fromisoformat(str(value)[:10]) if value is not None else None


def last_change(db):
    return sql(db, 'SELECT "user", working_group, action, field, old_value, new_value, note, command '
                   "FROM change ORDER BY id DESC LIMIT 1")[0]


def register_rows(db):
    """Every congress and every history row: what a refused write must leave exactly as it was."""
    return (sql(db, "SELECT * FROM congress ORDER BY id"), sql(db, "SELECT * FROM change ORDER BY id"))


def refusals(page: str) -> list[str]:
    """The messages shown beside fields (templates/web/forms.html.j2)."""
    return re.findall(r'class="[^"]*\bfield-error\b[^"]*"[^>]*>(.*?)</', page, flags=re.S)


# --- one congress --------------------------------------------------------------------------------


def test_a_group_logs_a_held_date_and_history_names_its_account(sample_db, group17):
    # the name typed without diacritics; a date without its year is in the round's year, as on the CLI
    answer = group17.post("/ghi-nhan", organisation="tieu hoc ninh giang", held="20/11", note="báo cáo của tổ")
    assert answer.status_code == 303
    assert held_on(sample_db, OVERDUE_17) == dt.date(2025, 11, 20)
    user, group, action, field, old, new, note, command = last_change(sample_db)
    assert (user, group, action, field, old, new, note) == (group17.name, 17, "log", "held_on", None, "2025-11-20",
                                                            "báo cáo của tổ")
    assert command
    page = text(group17.get(answer.headers["Location"]))
    assert ("Đã ghi nhận: Chi bộ Trường Tiểu học Ninh Giang (X.NINHGIANG.03) tổ chức đại hội ngày 20/11/2025."
            in page)


def test_a_group_sets_and_moves_a_planned_date(sample_db, group17):
    answer = group17.post("/du-kien", organisation=OVERDUE_17, planned="25/8/2025")
    assert answer.status_code == 303
    assert planned_on(sample_db, OVERDUE_17) == dt.date(2025, 8, 25)
    assert last_change(sample_db)[:6] == (group17.name, 17, "schedule", "planned_on", "2025-07-22", "2025-08-25")
    page = text(group17.get(answer.headers["Location"]))
    assert "Đã ghi: Chi bộ Trường Tiểu học Ninh Giang (X.NINHGIANG.03) dự kiến đại hội ngày 25/08/2025." in page


def test_a_planned_date_after_the_deadline_needs_the_office(sample_db, group17, office):
    before = register_rows(sample_db)
    answer = group17.post("/du-kien", organisation=OVERDUE_17, planned="15/12/2026")
    assert answer.status_code == 422
    assert refusals(text(answer)) == [
        "Ngày dự kiến 15/12/2026 của Chi bộ Trường Tiểu học Ninh Giang sau hạn chót 31/08/2025 (tổ chức cơ sở "
        "đảng). Cần văn phòng ghi đè nếu đã được cho phép tổ chức muộn."
    ]
    assert register_rows(sample_db) == before
    assert office.post("/du-kien", organisation=OVERDUE_17, planned="15/12/2026", force="1").status_code == 303
    assert planned_on(sample_db, OVERDUE_17) == dt.date(2026, 12, 15)


def test_a_group_withdraws_a_log_with_its_reason(sample_db, group17):
    answer = group17.post("/rut-lai", organisation=HELD_17, reason="ghi nhầm tổ chức")
    assert answer.status_code == 303
    assert held_on(sample_db, HELD_17) is None
    user, group, action, field, old, new, note, _ = last_change(sample_db)
    assert (user, group, action, field, new, note) == (group17.name, 17, "unlog", "held_on", None, "ghi nhầm tổ chức")


def test_the_office_overrides_what_a_group_may_not(sample_db, office):
    answer = office.post("/ghi-nhan", organisation=HELD_17, held="1/11/2026", force="1")
    assert answer.status_code == 303
    assert held_on(sample_db, HELD_17) == dt.date(2026, 11, 1)
    assert last_change(sample_db)[:3] == (office.name, None, "log")


def test_the_override_is_shown_to_the_office_only(group17, office):
    assert 'name="force"' not in text(group17.get("/ghi-nhan"))
    assert 'name="force"' in text(office.get("/ghi-nhan"))


def test_a_form_opened_from_a_list_starts_with_its_organisation(group17):
    assert f'value="{OVERDUE_17}"' in text(group17.get(f"/ghi-nhan?organisation={OVERDUE_17}"))


# --- scope and CSRF ----------------------------------------------------------------------------------


def test_group_3_cannot_log_for_an_organisation_of_group_5(sample_db, app):
    group3 = Browser(app, account(3))
    before = register_rows(sample_db)
    answer = group3.post("/ghi-nhan", organisation=GROUP_5, held="20/11/2026")
    assert answer.status_code == 422
    [message] = refusals(text(answer))
    assert message.startswith("Chi bộ")
    assert ("thuộc tổ công tác số 5, không thuộc tổ công tác số 3. Cần văn phòng ghi đè nếu tổ được giao thêm "
            "việc này.") in message
    for path, fields in (("/rut-lai", {"reason": "thử"}), ("/du-kien", {"planned": "20/8/2025"})):
        assert group3.post(path, organisation=GROUP_5, **fields).status_code == 422
    # nor by sending the office's override from a forged form
    answer = group3.post("/ghi-nhan", organisation=GROUP_5, held="20/11/2026", force="1")
    assert answer.status_code == 422
    assert refusals(text(answer)) == ["Chỉ văn phòng được ghi đè; tổ công tác ghi trong phạm vi của tổ."]
    assert register_rows(sample_db) == before


def test_a_post_without_the_csrf_token_changes_nothing(sample_db, group17):
    before = register_rows(sample_db)
    for path, fields in (("/ghi-nhan", {"organisation": OVERDUE_17, "held": "20/11/2026"}),
                         ("/rut-lai", {"organisation": HELD_17, "reason": "thử"}),
                         ("/hoan-tac", {"expected": "1"})):
        answer = group17.client.post(path, data=fields)
        assert answer.status_code == 400
        assert "mã bảo vệ CSRF" in text(answer)
        answer = group17.client.post(path, data={**fields, "csrf_token": "sai"})
        assert answer.status_code == 400
    page = text(group17.upload("to17.csv", return_sheet((OVERDUE_17, "20/11/2026"))))
    answer = group17.client.post("/nhap-tep", data={"kind": "held", "file": (io.BytesIO(b"x"), "to17.csv")},
                                 content_type="multipart/form-data")
    assert answer.status_code == 400
    assert group17.client.post("/nhap-tep/xac-nhan", data=confirm_fields(page)).status_code == 400
    assert register_rows(sample_db) == before


# --- bad input: one message, nothing changed ---------------------------------------------------------

BAD_FORMS = [
    ("bad date", "/ghi-nhan", {"organisation": OVERDUE_17, "held": "32/13/2025"}, 422,
     "Ngày không có thật: «32/13/2025» (ngày 32, tháng 13, năm 2025)."),
    ("not a date", "/ghi-nhan", {"organisation": OVERDUE_17, "held": "hôm qua"}, 422,
     "Ngày không hợp lệ: «hôm qua». Viết ngày trước tháng, ví dụ 20/8/2025, 20/8 hoặc 2025-08-20."),
    ("empty date", "/ghi-nhan", {"organisation": OVERDUE_17, "held": " "}, 422, "Chưa nhập ngày tổ chức."),
    ("future date", "/ghi-nhan", {"organisation": OVERDUE_17, "held": "1/1/2027"}, 422,
     "Ngày tổ chức 01/01/2027 chưa đến (hôm nay là 21/11/2026)."),
    ("two-digit year read", "/ghi-nhan", {"organisation": OVERDUE_17, "held": "1/1/99"}, 422,
     "Ngày tổ chức 01/01/2099 chưa đến (hôm nay là 21/11/2026)."),
    ("unknown organisation", "/ghi-nhan", {"organisation": "khong co to chuc nay", "held": "20/11/2026"}, 422,
     "Không tìm thấy tổ chức «khong co to chuc nay» (theo mã hoặc tên)."),
    ("empty organisation", "/du-kien", {"organisation": "", "planned": "20/8/2025"}, 422,
     "Chưa nhập tên hoặc mã tổ chức."),
    ("already logged", "/ghi-nhan", {"organisation": HELD_17, "held": "20/11/2026"}, 422, None),
    ("empty reason", "/rut-lai", {"organisation": HELD_17, "reason": "  "}, 422, "Cần ghi lý do rút lại."),
    ("not logged", "/rut-lai", {"organisation": OVERDUE_17, "reason": "thử"}, 422,
     "Chi bộ Trường Tiểu học Ninh Giang chưa được ghi nhận tổ chức đại hội; không có gì để rút lại."),
    ("huge organisation", "/ghi-nhan", {"organisation": "x" * 5000, "held": "20/11/2026"}, 422,
     "Tên hoặc mã tổ chức dài 5.000 ký tự; tối đa 1.000 ký tự."),
    ("huge note", "/ghi-nhan", {"organisation": OVERDUE_17, "held": "20/11/2026", "note": "y" * 1001}, 422,
     "Ghi chú dài 1.001 ký tự; tối đa 1.000 ký tự."),
    ("hidden character in a reason", "/rut-lai", {"organisation": HELD_17, "reason": "ghi\x1b[8m nhầm"}, 422,
     "Lý do rút lại chứa ký tự điều khiển hoặc ký tự ẩn U+001B ở vị trí 4; hãy gõ lại (thường do dán từ văn bản "
     "khác)."),
    ("planned date out of range", "/du-kien", {"organisation": OVERDUE_17, "planned": "1/1/9999"}, 422, None),
]


@pytest.mark.parametrize("path, fields, status, message", [case[1:] for case in BAD_FORMS],
                         ids=[case[0] for case in BAD_FORMS])
def test_a_bad_form_gives_one_message_and_changes_nothing(sample_db, group17, path, fields, status, message):
    before = register_rows(sample_db)
    answer = group17.post(path, **fields)
    assert answer.status_code == status
    shown = refusals(text(answer))
    assert len(shown) == 1, shown
    if message is not None:
        assert shown[0] == message.replace("<", "&lt;").replace(">", "&gt;")
    assert register_rows(sample_db) == before


# --- a return sheet ------------------------------------------------------------------------------------


def return_sheet(*rows: tuple[str, str]) -> bytes:
    lines = ["Mã,Tên tổ chức,Ngày tổ chức,Ghi chú"] + [f"{code},,{held}," for code, held in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def confirm_fields(page: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(upload|plan)" value="([^"]+)"', page))


def test_a_return_sheet_is_shown_then_written_exactly(sample_db, group17):
    before = register_rows(sample_db)
    sheet = return_sheet((OVERDUE_17, "20/11/2026"), (OVERDUE_17_TOO, "21/11/2026"), (HELD_17, "17/07/2025"))
    answer = group17.upload("to17.csv", sheet)
    page = text(answer)
    assert answer.status_code == 200, page
    assert "X.NINHGIANG.03 — Chi bộ Trường Tiểu học Ninh Giang: ngày tổ chức 20/11/2026" in page
    assert "X.NINHGIANG.04 — Chi bộ Trường Trung học cơ sở Ninh Giang: ngày tổ chức 21/11/2026" in page
    assert "Sẽ ghi: 2 mới, 0 thay đổi, 1 không đổi (đại hội)." in page
    assert register_rows(sample_db) == before  # the dry run writes nothing
    answer = group17.post("/nhap-tep/xac-nhan", **confirm_fields(page))
    assert answer.status_code == 303
    assert held_on(sample_db, OVERDUE_17) == dt.date(2026, 11, 20)
    assert held_on(sample_db, OVERDUE_17_TOO) == dt.date(2026, 11, 21)
    rows = sql(sample_db, 'SELECT "user", working_group, action, command FROM change ORDER BY id DESC LIMIT 2')
    assert {row[:3] for row in rows} == {(group17.name, 17, "log")}
    assert rows[0][3] == rows[1][3]  # one command: undone whole
    assert "Đã nhập to17.csv: 2 mới, 0 thay đổi, 1 không đổi (đại hội)." in text(group17.get("/nhap-tep"))
    # the same confirmation again finds nothing waiting
    assert group17.post("/nhap-tep/xac-nhan", **confirm_fields(page)).status_code == 409


def test_planned_dates_from_a_sheet(sample_db, group17):
    sheet = "Mã,Ngày dự kiến\n" + f"{OVERDUE_17},25/8/2025\n"
    page = text(group17.upload("lich.csv", sheet.encode(), kind="schedule"))
    assert "ngày dự kiến 22/07/2025 → 25/08/2025" in page
    assert group17.post("/nhap-tep/xac-nhan", **confirm_fields(page)).status_code == 303
    assert planned_on(sample_db, OVERDUE_17) == dt.date(2025, 8, 25)


def test_a_confirmation_after_the_register_moved_on_writes_nothing(sample_db, group17, office):
    page = text(group17.upload("to17.csv", return_sheet((OVERDUE_17, "20/11/2026"), (OVERDUE_17_TOO, "21/11/2026"))))
    assert office.post("/ghi-nhan", organisation=OVERDUE_17_TOO, held="19/11/2026").status_code == 303
    before = register_rows(sample_db)
    answer = group17.post("/nhap-tep/xac-nhan", **confirm_fields(page))
    assert answer.status_code == 409  # the new dry run, showing the row now refused
    assert "Sổ đã thay đổi từ lúc chạy thử" in text(answer)
    assert register_rows(sample_db) == before


def test_the_valid_rows_only_when_asked(sample_db, group17):
    page = text(group17.upload("to17.csv", return_sheet((OVERDUE_17, "20/11/2026"), (OVERDUE_17_TOO, "1/1/2027"))))
    before = register_rows(sample_db)
    refused = group17.post("/nhap-tep/xac-nhan", **confirm_fields(page))
    assert refused.status_code == 422
    assert register_rows(sample_db) == before
    assert group17.post("/nhap-tep/xac-nhan", skip_invalid="1", **confirm_fields(page)).status_code == 303
    assert held_on(sample_db, OVERDUE_17) == dt.date(2026, 11, 20)
    assert held_on(sample_db, OVERDUE_17_TOO) is None


BAD_SHEETS = [
    ("wrong file type", "bao-cao.pdf", b"%PDF-1.4\n", 422, "Không đọc được bao-cao.pdf: chỉ nhận tệp .xlsx hoặc .csv."),
    ("old Excel", "bao-cao.xls", b"\xd0\xcf\x11\xe0", 422,
     "Không đọc được bao-cao.xls: chỉ nhận tệp .xlsx hoặc .csv."),
    ("not really xlsx", "bao-cao.xlsx", b"this is not a zip", 422, None),
    ("missing column", "to17.csv", "Mã,Ghi chú\nX.NINHGIANG.03,x\n".encode(), 422, None),
    ("empty file", "to17.csv", b"", 422, "Tệp to17.csv không có dữ liệu."),
]


@pytest.mark.parametrize("name, content, status, message", [case[1:] for case in BAD_SHEETS],
                         ids=[case[0] for case in BAD_SHEETS])
def test_a_bad_file_gives_one_message_and_changes_nothing(sample_db, group17, name, content, status, message):
    before = register_rows(sample_db)
    answer = group17.upload(name, content)
    assert answer.status_code == status
    shown = refusals(text(answer))
    assert len(shown) == 1, shown
    if message is not None:
        assert shown[0] == message
    assert register_rows(sample_db) == before


def test_a_sheet_with_a_bad_row_lists_it_and_cannot_be_confirmed(sample_db, group17):
    before = register_rows(sample_db)
    answer = group17.upload("to17.csv", return_sheet((OVERDUE_17, "20/11/2026"), (GROUP_5, "20/11/2026")))
    page = text(answer)
    assert answer.status_code == 422
    assert ("Dòng 3, cột «Mã»: Chi bộ" in page and "thuộc tổ công tác số 5, không thuộc tổ công tác số 17."
            in page)
    assert register_rows(sample_db) == before
    assert group17.post("/nhap-tep/xac-nhan", **confirm_fields(page)).status_code == 422
    assert register_rows(sample_db) == before


def test_an_upload_over_the_limit_is_refused(sample_db, group17):
    from congress.web import MAX_UPLOAD_MB

    before = register_rows(sample_db)
    answer = group17.upload("to17.csv", b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1))
    assert answer.status_code == 413
    assert f"tối đa {MAX_UPLOAD_MB} MB" in text(answer)
    assert register_rows(sample_db) == before


def test_the_override_in_a_sheet_is_the_office_s_alone(sample_db, group17):
    before = register_rows(sample_db)
    answer = group17.upload("to17.csv", return_sheet((GROUP_5, "20/11/2026")), force="1")
    assert answer.status_code == 422
    assert refusals(text(answer)) == ["Chỉ văn phòng được ghi đè; tổ công tác ghi trong phạm vi của tổ."]
    assert register_rows(sample_db) == before


# --- undo ----------------------------------------------------------------------------------------------


def expected(page: str) -> str:
    return re.search(r'name="expected" value="([^"]+)"', page)[1]


def test_a_group_undoes_its_own_last_change(sample_db, group17, office):
    assert group17.post("/ghi-nhan", organisation=OVERDUE_17, held="20/11/2026").status_code == 303
    assert office.post("/ghi-nhan", organisation=OVERDUE_17_TOO, held="20/11/2026").status_code == 303
    page = text(group17.get("/hoan-tac"))
    assert f"Thay đổi gần nhất của {group17.name}: ghi nhận" in page
    assert "X.NINHGIANG.03 Chi bộ Trường Tiểu học Ninh Giang" in page and "(trống)" in page
    answer = group17.post("/hoan-tac", expected=expected(page))
    assert answer.status_code == 303
    assert held_on(sample_db, OVERDUE_17) is None
    assert held_on(sample_db, OVERDUE_17_TOO) == dt.date(2026, 11, 20)  # the office's own stays
    assert last_change(sample_db)[:6] == (group17.name, 17, "undo", "held_on", "2026-11-20", None)


def test_an_undo_confirmed_after_a_newer_change_does_nothing(sample_db, group17):
    assert group17.post("/ghi-nhan", organisation=OVERDUE_17, held="20/11/2026").status_code == 303
    page = text(group17.get("/hoan-tac"))
    assert group17.post("/ghi-nhan", organisation=OVERDUE_17_TOO, held="20/11/2026").status_code == 303
    before = register_rows(sample_db)
    answer = group17.post("/hoan-tac", expected=expected(page))
    assert answer.status_code == 409
    assert "Trong lúc chờ xác nhận đã có thay đổi mới; chưa hoàn tác gì." in text(answer)
    assert register_rows(sample_db) == before


def test_nothing_to_undo_is_said_calmly(app):
    browser = Browser(app, account(12, "moi12"))
    page = text(browser.get("/hoan-tac"))
    assert refusals(page) == [f"Người dùng {browser.name} chưa có thay đổi nào để hoàn tác."]
    assert 'name="expected"' not in page


def test_signed_out_forms_lead_to_the_login(app):
    client = app.test_client()
    for path in ("/ghi-nhan", "/du-kien", "/rut-lai", "/nhap-tep", "/hoan-tac"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/dang-nhap" in answer.headers["Location"]


def test_an_organisation_s_page_leads_to_its_forms(group17):
    page = text(group17.get(f"/to-chuc/{OVERDUE_17}"))
    for path in ("/ghi-nhan", "/du-kien", "/rut-lai"):
        assert f'href="{path}?organisation={OVERDUE_17}"' in page


def test_names_are_shown_as_text_in_every_write_page(sample_db, group17):
    from conftest import run

    assert run("org", "edit", OVERDUE_17, "--name", '<script>alert("x")</script> & "Chi bộ"').exit_code == 0
    answer = group17.post("/ghi-nhan", organisation=OVERDUE_17, held="20/11/2026")
    page = text(group17.get(answer.headers["Location"]))
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Chi bộ&#34;" in page
    page = text(group17.upload("to17.csv", return_sheet((OVERDUE_17, "21/11/2026"))))
    assert "<script>" not in page and "&lt;script&gt;" in page
    page = text(group17.get("/hoan-tac"))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_the_sheet_to_fill_comes_back_as_a_return(sample_db, group17):
    import openpyxl

    answer = group17.get("/nhap-tep/mau-held.xlsx")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="mau-ngay-to-chuc-to17.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    sheet = book.active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert OVERDUE_17 in codes and GROUP_5 not in codes  # the group's own organisations only
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == OVERDUE_17:
            row[header.index("Ngày tổ chức")].value = dt.date(2026, 11, 20)
    filled = io.BytesIO()
    book.save(filled)
    page = text(group17.upload("to17.xlsx", filled.getvalue()))
    assert "Sẽ ghi: 1 mới, 0 thay đổi" in page
    assert group17.post("/nhap-tep/xac-nhan", **confirm_fields(page)).status_code == 303
    assert held_on(sample_db, OVERDUE_17) == dt.date(2026, 11, 20)


# --- many at once, through the real server -------------------------------------------------------------

EACH, RACERS = 10, 4


def test_groups_logging_at_once_through_the_server_lose_nothing(sample_db):
    import threading

    from serving import Client, serving

    sql(sample_db, "UPDATE congress SET held_on = NULL WHERE organisation_id IN "
                   "(SELECT id FROM organisation WHERE level = 'grassroots')")
    work = {group: [code for (code,) in sql(
        sample_db, "SELECT o.code FROM organisation o JOIN organisation k ON k.id = o.parent_id "
                   "JOIN workinggroup g ON g.id = k.working_group_id "
                   "WHERE o.level = 'grassroots' AND g.number = :group ORDER BY o.code", group=group)][:EACH]
            for group in (1, 2, 3, 4)}
    contested = work[4].pop()
    names = {group: account(group) for group in work}
    office = account(None)
    answers: dict[str, list] = {"logs": [], "race": []}
    with serving(sample_db, env={"CONGRESS_TODAY": TODAY}) as base:
        clients = {}
        for group, name in names.items():
            clients[group] = Client(base)
            clients[group].sign_in(name)
        racers = [Client(base) for _ in range(RACERS)]
        for racer in racers:
            racer.sign_in(office)
        start = threading.Barrier(len(clients) + RACERS)

        def log_all(group):
            start.wait()
            for code in work[group]:
                answer = clients[group].request("/ghi-nhan", {"organisation": code, "held": "1/11/2026"})
                answers["logs"].append((code, *answer))

        def race(racer):
            start.wait()
            answers["race"].append(racer.request("/ghi-nhan", {"organisation": contested, "held": "2/11/2026"}))

        threads = ([threading.Thread(target=log_all, args=(group,)) for group in clients]
                   + [threading.Thread(target=race, args=(racer,)) for racer in racers])
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert [(code, status) for code, status, _ in answers["logs"] if status != 303] == []
    logged = [code for codes in work.values() for code in codes]
    assert all(held_on(sample_db, code) == dt.date(2026, 11, 1) for code in logged)
    assert held_on(sample_db, contested) == dt.date(2026, 11, 2)
    assert sorted(status for status, _ in answers["race"]) == [303] + [422] * (RACERS - 1)
    for status, page in answers["race"]:
        assert status == 303 or "đã được ghi nhận tổ chức đại hội ngày 02/11/2026" in page
    history = sql(sample_db, "SELECT count(*) FROM change WHERE action = 'log' AND new_value IN "
                             "('2026-11-01', '2026-11-02')")[0][0]
    assert history == len(logged) + 1
