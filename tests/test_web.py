"""`congress serve`, in process (Flask's test client), on both backends: every page answers, its figures
are those `congress status --format json` prints for the same day, names are shown as text, and the
session's safety (login, CSRF, lock-out, logout) holds.

One app and one database per module (the pages only read), so the module stays fast."""
import datetime as dt
import json
import re
import shutil
import uuid
from html.parser import HTMLParser

import pytest

from congress.domain import vn
from conftest import ON_POSTGRES, TODAY, _admin, _server_database, run

DAYS = ["9/7/2025", "3/8/2025", "21/8/2025"]
PASSWORD = "mat-khau-thu"
ESCAPED = "X.VINHBAO.01"  # its name becomes markup in the `named` fixture


@pytest.fixture(scope="module")
def register(request, tmp_path_factory):
    """The sample, one copy for the module, with an office account and one for working group 3."""
    if ON_POSTGRES:
        name, db = _server_database(request.getfixturevalue("server_sample"))
    else:
        db = tmp_path_factory.mktemp("web") / "sample.db"
        shutil.copyfile(request.getfixturevalue("built_sample"), db)
    yield str(db)
    if ON_POSTGRES:
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def accounts(register):
    """(office, group 3): on SQLite accounts of the register; on PostgreSQL the server's roles (the test
    server trusts every local login, so any password signs in)."""
    env = {"CONGRESS_TODAY": TODAY}
    if ON_POSTGRES:
        group = f"to3_{uuid.uuid4().hex[:6]}"
        granted = run("--db", register, "db", "grant-group", "3", group, env=env)
        assert granted.exit_code == 0, granted.stderr
        return "postgres", group
    for name, group in (("vanphong", None), ("to3", "3")):
        args = ["--db", register, "user", "add", name, "--password-stdin"] + (["--group", group] if group else [])
        added = run(*args, input=PASSWORD + "\n", env=env)
        assert added.exit_code == 0, added.stderr
    return "vanphong", "to3"


@pytest.fixture(scope="module")
def app(register, accounts):
    from congress.web import create_app

    app = create_app(register, today=dt.date.fromisoformat(TODAY))
    yield app
    app.extensions["congress"].close()


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]


