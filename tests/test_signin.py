"""Signing in (issues 16 and 20): failures are counted per (account, client address), so a stranger who
knows a group's name slows down only their own address; every refusal answers in the same words after
the same work; a sign-in only reads, so a writer holding the lock never holds it up."""
import datetime as dt
import re
import sqlite3
import threading
import time

import pytest

from congress.writes import accounts

from congress.domain import vn
from conftest import ON_POSTGRES, run, sql, sqlite_only

PASSWORD = "mat-khau-thu"
STRANGER = {"REMOTE_ADDR": "203.0.113.9"}
CLERK = {"REMOTE_ADDR": "10.0.0.3"}


@pytest.fixture
def app(sample_db):
    from congress.web import create_app

    if not ON_POSTGRES:
        for name, group in (("to3", ["--group", "3"]), ("vanphong", [])):
            added = run("user", "add", name, *group, "--password-stdin", input=PASSWORD + "\n")
            assert added.exit_code == 0, added.stderr
    app = create_app(str(sample_db), today=dt.date(2026, 11, 21))
    yield app
    app.extensions["congress"].close()


def attempt(app, name, password, address):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").get_data(as_text=True))[1]
    return client.post("/dang-nhap", data={"name": name, "password": password, "csrf_token": token},
                       environ_base=address)


@pytest.mark.parametrize("failures, waits", [(0, None), (4, None), (5, 1), (6, 2), (8, 8), (11, 64), (40, 64)])
def test_failures_from_one_address_wait_longer_and_longer(failures, waits):
    last = dt.datetime(2025, 8, 20, 1, 0, tzinfo=dt.timezone.utc)
    until = accounts.waits_until(failures, last)
    assert until == (None if waits is None else last + dt.timedelta(minutes=waits))
    if waits is not None:
        assert accounts.is_waiting(failures, last, until - dt.timedelta(seconds=1))
        assert not accounts.is_waiting(failures, last, until)


def test_the_memory_throttle_counts_the_pair_not_the_name():
    now = dt.datetime(2025, 8, 20, 1, 0, tzinfo=dt.timezone.utc)
    throttle = accounts.Throttle()
    for _ in range(accounts.FREE_FAILURES):
        throttle.failed("to3", "203.0.113.9", now)
    assert throttle.waiting("to3", "203.0.113.9", now)
    assert not throttle.waiting("to3", "10.0.0.3", now) and not throttle.waiting("to5", "203.0.113.9", now)
    throttle.succeeded("to3", "203.0.113.9")
    assert not throttle.waiting("to3", "203.0.113.9", now)


