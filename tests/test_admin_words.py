"""The database's and the accounts' refusals say the facts and name no command or option
(congress.domain.errors.Allow); the command line words what would allow them (congress.cli.common.HINTS),
line for line as it did when the message itself named the option. Each: exit 1, nothing changed."""
import re
import sqlite3

import pytest

from conftest import ON_POSTGRES, digest, run, sqlite_only

from congress.cli.common import worded
from congress.domain.errors import Allow, CongressError

PASSWORD = "mat-khau-van-phong"


def an_old_database(db):
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    connection.close()
    return ["--db", str(db), "status"]


def an_office_account(db):
    assert run("user", "add", "vanphong", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    return ["user", "add", "vanphong", "--password-stdin"]


CASES = [
    ("no database", lambda db: ["--db", "nowhere.db", "status"],
     "Lỗi: Không tìm thấy cơ sở dữ liệu nowhere.db.\nTạo mới bằng «congress init» (trống) hoặc «congress init "
     "--sample» (dữ liệu mẫu), hoặc chỉ đường dẫn bằng --db hay biến môi trường CONGRESS_DB.\n"),
    ("an older schema", an_old_database,
     "Lỗi: Cơ sở dữ liệu {db} ở phiên bản cũ (0005); chạy «congress db upgrade» để cập nhật (dữ liệu được giữ nguyên).\n"),
    ("no server", lambda db: ["--db", "postgresql://nobody@127.0.0.1:1/congress", "status"],
     "Lỗi: Không kết nối được máy chủ cơ sở dữ liệu; kiểm tra địa chỉ --db và máy chủ.\n"),
    ("group rights on SQLite", lambda db: ["db", "grant-group", "3", "to3"],
     "Lỗi: Phân quyền tổ công tác do máy chủ PostgreSQL thực thi; với SQLite, hãy dùng --group khi ghi.\n"),
    ("a name taken", an_office_account,
     "Lỗi: Tài khoản vanphong đã có (đổi mật khẩu bằng «congress user passwd vanphong»).\n"),
    ("no such account", lambda db: ["user", "remove", "khong_co"],
     "Lỗi: Không có tài khoản khong_co (xem «congress user list»).\n"),
    ("a database there", lambda db: ["--db", str(db), "init"],
     "Lỗi: {db} đã có. Dùng --force để xóa và tạo lại.\n"),
]


@sqlite_only  # the accounts and the files of SQLite; the server's own refusal is the case below
@pytest.mark.parametrize("make, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_command_line_names_what_would_allow_it(sample_db, make, expected):
    args = make(sample_db)
    before = digest(sample_db)
    result = run(*args, input=PASSWORD + "\n")
    assert (result.exit_code, result.stderr) == (1, expected.format(db=sample_db))
    assert digest(sample_db) == before


@pytest.mark.skipif(not ON_POSTGRES, reason="accounts are the server's roles on PostgreSQL")
def test_accounts_on_the_server_are_its_roles(sample_db):
    before = digest(sample_db)
    result = run("user", "list")
    assert (result.exit_code, result.stderr) == (1, (
        "Lỗi: Với PostgreSQL, tài khoản đăng nhập là tài khoản của máy chủ: tạo bằng «createuser --pwprompt TÊN» "
        "(với tài khoản postgres), rồi giao tổ bằng «congress db grant-group SỐ_TỔ TÊN».\n"))
    assert digest(sample_db) == before


@pytest.mark.parametrize("error, expected", [
    (CongressError("Tệp cơ sở dữ liệu hỏng: SQLite không đọc được các trang dữ liệu của nó.", allow=Allow.RESTORE),
     "Tệp cơ sở dữ liệu hỏng: SQLite không đọc được các trang dữ liệu của nó. Hãy khôi phục từ bản sao lưu gần "
     "nhất (congress backup) và báo cho người quản trị."),
    (CongressError("Không có tài khoản to3.", allow=Allow.LIST_ACCOUNTS), "Không có tài khoản to3 (xem «congress user list»)."),
    (CongressError("Phân quyền do máy chủ thực thi.", allow=Allow.NAME_GROUP),
     "Phân quyền do máy chủ thực thi; với SQLite, hãy dùng --group khi ghi."),
    (CongressError("Không tìm thấy cơ sở dữ liệu x.db.", allow=Allow.CREATE),
     "Không tìm thấy cơ sở dữ liệu x.db.\nTạo mới bằng «congress init» (trống) hoặc «congress init --sample» (dữ liệu "
     "mẫu), hoặc chỉ đường dẫn bằng --db hay biến môi trường CONGRESS_DB."),
    (CongressError("Tài khoản to3 đã có."), "Tài khoản to3 đã có."),  # nothing would allow it: the facts alone
], ids=["after a sentence", "in brackets before its stop", "going on after ';'", "on a line of its own", "no hint"])
def test_a_hint_follows_the_facts(error, expected):
    # the domain's text never names the command line; the CLI's words come after it
    assert "congress" not in str(error) and worded(error) == expected


PAGES = [
    ("no server", CongressError("Không kết nối được máy chủ cơ sở dữ liệu.", allow=Allow.CONNECT),
     "Không kết nối được máy chủ cơ sở dữ liệu. Không có gì thay đổi; hãy thử lại sau ít phút."),
    ("an older schema", CongressError("Cơ sở dữ liệu x.db ở phiên bản cũ (0005).", allow=Allow.UPGRADE),
     "Cơ sở dữ liệu x.db ở phiên bản cũ (0005). Người quản trị máy chủ cần cập nhật cơ sở dữ liệu "
     "(dữ liệu được giữ nguyên)."),
]


@sqlite_only  # the refusal is made up; the page is the same on either backend
@pytest.mark.parametrize("error, page", [c[1:] for c in PAGES], ids=[c[0] for c in PAGES])
def test_a_page_words_it_for_the_browser(sample_db, monkeypatch, error, page):
    from congress.application.server import Backend
    from congress.web import create_app

    def refused(*_args):
        raise error

    app = create_app(str(sample_db))
    try:
        monkeypatch.setattr(Backend, "sign_in", refused)
        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True))[1]
        answer = client.post("/dang-nhap", data={"name": "vanphong", "password": PASSWORD, "csrf_token": token})
        assert answer.status_code == 401
        shown = answer.get_data(as_text=True)
        assert page in shown and "--db" not in shown and "congress db" not in shown
    finally:
        app.extensions["congress"].close()