def sign_in(app, name, password=PASSWORD):
    client = app.test_client()
    token = csrf(client.get("/dang-nhap"))
    answer = client.post("/dang-nhap", data={"name": name, "password": password, "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


@pytest.fixture(scope="module")
def office(app, accounts):
    return sign_in(app, accounts[0])


@pytest.fixture(scope="module")
def group3(app, accounts):
    return sign_in(app, accounts[1])


class Tables(HTMLParser):
    """Every <table id=…> of a page as rows of cell texts (header row first)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables, self._table, self._row, self._cell = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def page(client, url, status=200) -> str:
    answer = client.get(url)
    assert answer.status_code == status, (url, answer.get_data(as_text=True)[:500])
    return answer.get_data(as_text=True)


def cli_json(register, *args):
    result = run("--db", register, *args, "--format", "json", env={"CONGRESS_TODAY": TODAY})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- every route ------------------------------------------------------------------------------------

ROUTES = [
    "/", "/?as_of=9/7/2025", "/danh-sach/qua-han", "/danh-sach/cham?as_of=21/8/2025",
    "/danh-sach/nguy-co?as_of=3/8/2025&group=3", "/danh-sach/sap-to-chuc?as_of=3/8/2025&days=7&level=grassroots",
    "/danh-sach/qua-han?committee=P.HAIAN", "/danh-sach/qua-han.csv", "/danh-sach/cham.xlsx?as_of=21/8/2025",
    "/to-chuc/P.HAIAN", "/to-chuc/HP", "/to-chuc/P.HAIAN.01", "/to-cong-tac/3", "/lich-su",
    "/lich-su?organisation=hai+an&since=1/7/2025&group=3&limit=5", "/tim?q=hai+an", "/tim",
    "/bao-cao", "/bao-cao?as_of=20/7/2025&number=12&issued=21/7/2025&notes1=Tu%E1%BA%A7n+qua.",
    "/bao-cao/tai.html?as_of=20/7/2025", "/bao-cao/tai.docx?as_of=20/7/2025&number=12",
    "/danh-sach/cham-chuan-bi?as_of=9/7/2025", "/danh-sach/cham-chuan-bi.xlsx?as_of=9/7/2025",
    "/ket-qua?as_of=3/8/2025", "/ket-qua.csv?group=17", "/ket-qua.xlsx", "/to-cong-tac/17?as_of=3/8/2025",
    "/static/web.css",
]
REFUSED = [
    ("/?as_of=abc", 400, "Ngày không hợp lệ"), ("/?as_of=31/2/2025", 400, "Ngày không có thật"),
    ("/to-chuc/khong-co", 404, "Không tìm thấy tổ chức"), ("/to-cong-tac/99", 404, "Không có tổ công tác số 99"),
    ("/danh-sach/qua-han?group=abc", 400, "Tổ công tác: «abc» phải là số nguyên"),
    ("/danh-sach/qua-han?committee=P.HAIAN.01", 400, "không phải đảng bộ trực thuộc"),
    ("/danh-sach/qua-han?level=ward", 400, "Cấp «ward» không có"),
    ("/danh-sach/sap-to-chuc?days=0", 400, "Số ngày: «0» phải là số nguyên từ 1 đến 3.660"),
    ("/lich-su?limit=5000", 400, "Số dòng: «5000» phải là số nguyên từ 1 đến 1.000"),
    ("/tim?q=cam+giang", 200, "Cẩm Giàng"), ("/bao-cao?issued=2025-W29", 400, "Ngày không hợp lệ"),
    ("/bao-cao?issued=31/2/2025", 400, "Ngày không có thật"),
    ("/bao-cao/tai.html?number=0", 400, "Số văn bản: «0» phải là số nguyên từ 1 đến 999.999"),
    ("/bao-cao?notes2=%23+Kh%C3%A1c", 400, "không phải phần nào của báo cáo"),
    ("/bao-cao?notes1=a%1B%5B31m", 400, "ký tự điều khiển"),
    ("/khong-co-trang-nay", 404, "Không có trang này"),
    ("/ket-qua?as_of=abc", 400, "Ngày không hợp lệ"), ("/ket-qua?group=abc", 400, "phải là số nguyên"),
    ("/ket-qua.pdf", 404, "Không có trang này"), ("/danh-sach/cham-chuan-bi?level=ward", 400, "Cấp «ward» không có"),
]


@pytest.mark.parametrize("url", ROUTES)
def test_every_page_answers_signed_in_and_sends_the_safety_headers(office, url):
    answer = office.get(url)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert re.fullmatch(r"app;dur=\d+(\.\d+)?", answer.headers["Server-Timing"])
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "script-src" not in answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    if not url.startswith("/static"):
        assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url, status, words", REFUSED, ids=[u for u, _, _ in REFUSED])
def test_a_bad_request_answers_in_one_vietnamese_line(office, url, status, words):
    assert words in page(office, url, status)


def test_a_refusal_on_a_page_names_no_option_of_the_command_line(office):
    """The CLI says «(--committee)»; the page, whose filter is a menu, says the fact alone."""
    shown = page(office, "/danh-sach/qua-han?committee=P.HAIAN.01", 400)
    assert "Chi bộ Tổ dân phố số 1, Hải An không phải đảng bộ trực thuộc." in shown and "--committee" not in shown


@pytest.mark.parametrize("url", [u for u in ROUTES if not u.startswith("/static")])
def test_every_page_needs_an_account(app, url):
    answer = app.test_client().get(url)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/dang-nhap?next=")


def test_the_brief_pdf_or_the_clis_message_without_pango(office):
    answer = office.get("/bao-cao/tai.pdf?as_of=20/7/2025")
    if answer.status_code == 200:
        assert answer.data.startswith(b"%PDF") and answer.mimetype == "application/pdf"
    else:
        assert answer.status_code == 400 and "Định dạng pdf cần WeasyPrint" in answer.get_data(as_text=True)


# --- the figures are the CLI's ----------------------------------------------------------------------


@pytest.mark.parametrize("day", DAYS)
def test_the_overview_shows_the_figures_of_status(office, register, day):
    status = cli_json(register, "status", "--as-of", day)
    html = page(office, f"/?as_of={day}")
    tables = Tables(html).tables
    assert tables["levels"][1:] == [
        [level["label"], vn.number(level["held"]), vn.number(level["total"]), level["percent_text"],
         vn.number(level["expected"])]
        for level in status["levels"]
    ]
    assert tables["levels"][0][-1] == status["expected_means"]
    assert tables["groups"][1:] == [
        [str(g["number"]), g["name"], vn.number(g["committees"]), vn.number(g["committees_held"]),
         g["committees_percent"], vn.number(g["grassroots"]), vn.number(g["grassroots_held"]),
         g["grassroots_percent"], vn.number(g["overdue"])]
        for g in status["working_groups"]
    ]
    assert [row[0] for row in tables["pilots"][1:]] == [p["code"] for p in status["pilots"]]
    for label, key in (("Quá hạn", "overdue"), ("Chậm so với mục tiêu", "behind_target"),
                       ("Có nguy cơ chậm", "at_risk")):
        assert f"{label}: <strong>{vn.number(status['counts'][key])}</strong>" in html
    assert f"tính đến ngày {vn.day(dt.date.fromisoformat(status['as_of']))}" in html
    # the chart and the forecast are the brief's own (congress.presentation.brief), for the same day
    from congress.presentation.brief import forecasts, level_figures
    from congress.read.progress import Progress
    from congress.store.sql import Store

    with Store.open(register) as store:
        levels = level_figures(Progress(store, dt.date.fromisoformat(status["as_of"]), today=dt.date.fromisoformat(TODAY)))
    assert html.count("<svg") == len([level for level in levels if level.progress.total > 1]) > 0
    for forecast in forecasts(levels):
        assert f"<strong>{forecast['label']}:</strong> {forecast['text']}" in html


LISTINGS = [("qua-han", "--overdue"), ("cham", "--late"), ("nguy-co", "--at-risk")]


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("kind, option", LISTINGS, ids=[k for k, _ in LISTINGS])
def test_each_list_is_the_clis_list(office, register, day, kind, option):
    expected = cli_json(register, "status", option, "--as-of", day)
    rows = Tables(page(office, f"/danh-sach/{kind}?as_of={day}")).tables.get("entries", [[]])[1:]
    assert [r[0] for r in rows] == [e["code"] for e in expected]
    assert [r[-1] for r in rows] == [str(e["days_overdue"]) if e["days_overdue"] else "" for e in expected]


@pytest.mark.parametrize("query, options", [
    ("group=3", ["--group", "3"]), ("level=committee", ["--level", "committee"]),
    ("committee=X.VINHBAO", ["--committee", "X.VINHBAO"]),
])
def test_the_lists_filters_are_the_clis(office, register, query, options):
    expected = cli_json(register, "status", "--at-risk", "--as-of", "3/8/2025", *options)
    rows = Tables(page(office, f"/danh-sach/nguy-co?as_of=3/8/2025&{query}")).tables.get("entries", [[]])[1:]
    assert [r[0] for r in rows] == [e["code"] for e in expected]


def test_upcoming_is_the_clis(office, register):
    expected = cli_json(register, "status", "--upcoming", "10", "--as-of", "3/8/2025")
    rows = Tables(page(office, "/danh-sach/sap-to-chuc?as_of=3/8/2025&days=10")).tables["entries"][1:]
    assert [r[0] for r in rows] == [e["code"] for e in expected] and expected


# each list on a day it is empty (the sample)
EMPTY_LISTS = [("qua-han", ["--overdue"], "9/7/2025"), ("cham", ["--late"], "9/7/2025"),
               ("nguy-co", ["--at-risk"], "21/11/2026"), ("sap-to-chuc", ["--upcoming", "7"], "21/11/2026")]


@pytest.mark.parametrize("kind, options, day", EMPTY_LISTS, ids=[k for k, _, _ in EMPTY_LISTS])
def test_an_empty_list_says_so_in_the_clis_words(office, register, kind, options, day):
    """The list's words are written once (congress.presentation.listings.Listing), for both faces."""
    printed = run("--db", register, "status", *options, "--as-of", day, env={"CONGRESS_TODAY": TODAY})
    heading, empty = printed.stdout.split("\n\n")[:2]
    assert heading.endswith(": 0 tổ chức") and empty.startswith("Không có")
    shown = page(office, f"/danh-sach/{kind}?as_of={day}&days=7")
    assert empty in shown and "entries" not in Tables(shown).tables


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_downloaded_list_is_the_file_export_writes(office, register, tmp_path, fmt):
    target = tmp_path / f"qua-han.{fmt}"
    exported = run("--db", register, "export", "overdue", str(target), "--as-of", "21/8/2025",
                   env={"CONGRESS_TODAY": TODAY})
    assert exported.exit_code == 0, exported.stderr
    answer = office.get(f"/danh-sach/qua-han.{fmt}?as_of=21/8/2025")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    if fmt == "csv":
        assert answer.data == target.read_bytes()
    else:
        from openpyxl import load_workbook

        def cells(source):
            return [[c.value for c in row] for row in load_workbook(source, read_only=True).active.iter_rows()]

        import io

        assert cells(io.BytesIO(answer.data)) == cells(target)


def test_an_organisations_page_has_its_congress_children_and_history(office, register):
    facts = cli_json(register, "org", "show", "P.HAIAN")
    html = page(office, "/to-chuc/P.HAIAN")
    assert facts["name"] in html and vn.day(dt.date.fromisoformat(facts["congress"]["held_on"])) in html
    tables = Tables(html).tables
    children = cli_json(register, "org", "list", "--committee", "P.HAIAN", "--level", "grassroots")
    assert [r[0] for r in tables["children"][1:]] == [c["code"] for c in children]
    history = cli_json(register, "history", "P.HAIAN")
    assert len(tables["history"]) - 1 == len(history)


def test_the_history_feed_takes_the_clis_filters(office, register):
    expected = cli_json(register, "history", "--since", "1/7/2025", "--limit", "7")
    rows = Tables(page(office, "/lich-su?since=1/7/2025&limit=7")).tables["history"][1:]
    assert [(r[0], r[3]) for r in rows] == [
        (vn.moment(dt.datetime.fromisoformat(h["at"])), h["code"] or "") for h in expected
    ]


def test_search_finds_names_typed_without_diacritics(office):
    found = Tables(page(office, "/tim?q=hai+an")).tables["found"][1:]
    assert "P.HAIAN" in [r[0] for r in found]
    assert any(r[1] == "Đảng bộ phường Hải An" for r in found)
    both = [r[1] for r in Tables(page(office, "/tim?q=cam+giang")).tables["found"][1:]]
    assert "Đảng bộ xã Cẩm Giàng" in both and "Đảng bộ xã Cẩm Giang" in both  # folding merges them: both listed


@pytest.mark.parametrize("typed, code", [("thon+so+4+vinh+bao", "X.VINHBAO.08"), ("ninh+giang+03", "X.NINHGIANG.03")])
def test_search_ignores_punctuation(office, typed, code):
    assert [r[0] for r in Tables(page(office, f"/tim?q={typed}")).tables["found"][1:]] == [code]


@pytest.mark.parametrize("typed, offered", [("thon+so+4+vinh+bo", "X.VINHBAO.08"), ("ninhgiang3", "X.NINHGIANG.03")])
def test_search_finding_nothing_offers_the_closest(office, typed, offered):
    body = page(office, f"/tim?q={typed}")
    assert "Không tìm thấy tổ chức nào." in body and "Tên gần giống:" in body
    assert f'href="/to-chuc/{offered}"' in body and body.count('<li><a href="/to-chuc/') <= 3


def test_a_code_typed_exactly_opens_that_organisation(office):
    answer = office.get("/tim?q=p.haian")
    assert answer.status_code == 302 and answer.headers["Location"] == "/to-chuc/P.HAIAN"


def test_a_working_groups_page(office, register):
    expected = cli_json(register, "status", "--group", "3")
    tables = Tables(page(office, "/to-cong-tac/3")).tables
    assert [r[1:3] for r in tables["levels"][1:]] == [
        [vn.number(level["held"]), vn.number(level["total"])] for level in expected["levels"]
    ]


# --- names are text -------------------------------------------------------------------------------


def test_an_organisation_named_like_markup_shows_as_text(office, register):
    renamed = run("--db", register, "org", "edit", ESCAPED, "--name", "<script>alert(1)</script>",
                  env={"CONGRESS_TODAY": TODAY})
    assert renamed.exit_code == 0, renamed.stderr
    for url in (f"/to-chuc/{ESCAPED}", "/tim?q=script", "/to-chuc/X.VINHBAO",
                "/lich-su"):
        html = page(office, url)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


# --- sessions -------------------------------------------------------------------------------------


def test_the_cookie_is_httponly_and_samesite(app, accounts):
    client = app.test_client()
    token = csrf(client.get("/dang-nhap"))
    answer = client.post("/dang-nhap", data={"name": accounts[0], "password": PASSWORD, "csrf_token": token})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert PASSWORD not in cookie


def test_a_post_without_the_csrf_token_is_refused(app, accounts):
    client = sign_in(app, accounts[0])
    for data in ({}, {"csrf_token": "forged"}):
        answer = client.post("/dang-xuat", data=data)
        assert answer.status_code == 400
        assert "mã bảo vệ CSRF" in answer.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still signed in: the forged logout did nothing
    stranger = app.test_client()
    refused = stranger.post("/dang-nhap", data={"name": accounts[0], "password": PASSWORD})
    assert refused.status_code == 400


def test_logout_ends_the_login_on_the_server(app, accounts):
    client = sign_in(app, accounts[0])
    cookie = client.get_cookie("congress").value
    token = csrf(client.get("/"))
    assert client.post("/dang-xuat", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302
    replayed = app.test_client()
    replayed.set_cookie("congress", cookie)  # the cookie copied before logout is worth nothing after it
    assert replayed.get("/").status_code == 302


def test_a_wrong_password_or_name_says_so_and_nothing_more(app, accounts):
    client = app.test_client()
    token = csrf(client.get("/dang-nhap"))
    for name in ("khong_co_ai", accounts[0]):
        if ON_POSTGRES and name == accounts[0]:
            continue  # the test server trusts every local login
        answer = client.post("/dang-nhap", data={"name": name, "password": "sai-mat-khau", "csrf_token": token})
        assert answer.status_code == 401
        assert "Sai tên đăng nhập hoặc mật khẩu." in answer.get_data(as_text=True)


def test_a_group_account_sees_everything_marked_as_its_group(group3, office):
    html = page(group3, "/")
    assert "tổ công tác số 3" in html
    assert Tables(html).tables["groups"] == Tables(page(office, "/")).tables["groups"]
    assert page(group3, "/to-cong-tac/5")


@pytest.mark.skipif(ON_POSTGRES, reason="accounts of the register: SQLite")
def test_a_new_password_or_a_removed_account_signs_out_at_once(app, register):
    added = run("--db", register, "user", "add", "tam_thoi", "--password-stdin", input=PASSWORD + "\n",
                env={"CONGRESS_TODAY": TODAY})
    assert added.exit_code == 0
    client = sign_in(app, "tam_thoi")
    assert client.get("/").status_code == 200
    new = PASSWORD + "-moi"
    assert run("--db", register, "user", "passwd", "tam_thoi", "--password-stdin", input=new + "\n").exit_code == 0
    assert client.get("/").status_code == 302
    client = sign_in(app, "tam_thoi", new)
    assert run("--db", register, "user", "remove", "tam_thoi").exit_code == 0
    assert client.get("/").status_code == 302


def test_an_upload_beyond_the_limit_is_refused_in_vietnamese(office):
    token = csrf(office.get("/"))
    answer = office.post("/dang-xuat", data={"csrf_token": token, "file": "x" * (6 * 1024 * 1024)})
    assert answer.status_code == 413
    assert "tối đa 5 MB" in answer.get_data(as_text=True)
    assert office.get("/").status_code == 200


def test_the_login_page_of_a_signed_in_account_leads_on(office):
    answer = office.get("/dang-nhap?next=/lich-su")
    assert answer.status_code == 302 and answer.headers["Location"] == "/lich-su"


def test_the_login_page_sends_only_to_this_site(app, accounts):
    client = app.test_client()
    token = csrf(client.get("/dang-nhap"))
    answer = client.post("/dang-nhap?next=//evil.example/", data={
        "name": accounts[0], "password": PASSWORD, "csrf_token": token})
    assert answer.headers["Location"] == "/"


# --- the brief's form: what `congress brief` takes, as a clerk types it ---------------------------------


def test_the_brief_form_sets_number_date_and_notes_as_the_cli_does(office, register, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("Đánh giá chung\nTuần qua tốt.\n\nĐề xuất, kiến nghị\nĐề nghị A.\n\nĐề nghị B.\n", encoding="utf-8")
    cli = run("--db", register, "brief", "--as-of", "20/7/2025", "--number", "12", "--date", "21/7/2025",
              "--notes", str(notes), env={"CONGRESS_TODAY": TODAY})
    assert cli.exit_code == 0, cli.stderr
    asked = ("as_of=20/7/2025&number=12&issued=21/7/2025&notes1=Tu%E1%BA%A7n+qua+t%E1%BB%91t."
             "&notes3=%C4%90%E1%BB%81+ngh%E1%BB%8B+A.%0D%0A%0D%0A%C4%90%E1%BB%81+ngh%E1%BB%8B+B.")
    form = page(office, f"/bao-cao?{asked}")
    link = re.search(r'href="(/bao-cao/tai\.html[^"]+)"', form)[1].replace("&amp;", "&")
    document = page(office, link)
    back = re.search(r'<style>@media print \{ \.site-back.*?</p>', document, re.S)
    assert back and 'href="/bao-cao?as_of=20/7/2025&amp;number=12' in back[0]  # a way back, the form as filled
    assert document.replace(back[0], "", 1) == cli.stdout  # the CLI's brief, to the byte


@pytest.mark.parametrize("asked", ["number=12", "issued=21/7/2025", "notes1=T%E1%BB%91t."])
def test_only_the_office_numbers_dates_and_annotates_the_brief(group3, asked):
    assert "Chỉ văn phòng đặt số văn bản" in page(group3, f"/bao-cao?{asked}", 400)
    assert "Chỉ văn phòng đặt số văn bản" in page(group3, f"/bao-cao/tai.html?{asked}", 400)
    assert 'name="number"' not in page(group3, "/bao-cao")