@sqlite_only
def test_a_strangers_failures_refuse_the_stranger_never_the_groups_clerks(app, sample_db):
    """Issue 20, "Lock-out as a weapon": what used to lock to3 for 15 minutes after five anonymous tries."""
    for _ in range(accounts.FREE_FAILURES + 1):
        refused = attempt(app, "to3", "sai-mat-khau", STRANGER)
        assert refused.status_code == 401
    app.extensions["congress"].recorder.flush()
    assert sql(sample_db, "SELECT account, address, failures FROM signin_failure") == [("to3", "203.0.113.9", 6)]
    # the stranger now waits, even with the right password, and is told nothing more than a wrong one
    waiting = attempt(app, "to3", PASSWORD, STRANGER)
    assert waiting.status_code == 401 and accounts.WRONG in waiting.get_data(as_text=True)
    app.extensions["congress"].recorder.flush()  # a try while waiting counts too: 7 in a row wait 4 minutes
    assert sql(sample_db, "SELECT failures FROM signin_failure") == [(7,)]
    # the group's clerks sign in from their own address all the while
    assert attempt(app, "to3", PASSWORD, CLERK).status_code == 302
    # the office sees which address waits, and until when
    listed = run("user", "list")
    assert listed.exit_code == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("to3"))
    assert "203.0.113.9 chờ đến" in line
    assert re.search(r"chờ đến (\d\d:\d\d \d\d/\d\d/\d{4})", line)[1] in {
        vn.moment(dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=m)) for m in (3, 4)}
    # and lifts it with a new password: the stranger's address may try again
    assert run("user", "passwd", "to3", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    assert sql(sample_db, "SELECT count(*) FROM signin_failure") == [(0,)]
    assert "chờ đến" not in run("user", "list").stdout
    assert attempt(app, "to3", PASSWORD, STRANGER).status_code == 302


@sqlite_only
def test_a_right_password_clears_the_pairs_failures(app, sample_db):
    for _ in range(3):
        attempt(app, "to3", "sai-mat-khau", CLERK)
    assert attempt(app, "to3", PASSWORD, CLERK).status_code == 302
    app.extensions["congress"].recorder.flush()
    assert sql(sample_db, "SELECT count(*) FROM signin_failure") == [(0,)]


@sqlite_only
def test_an_unknown_name_leaves_nothing_in_the_register(app, sample_db):
    for _ in range(accounts.FREE_FAILURES + 1):
        attempt(app, "khong_co_ai", "sai-mat-khau", STRANGER)
    app.extensions["congress"].recorder.flush()
    assert sql(sample_db, "SELECT count(*) FROM signin_failure") == [(0,)]


CASES = ["unknown name", "wrong password", "waiting address"]


@sqlite_only
@pytest.mark.parametrize("case", CASES)
def test_every_refusal_answers_alike_after_one_hash(app, monkeypatch, case):
    """Issue 16, "Account enumeration": the words and the work (one scrypt) are the same whichever the cause."""
    if case == "waiting address":
        for _ in range(accounts.FREE_FAILURES):
            attempt(app, "to3", "sai-mat-khau", STRANGER)
        app.extensions["congress"].recorder.flush()
    calls = []
    real = accounts._scrypt
    monkeypatch.setattr(accounts, "_scrypt", lambda *args: calls.append(args) or real(*args))
    name, password = {"unknown name": ("khong_co_ai", PASSWORD), "wrong password": ("to3", "sai-mat-khau"),
                      "waiting address": ("to3", PASSWORD)}[case]
    answer = attempt(app, name, password, STRANGER)
    assert answer.status_code == 401
    page = answer.get_data(as_text=True)
    error = re.search(r'<p class="error" role="alert">([^<]*)</p>', page)[1]
    assert error == accounts.WRONG
    assert len(calls) == 1 and calls[0][2:] == (2**14, 8, 1)  # the same cost as a real account's hash


@sqlite_only
def test_a_sign_in_during_a_long_write_answers_at_once(app, sample_db):
    """Issue 20, "Sign-in waits behind writers": another connection holds BEGIN IMMEDIATE (a long import)."""
    writer = sqlite3.connect(str(sample_db), isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert attempt(app, "to3", PASSWORD, CLERK).status_code == 302
        refused = attempt(app, "to3", "sai-mat-khau", CLERK)
        took = time.monotonic() - started
        assert refused.status_code == 401 and accounts.WRONG in refused.get_data(as_text=True)
        assert took < 1, f"two sign-ins took {took:.2f} s behind a writer"
        flushed = threading.Thread(target=app.extensions["congress"].recorder.flush)
        flushed.start()
        flushed.join(0.5)
        assert flushed.is_alive()  # the failure waits for the write lock, not the clerk
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    flushed.join(30)
    assert sql(sample_db, "SELECT account, address, failures FROM signin_failure") == [("to3", "10.0.0.3", 1)]


ASKED = [
    # (what is typed, exit code, times asked again, the refusal)
    (f"ngan\n{PASSWORD}\n{PASSWORD}\n", 0, 1, None),
    (f"{PASSWORD}\nkhac-mat-khau\n{PASSWORD}\n{PASSWORD}\n", 0, 1, None),
    ("ngan\nngan2\nngan3\n", 1, 2, "Lỗi: Mật khẩu quá ngắn: cần ít nhất 8 ký tự. Đã thử 3 lần; không có gì thay đổi."),
    (f"ngan\n{PASSWORD}\nkhac-mat-khau\n", 1, 2, "Lỗi: Hai lần nhập mật khẩu không khớp. Không có gì thay đổi."),
]


@sqlite_only
@pytest.mark.parametrize("typed, code, asked_again, refusal", ASKED,
                         ids=["short", "mismatched", "three short", "input ends"])
def test_user_add_asks_again_after_a_short_or_mismatched_password(sample_db, typed, code, asked_again, refusal):
    result = run("user", "add", "to3", "--group", "3", input=typed)
    assert result.exit_code == code, result.stderr
    complaints = [line for line in result.stderr.splitlines() if line.endswith("Hãy nhập lại.")]
    assert len(complaints) == asked_again
    if code:
        assert result.stderr.splitlines()[-1].endswith(refusal) and result.stderr.count("Lỗi:") == 1
        assert sql(sample_db, "SELECT count(*) FROM account") == [(0,)]
    else:
        assert result.stdout == "Đã tạo tài khoản to3 (tổ công tác số 3).\n"
        assert accounts.verify_password(PASSWORD, sql(sample_db, "SELECT password_hash FROM account")[0][0])


@sqlite_only
def test_failures_not_yet_written_still_slow_the_stranger_down(app, sample_db):
    """While a writer holds the lock the counts wait in the server's memory, and still count."""
    writer = sqlite3.connect(str(sample_db), isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    try:
        for _ in range(accounts.FREE_FAILURES):
            assert attempt(app, "to3", "sai-mat-khau", STRANGER).status_code == 401
        assert attempt(app, "to3", PASSWORD, STRANGER).status_code == 401
        assert attempt(app, "to3", PASSWORD, CLERK).status_code == 302
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    app.extensions["congress"].recorder.flush()
    assert sql(sample_db, "SELECT account, address, failures FROM signin_failure") == [("to3", "203.0.113.9", 6)]
    assert app.extensions["congress"].recorder.pending("to3", "203.0.113.9") == (0, None)
