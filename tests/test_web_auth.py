"""Accounts for `congress serve`: `congress user` refuses bad input as every command does (one `Lỗi:`
line, a non-zero exit, the register unchanged); passwords are stored as salted scrypt; the server
listens on loopback unless told otherwise; each login writes as itself."""
import datetime as dt
import socket

import pytest

from congress.writes import accounts
from conftest import ON_POSTGRES, digest, run, sql, sqlite_only

PASSWORD = "mat-khau-thu"


@pytest.fixture
def office_account(sample_db):
    if not ON_POSTGRES:
        added = run("user", "add", "vanphong", "--password-stdin", input=PASSWORD + "\n")
        assert added.exit_code == 0, added.stderr
    return sample_db


REFUSED = [
    # (args, what is typed, exit code, words the message must hold)
    (["user", "add", "Van-Phong", "--password-stdin"], PASSWORD, 1, "Tên tài khoản «Van-Phong» không hợp lệ"),
    (["user", "add", "to_" + "x" * 70, "--password-stdin"], PASSWORD, 1, "tối đa 63 ký tự"),
    (["user", "add", "to99", "--group", "99", "--password-stdin"], PASSWORD, 1, "Không có tổ công tác số 99"),
    (["user", "add", "to3", "--group", "abc", "--password-stdin"], PASSWORD, 2, "«abc» phải là số nguyên"),
    (["user", "add", "to3", "--group", "0", "--password-stdin"], PASSWORD, 2, "từ 1 đến 9999"),
    (["user", "add", "vanphong", "--password-stdin"], PASSWORD, 1, "Tài khoản vanphong đã có"),
    (["user", "add", "to3", "--password-stdin"], "ngan", 1, "Mật khẩu quá ngắn: cần ít nhất 8 ký tự"),
    (["user", "add", "to3", "--password-stdin"], "", 1, "Mật khẩu quá ngắn"),
    (["user", "add", "to3", "--password-stdin"], "x" * 1001, 1, "Mật khẩu quá dài: tối đa 1.000 ký tự"),
    (["user", "add", "to3", "--password-stdin"], "mat\x1b[8mkhau", 1, "ký tự điều khiển"),
    (["user", "add", "to3"], f"{PASSWORD}\nkhac-mat-khau\n", 1, "Hai lần nhập mật khẩu không khớp"),
    (["user", "add", "to3"], "ngan\n", 1, "Mật khẩu quá ngắn"),
    (["user", "passwd", "khong_co", "--password-stdin"], PASSWORD, 1, "Không có tài khoản khong_co"),
    (["user", "passwd", "vanphong", "--password-stdin"], "ngan", 1, "Mật khẩu quá ngắn"),
    (["user", "remove", "khong_co"], None, 1, "Không có tài khoản khong_co"),
    (["user", "remove"], None, 2, "TÊN"),
    (["user", "add", "to3", "--bogus"], None, 2, "Không có tùy chọn '--bogus'"),
]


@sqlite_only  # on PostgreSQL every `user` command is refused (below)
@pytest.mark.parametrize("args, typed, code, words", REFUSED, ids=[" ".join(a)[:60] for a, _, _, _ in REFUSED])
def test_user_refuses_bad_input_without_change(office_account, args, typed, code, words):
    before = digest(office_account)
    result = run(*args, input=None if typed is None else typed + ("" if typed.endswith("\n") else "\n"))
    assert result.exit_code == code
    refusals = [line for line in result.stderr.splitlines() if line.startswith("Lỗi:")]
    assert len(refusals) == 1 and words in refusals[0]  # after the prompts, when it was asked
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert digest(office_account) == before


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL register holds no accounts")
@pytest.mark.parametrize("args", [["user", "add", "to3", "--password-stdin"], ["user", "list"],
                                  ["user", "remove", "to3"], ["user", "passwd", "to3", "--password-stdin"]])
