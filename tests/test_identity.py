"""A change belongs to who made it, not to a typed name (issue 16, §1), on both backends: history's
author is a web account's id, the command line's OS user or the PostgreSQL role, so no other login
can undo it; a group undoes only what it may write today; an undo is not offered again."""
import datetime as dt
import re

import pytest

from conftest import ON_POSTGRES, TODAY, run, sql, sqlite_only
from serving import account
from test_web_writes import Browser, held_on, refusals, text

OFFICE_OS_USER = "vanphong"  # the sample's office, and the office's OS user in these tests
SAMPLE_CITY = "HP"  # its newest sample change: "HP: ngày tổ chức 26/09/2025 → (trống)" if undone


@pytest.fixture
def app(sample_db, monkeypatch):
    from congress.web import create_app

    monkeypatch.setenv("LOGNAME", OFFICE_OS_USER)  # getpass reads LOGNAME first
    app = create_app(str(sample_db), today=dt.date.fromisoformat(TODAY))
    yield app
    app.extensions["congress"].close()


def named(group: int | None, name: str) -> str:
    """An account called exactly `name`: on PostgreSQL a role of that name given group N's rights."""
    if not ON_POSTGRES:
        return account(group, name)
    result = run("db", "grant-group", str(group or 3), name)
    assert result.exit_code == 0, result.stderr
    return name


def expected(page: str) -> str | None:
    found = re.search(r'name="expected" value="([^"]+)"', page)
    return found[1] if found else None


def nothing_offered(browser) -> list[str]:
    page = text(browser.get("/hoan-tac"))
    assert expected(page) is None and "Hoàn tác thay đổi này" not in page
    return refusals(page)


def test_a_fresh_account_named_like_the_sample_office_is_offered_nothing(sample_db, app):
    fresh = Browser(app, named(None, OFFICE_OS_USER))
    assert nothing_offered(fresh) == [f"Người dùng {fresh.name} chưa có thay đổi nào để hoàn tác."]
    refused = fresh.post("/hoan-tac", expected="3922")
    assert refused.status_code == 409
    assert held_on(sample_db, SAMPLE_CITY) == dt.date(2025, 9, 26)


def test_a_group_account_named_like_the_offices_os_user_cannot_undo_the_offices_change(sample_db, app):
    assert run("unlog", "P.HAIDUONG.01", "--reason", "thử").exit_code == 0  # group 5's, by the office
    group3 = Browser(app, named(3, OFFICE_OS_USER))
    assert nothing_offered(group3) == [f"Người dùng {group3.name} chưa có thay đổi nào để hoàn tác."]
    assert run("undo", "--yes").exit_code == 0  # the office's own command line still may


def test_a_group_cannot_undo_its_old_log_of_an_organisation_moved_to_another_group(sample_db, app):
    assert run("unlog", "P.HAIAN.01", "--reason", "ghi nhầm").exit_code == 0
    group3 = Browser(app, account(3, "to3_moi"))
    assert group3.post("/ghi-nhan", organisation="P.HAIAN.01", held="13/5/2025").status_code == 303
    assert expected(text(group3.get("/hoan-tac")))  # its own, in its scope: offered
    assert run("group", "assign", "5", "P.HAIAN").exit_code == 0
    before = sql(sample_db, "SELECT count(*) FROM change")
    assert nothing_offered(group3) == [
        "Chi bộ Tổ dân phố số 1, Hải An (P.HAIAN.01) nay thuộc tổ công tác số 5, không còn thuộc tổ công tác số 3; "
        "tổ không hoàn tác được thay đổi cũ của tổ chức này. Báo văn phòng nếu cần sửa lại."
    ]
    assert sql(sample_db, "SELECT count(*) FROM change") == before
    assert held_on(sample_db, "P.HAIAN.01") == dt.date(2025, 5, 13)


def test_after_an_undo_the_page_says_so_and_offers_no_second_undo(sample_db, app):
    group3 = Browser(app, account(3, "to3_moi"))
    assert run("unlog", "P.HAIAN.01", "--reason", "ghi nhầm").exit_code == 0
    assert group3.post("/ghi-nhan", organisation="P.HAIAN.01", held="13/5/2025").status_code == 303
    answer = group3.post("/hoan-tac", expected=expected(text(group3.get("/hoan-tac"))))
    assert answer.status_code == 303
    page = text(group3.get(answer.headers["Location"]))
    assert "Đã hoàn tác; lịch sử giữ cả thay đổi cũ và lần hoàn tác này." in page
    assert expected(page) is None  # neither the undo itself (a redo) nor the same change again
    assert refusals(page)[0].startswith(f"Thay đổi gần nhất của {group3.name} («ghi nhận đại hội» lúc ")
    assert refusals(page)[0].endswith("; không còn gì để hoàn tác.")
    assert held_on(sample_db, "P.HAIAN.01") is None


def test_history_shows_the_name_and_records_the_identity(sample_db, app):
    group3 = Browser(app, account(3, "to3_moi"))
    assert run("unlog", "P.HAIAN.01", "--reason", "ghi nhầm").exit_code == 0
    assert group3.post("/ghi-nhan", organisation="P.HAIAN.01", held="13/5/2025").status_code == 303
    rows = sql(sample_db, 'SELECT "user", author FROM change ORDER BY id DESC LIMIT 2')
    if ON_POSTGRES:
        owner = sql(sample_db, "SELECT session_user")[0][0]
        assert rows == [(group3.name, f"pg:{group3.name}"), (owner, f"pg:{owner}")]
    else:
        account_id = sql(sample_db, "SELECT id FROM account WHERE name = :n", n=group3.name)[0][0]
        assert rows == [(group3.name, f"web:{account_id}"), (OFFICE_OS_USER, f"cli:{OFFICE_OS_USER}")]
    # what sample and earlier history hold: a name, no identity, so nobody's
    assert sql(sample_db, "SELECT count(*) FROM change WHERE author IS NULL AND id <= 3922") == [(3922,)]


@sqlite_only  # on PostgreSQL an account is the server's role: dropped and created again, it is that role
def test_an_account_removed_and_added_again_under_its_name_is_someone_else(sample_db, app):
    first = Browser(app, account(3, "to3_moi"))
    assert run("unlog", "P.HAIAN.01", "--reason", "ghi nhầm").exit_code == 0
    assert first.post("/ghi-nhan", organisation="P.HAIAN.01", held="13/5/2025").status_code == 303
    assert run("user", "remove", first.name).exit_code == 0  # the newest account: its id would come back
    again = Browser(app, account(3, "to3_moi"))
    assert nothing_offered(again) == [f"Người dùng {again.name} chưa có thay đổi nào để hoàn tác."]


@pytest.mark.skipif(not ON_POSTGRES, reason="the column's default is PostgreSQL's")
def test_a_row_written_without_an_identity_gets_the_servers_role(sample_db):
    """What a congress_write installed by an older congress writes (grant-group not run again)."""
    sql(sample_db, 'INSERT INTO change (at, "user", action) VALUES (now(), \'ai_do\', \'log\')')
    owner = sql(sample_db, "SELECT session_user")[0][0]
    assert sql(sample_db, "SELECT author FROM change ORDER BY id DESC LIMIT 1") == [(f"pg:{owner}",)]
