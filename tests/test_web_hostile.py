"""Hostile requests to `congress serve` (issue 16, parts 2 and 3; issue 20, a huge sheet and stopping the
server): each is answered with a Vietnamese page, never a 500, and changes nothing."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from conftest import digest, run, sqlite_only
from serving import _wait, free_port, serving
from test_web_writes import OVERDUE_17, Browser, app, group17, office, refusals, return_sheet, text  # noqa: F401

DIGITS_5000 = "7" * 5000
BEYOND_64_BITS = str(2 ** 64)

# (what, path, headers, status): every one refused in Vietnamese, nothing written
HOSTILE = [
    ("limit in superscript", "/lich-su?limit=²", {}, 400),
    ("limit in Arabic-Indic digits", "/lich-su?limit=١٠", {}, 400),
    ("group in superscript", "/lich-su?group=¹", {}, 400),
    ("limit of 5.000 digits", f"/lich-su?limit={DIGITS_5000}", {}, 400),
    ("limit beyond 64 bits", f"/lich-su?limit={BEYOND_64_BITS}", {}, 400),
    ("group beyond 64 bits", f"/lich-su?group={BEYOND_64_BITS}", {}, 400),
    ("days in superscript", "/danh-sach/sap-to-chuc?days=²", {}, 400),
    ("days of 5.000 digits", f"/danh-sach/sap-to-chuc?days={DIGITS_5000}", {}, 400),
    ("list's group of 5.000 digits", f"/danh-sach/qua-han?group={DIGITS_5000}", {}, 400),
    ("download's group in superscript", "/danh-sach/qua-han.csv?group=¹", {}, 400),
    ("brief's group in superscript", "/bao-cao?group=²", {}, 400),
    ("brief file's group beyond 64 bits", f"/bao-cao/tai.html?group={BEYOND_64_BITS}", {}, 400),
    ("group page in superscript", "/to-cong-tac/²", {}, 404),
    ("group page in Arabic-Indic digits", "/to-cong-tac/١٧", {}, 404),
    ("group page beyond 64 bits", f"/to-cong-tac/{BEYOND_64_BITS}", {}, 404),
    ("group page of 5.000 digits", f"/to-cong-tac/{DIGITS_5000}", {}, 404),
    ("day in Arabic-Indic digits", "/?as_of=" + quote("١/١/٢٠٢٦"), {}, 400),
    ("year of 5.000 digits", f"/?as_of=1/1/{DIGITS_5000}", {}, 400),
    ("brief's day in Arabic-Indic digits", "/bao-cao/tai.html?as_of=" + quote("٢٠/٨/٢٠٢٥"), {}, 400),
    ("brief's date of issue of 5.000 digits", f"/bao-cao/tai.html?issued=1/1/{DIGITS_5000}", {}, 400),
    ("brief's number in superscript", "/bao-cao/tai.html?number=²", {}, 400),
    ("brief's number of 5.000 digits", f"/bao-cao/tai.html?number={DIGITS_5000}", {}, 400),
    ("Host of two dots", "/", {"Host": ".."}, 400),
    ("Host with an empty label", "/lich-su", {"Host": "a..b"}, 400),
    ("Host starting with a dot", "/", {"Host": ".a"}, 400),
    ("Host label of 64 letters", "/", {"Host": "a" * 64 + ".vn"}, 400),
    ("Host of 300 letters", "/dang-nhap", {"Host": "x" * 300}, 400),
]


def vietnamese_refusal(page: str) -> bool:
    return 'lang="vi"' in page and "Lỗi:" in page and "Traceback" not in page


@pytest.mark.parametrize("path, headers, status", [case[1:] for case in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_a_hostile_request_is_refused_in_vietnamese_and_changes_nothing(sample_db, office, path, headers, status):
    before = digest(sample_db)
    answer = office.client.get(path, headers=headers)
    assert answer.status_code == status
    assert vietnamese_refusal(text(answer))
    assert digest(sample_db) == before


def test_a_host_header_the_server_cannot_read_is_refused_by_the_real_server(sample_db):
    with serving(sample_db) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"GET /dang-nhap HTTP/1.1\r\nHost: ..\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert vietnamese_refusal(body.decode())


# --- where a login leads ------------------------------------------------------------------------

# next= as sent, and where the signed-in browser is sent: a path of this site, or the overview
NEXT = [
    ("/lich-su", "/lich-su"),
    ("/lich-su?group=17&limit=10", "/lich-su?group=17&limit=10"),
    ("/to-chuc/X.NINHGIANG.03", "/to-chuc/X.NINHGIANG.03"),
    ("/tim?q=h%E1%BA%A3i%20an", "/tim?q=h%E1%BA%A3i%20an"),  # as _here() keeps a query: still encoded
    ("/\t/evil.example", "/"),
    ("/\n/evil.example", "/"),
    ("/\r\nSet-Cookie: x=1", "/"),
    ("/\x00/evil.example", "/"),
    ("//evil.example", "/"),
    ("///evil.example", "/"),
    ("/\\evil.example", "/"),
    ("/\\/evil.example", "/"),
    ("\\\\evil.example", "/"),
    ("/%2F/evil.example", "/"),
    ("/%2fevil.example", "/"),
    ("/%5Cevil.example", "/"),
    ("/%09/evil.example", "/"),
    ("/%0A/evil.example", "/"),
    ("/lich-su%0D%0ASet-Cookie:%20x=1", "/"),
    ("/ /evil.example", "/"),
    ("/\u3000/evil.example", "/"),
    ("/／evil.example", "/"),  # a full-width solidus, which some browsers fold to "/"
    ("https://evil.example/", "/"),
    ("http:/evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("evil.example", "/"),
    ("", "/"),
    ("/" + "a" * 3000, "/"),
]


@pytest.mark.parametrize("sent, location", NEXT, ids=[repr(s)[:40] for s, _ in NEXT])
def test_a_login_leads_only_to_a_path_of_this_site(sample_db, office, sent, location):
    before = digest(sample_db)
    answer = office.get("/dang-nhap?" + urlencode({"next": sent}))
    assert answer.status_code == 302 and answer.headers["Location"] == location
    assert digest(sample_db) == before


def test_signing_in_with_a_tab_in_next_leads_home(app):
    from serving import PASSWORD, account

    client = app.test_client()
    client.get("/dang-nhap")
    with client.session_transaction() as kept:
        token = kept["csrf"]
    answer = client.post("/dang-nhap?" + urlencode({"next": "/\t/evil.example"}),
                         data={"csrf_token": token, "name": account(17), "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


# --- an unexpected failure --------------------------------------------------------------------------


def test_an_unexpected_error_is_a_vietnamese_page_without_a_traceback(app):
    from serving import account

    def broken():
        raise ZeroDivisionError("division by zero")

    app.add_url_rule("/hong", "broken", broken)
    browser = Browser(app, account(None))
    answer = browser.get("/hong")
    page = text(answer)
    assert answer.status_code == 500
    assert "Máy chủ gặp sự cố ngoài dự kiến; không có gì thay đổi." in page
    assert "ZeroDivisionError" not in page and "Traceback" not in page


@sqlite_only
def test_a_failure_the_error_page_itself_meets_is_still_a_vietnamese_page(sample_db, office):
    # the register overwritten under the running server: even the account's name cannot be read
    with open(sample_db, "r+b") as damaged:
        damaged.write(b"x" * 4096)
    answer = office.get("/")
    assert answer.status_code == 500
    assert 'lang="vi"' in text(answer) and "Máy chủ gặp sự cố ngoài dự kiến" in text(answer)
    assert "Traceback" not in text(answer)


# --- uploads ---------------------------------------------------------------------------------------


def waiting_files(app) -> list[Path]:
    return sorted(p for p in app.extensions["congress.uploads"].rglob("*") if p.is_file() and p.name != "upload.json")


def test_a_file_named_with_200_vietnamese_letters_is_checked(sample_db, group17, app):
    name = "ă" * 200 + ".csv"
    assert len(name.encode()) > 255  # more than any file system holds in one name
    before = digest(sample_db)
    answer = group17.upload(name, return_sheet((OVERDUE_17, "20/11/2026")))
    assert answer.status_code == 200
    [kept] = waiting_files(app)
    assert kept.name.endswith(".csv") and kept.name.startswith("ăăă") and len(kept.name.encode()) <= 200
    assert f"Chạy thử {kept.name}" in text(answer)
    assert digest(sample_db) == before


def test_one_login_keeps_one_waiting_sheet_even_when_its_browser_drops_the_cookie(sample_db, group17, app):
    signed_in = group17.client.get_cookie("congress").value
    for held in ("18/11/2026", "19/11/2026", "20/11/2026"):
        answer = group17.upload("to17.csv", return_sheet((OVERDUE_17, held)))
        assert answer.status_code == 200
        group17.client.set_cookie("congress", signed_in)  # as a script that never keeps the new cookie
    [kept] = waiting_files(app)
    assert "20/11/2026" in kept.read_text(encoding="utf-8-sig")


def test_a_new_upload_replaces_the_waiting_one(sample_db, group17, app):
    from test_web_writes import confirm_fields

    first = text(group17.upload("to17.csv", return_sheet((OVERDUE_17, "19/11/2026"))))
    group17.upload("to17.csv", return_sheet((OVERDUE_17, "20/11/2026")))
    before = digest(sample_db)
    answer = group17.post("/nhap-tep/xac-nhan", **confirm_fields(first))
    assert answer.status_code == 409 and "Không còn tệp chờ xác nhận" in text(answer)
    assert digest(sample_db) == before
    assert len(waiting_files(app)) == 1


def test_the_waiting_uploads_together_are_bounded(sample_db, app, monkeypatch):
    from serving import account

    from congress.web import writes

    sheet = return_sheet((OVERDUE_17, "20/11/2026")) + b"," * 600  # about 700 bytes
    monkeypatch.setattr(writes, "UPLOADS_KEPT_MB", 1000 / (1024 * 1024))  # room for one such sheet
    first, second = Browser(app, account(17)), Browser(app, account(17, "to17b"))
    assert first.upload("to17.csv", sheet).status_code == 200
    before = digest(sample_db)
    answer = second.upload("to17.csv", sheet)
    assert answer.status_code == 429
    [refused] = refusals(text(answer))
    assert refused.startswith("Máy chủ đang giữ nhiều tệp chờ xác nhận (tổng tối đa") and "chưa ghi gì" in refused
    assert len(waiting_files(app)) == 1 and digest(sample_db) == before
    # the first login's new upload takes the place of its own
    assert first.upload("to17.csv", sheet).status_code == 200


# --- dry run = confirm -----------------------------------------------------------------------------

HIDDEN_NOTES = [
    ("zero-width space", "báo\u200bcáo", "U+200B"),
    ("escape sequence", "\x1b[31mđỏ", "U+001B"),
    ("right-to-left override", "\u202eabc", "U+202E"),
    ("bell", "chuông\x07", "U+0007"),
]


def sheet_with_note(note: str) -> bytes:
    return ("Mã,Ngày tổ chức,Ghi chú\n" f'{OVERDUE_17},20/11/2026,"{note}"\n').encode("utf-8")


@pytest.mark.parametrize("note, code", [c[1:] for c in HIDDEN_NOTES], ids=[c[0] for c in HIDDEN_NOTES])
def test_the_dry_run_refuses_the_note_the_write_refuses(sample_db, group17, tmp_path, note, code):
    before = digest(sample_db)
    answer = group17.upload("to17.csv", sheet_with_note(note))
    page = text(answer)
    assert answer.status_code == 422
    assert f"Dòng 2, cột «Ghi chú»: Ghi chú chứa ký tự điều khiển hoặc ký tự ẩn {code}" in page
    assert "Xác nhận" not in page
    # the command's dry run says the same, and so does the import itself
    path = tmp_path / "to17.csv"
    path.write_bytes(sheet_with_note(note))
    for dry_run in (["--dry-run"], []):
        result = run("import", "held", str(path), "--group", "17", *dry_run)
        assert result.exit_code == 1
        assert f"Dòng 2, cột «Ghi chú»: Ghi chú chứa ký tự điều khiển hoặc ký tự ẩn {code}" in result.stderr
    assert digest(sample_db) == before


# --- a huge sheet ------------------------------------------------------------------------------------


def test_a_sheet_of_100_000_rows_is_refused_within_seconds(sample_db, group17):
    from congress.domain.rules import MAX_RETURN_ROWS
    from congress.domain.vn import number

    sheet = ("Mã,Ngày tổ chức\n" + f"{OVERDUE_17},20/11/2026\n" * 100_000).encode()
    assert len(sheet) < 5 * 1024 * 1024
    before = digest(sample_db)
    started = time.monotonic()
    answer = group17.upload("to17.csv", sheet)
    assert time.monotonic() - started < 10  # about a minute before the bound; a generous bound
    assert answer.status_code == 422
    assert refusals(text(answer)) == [
        f"Tệp to17.csv có hơn {number(MAX_RETURN_ROWS)} dòng; một tệp báo cáo ngày tổ chức hoặc ngày dự kiến có "
        f"tối đa {number(MAX_RETURN_ROWS)} dòng. Hãy chia thành nhiều tệp."
    ]
    assert len(answer.data) < 100_000
    assert digest(sample_db) == before


def test_the_upload_page_says_how_many_rows_a_sheet_may_hold(group17):
    from congress.domain.rules import MAX_RETURN_ROWS
    from congress.domain.vn import number

    assert f"Tối đa 5 MB và {number(MAX_RETURN_ROWS)} dòng." in text(group17.get("/nhap-tep"))


def test_a_dry_run_lists_the_first_refusals_and_counts_the_rest(sample_db, group17):
    from congress.web.writes import REFUSALS_SHOWN

    rows = REFUSALS_SHOWN + 30
    sheet = ("Mã,Ngày tổ chức\n" + "".join(f"KHONG.CO.{i},20/11/2026\n" for i in range(rows))).encode()
    answer = group17.upload("to17.csv", sheet)
    page = text(answer)
    assert answer.status_code == 422
    assert f"Bị từ chối ({rows})" in page
    assert len(re.findall(r'<li class="error">', page)) == REFUSALS_SHOWN
    assert "… và 30 lỗi khác, không liệt kê ở đây" in page


def test_the_command_refuses_a_sheet_over_the_bound_too(sample_db, tmp_path):
    from congress.domain.rules import MAX_RETURN_ROWS

    path = tmp_path / "to17.csv"
    path.write_text("Mã,Ngày tổ chức\n" + f"{OVERDUE_17},20/11/2026\n" * (MAX_RETURN_ROWS + 1), encoding="utf-8")
    before = digest(sample_db)
    result = run("import", "held", str(path), "--dry-run")
    assert result.exit_code == 1 and result.stderr.startswith("Lỗi: Tệp to17.csv có hơn")
    assert digest(sample_db) == before


# --- stopping the server -----------------------------------------------------------------------------


def start(db, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(tmp / f"serve-{port}.log", "w+", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "congress", "--db", str(db), "serve", "--port", str(port)],
                               env={**os.environ, "TMPDIR": str(tmp)}, stdout=log, stderr=subprocess.STDOUT)
    _wait(process, log, f"http://127.0.0.1:{port}/dang-nhap", 30)
    return process, log


def upload_folders(tmp: Path, process) -> list[Path]:
    from congress.web.writes import UPLOADS_PREFIX

    return list(tmp.glob(f"{UPLOADS_PREFIX}{process.pid}-*"))


def test_sigterm_stops_the_server_as_ctrl_c_does(sample_db, tmp_path):
    process, log = start(sample_db, tmp_path)
    assert len(upload_folders(tmp_path, process)) == 1
    process.send_signal(signal.SIGTERM)  # what a service manager sends
    assert process.wait(timeout=20) == 0
    assert upload_folders(tmp_path, process) == []
    log.seek(0)
    assert log.read().rstrip().endswith("Đã dừng máy chủ.")


def test_a_start_after_sigkill_removes_what_the_killed_server_left(sample_db, tmp_path):
    killed, _ = start(sample_db, tmp_path)
    [left] = upload_folders(tmp_path, killed)
    (left / "dang-cho").mkdir()
    killed.kill()
    killed.wait(timeout=20)
    assert left.exists()
    second, _ = start(sample_db, tmp_path)
    try:
        assert not left.exists()
        assert len(upload_folders(tmp_path, second)) == 1
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)


# --- serve --host ----------------------------------------------------------------------------------

HOSTS = [
    ("a name that does not resolve", "khong-co-may-nay.invalid", "không phải địa chỉ IP hay tên máy tìm được"),
    ("no such address form", "999.1.1.1", "không phải địa chỉ IP hay tên máy tìm được"),
    ("a space", "may chu", "không phải địa chỉ IP hay tên máy tìm được"),
    ("empty", "", "không phải địa chỉ IP hay tên máy tìm được"),
    ("an address of another machine", "192.0.2.1", "192.0.2.1 không phải địa chỉ của máy này"),
]


@pytest.mark.parametrize("host, words", [c[1:] for c in HOSTS], ids=[c[0] for c in HOSTS])
def test_serve_on_a_host_it_cannot_use_says_so_in_one_line(sample_db, host, words):
    result = run("serve", "--host", host, "--port", str(free_port()))
    assert result.exit_code == 1
    [refused] = [line for line in result.stderr.splitlines() if not line.startswith("Cảnh báo: ")]
    assert refused.startswith("Lỗi: ") and words in refused