def test_on_postgresql_a_login_is_the_servers_role(sample_db, args):
    before = digest(sample_db)
    result = run(*args, input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "createuser --pwprompt" in result.stderr and "congress db grant-group" in result.stderr
    assert digest(sample_db) == before


@sqlite_only
def test_users_are_added_listed_and_removed_with_a_salted_scrypt_hash(office_account):
    typed_twice = run("user", "add", "to3", "--group", "3", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert typed_twice.exit_code == 0, typed_twice.stderr
    assert typed_twice.stdout == "Đã tạo tài khoản to3 (tổ công tác số 3).\n"
    assert PASSWORD not in typed_twice.output  # asked with hidden input
    listed = run("user", "list").stdout
    assert "to3" in listed and "vanphong" in listed and "văn phòng" in listed
    hashes = dict(sql(office_account, "SELECT name, password_hash FROM account"))
    assert all(h.startswith("scrypt$16384$8$1$") for h in hashes.values())
    assert hashes["to3"].split("$")[4] != hashes["vanphong"].split("$")[4]  # each its own salt
    assert PASSWORD not in "".join(hashes.values())
    assert accounts.verify_password(PASSWORD, hashes["to3"])
    assert not accounts.verify_password(PASSWORD + "x", hashes["to3"])
    assert run("user", "remove", "to3").stdout == "Đã xóa tài khoản to3.\n"
    assert "to3" not in run("user", "list").stdout


# made by congress.writes.accounts.hash_password as the register has stored them since accounts came (c715348)
STORED = "scrypt$16384$8$1$3bfb65f764df0fb78ec656dd8fbb61f8$dc053dab40a7ca2e37afed5d6f709470ba75cc435ef132f6de402efb853ca9e7"


@pytest.mark.parametrize("password, right", [("Hải Phòng 2025", True), ("Hai Phong 2025", False), ("", False)])
def test_a_hash_stored_earlier_still_verifies(password, right):
    assert accounts.verify_password(password, STORED) is right


def test_a_password_typed_in_nfd_matches_the_same_in_nfc():
    import unicodedata

    stored = accounts.hash_password("Hải Phòng 2025")
    assert accounts.verify_password(unicodedata.normalize("NFD", "Hải Phòng 2025"), stored)


class _Server:
    def __init__(self, app, **options):
        _Server.options = options

    def run(self):
        raise KeyboardInterrupt

    def close(self):
        pass


@pytest.mark.parametrize("args, warned, url", [
    ([], False, "http://127.0.0.1:8000/"),
    (["--port", "8123"], False, "http://127.0.0.1:8123/"),
    (["--host", "0.0.0.0"], True, f"http://{socket.gethostname()}:8000/"),
    (["--host", "10.0.0.5", "--port", "9000"], True, "http://10.0.0.5:9000/"),
])
def test_serve_listens_on_loopback_unless_told_and_prints_the_url(sample_db, monkeypatch, args, warned, url):
    monkeypatch.setattr("waitress.server.create_server", _Server)
    result = run("serve", *args)
    assert result.exit_code == 0, result.stderr
    assert f"Mở trình duyệt tại {url}" in result.stdout and "Đã dừng máy chủ." in result.stdout
    assert _Server.options["host"] == (args[1] if args[:1] == ["--host"] else "127.0.0.1")
    assert ("Cảnh báo: máy chủ nhận kết nối từ mạng" in result.stderr) is warned


def test_serve_on_a_busy_port_says_so(sample_db):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        result = run("serve", "--port", str(busy.getsockname()[1]))
    finally:
        busy.close()
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Không mở được cổng") and "--port" in result.stderr


def test_serve_on_a_missing_database_says_how_to_create_one(tmp_path):
    result = run("--db", str(tmp_path / "none.db"), "serve")
    assert result.exit_code == 1 and "congress init" in result.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="a login as its own PostgreSQL role")
def test_a_group_login_writes_as_its_own_role(sample_db):
    """On PostgreSQL the server signs in with the typed name and password; a write session of that login
    is that role, so the server's rights, not the web page, decide what it may change."""
    import uuid

    from flask import session
    from sqlalchemy import text

    from congress.web import create_app
    from congress.web.auth import actor, current_account, write_session

    role = f"to3_{uuid.uuid4().hex[:6]}"
    assert run("db", "grant-group", "3", role).exit_code == 0
    app = create_app(str(sample_db), today=dt.date(2026, 11, 21))
    try:
        token = app.extensions["congress"].sign_in(role, PASSWORD, "127.0.0.1")
        with app.test_request_context("/"):
            session["login"] = token
            assert current_account() == accounts.Account(role, 3)
            assert actor().user == role and actor().working_group == 3
            with write_session() as db_session:
                assert db_session.execute(text("SELECT session_user")).scalar() == role
    finally:
        app.extensions["congress"].close()


@sqlite_only
def test_a_group_login_writes_through_the_servers_one_engine_in_wal(sample_db):
    from flask import session
    from sqlalchemy import text

    from congress.web import create_app
    from congress.web.auth import actor, current_account, write_session

    assert run("user", "add", "to3", "--group", "3", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    app = create_app(str(sample_db), today=dt.date(2026, 11, 21))
    try:
        token = app.extensions["congress"].sign_in("to3", PASSWORD, "127.0.0.1")
        with app.test_request_context("/"):
            session["login"] = token
            signed_in = current_account()
            assert (signed_in.name, signed_in.working_group) == ("to3", 3) and not signed_in.is_office
            first, second = actor(), actor()
            assert (first.user, first.working_group) == ("to3", 3) and first.command == second.command  # one per request
            assert first.identity == f"web:{signed_in.id}"  # what undo matches on: the account, not its name
            with write_session() as db_session:
                assert db_session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert db_session.get_bind() is app.extensions["congress"].engine
    finally:
        app.extensions["congress"].close()
