"""Bad input: one clear Vietnamese message on stderr, a non-zero exit, the database byte-for-byte unchanged."""
import json
import sqlite3
import subprocess

import pytest

from conftest import digest, run, sqlite_only

REFUSED = [
    # (args, exit code, words the message must hold)
    (["log", "khong co dau"], 1, "Không tìm thấy tổ chức"),
    (["log", "cam giang", "--held", "1/8/2025"], 1, "khớp với 2 tổ chức"),
    (["schedule", "tram y te", "1/8/2025"], 1, "khớp với"),
    (["log", "X.VINHBAO", "--held", "31/02/2025"], 1, "Ngày không có thật"),
    (["log", "X.VINHBAO", "--held", "2025-13-01"], 1, "Ngày không có thật"),
    (["log", "X.VINHBAO", "--held", "abc"], 1, "Ngày không hợp lệ"),
    (["schedule", "X.VINHBAO", "abc"], 1, "Ngày không hợp lệ"),
    (["status", "--as-of", "32/1/2025"], 1, "Ngày không có thật"),
    (["log", "X.VINHBAO", "--held", "22/11/2026"], 1, "chưa đến (hôm nay là 21/11/2026)"),
    (["log", "P.HAIAN", "--held", "1/8/2025"], 1, "đã được ghi nhận tổ chức đại hội ngày 23/07/2025"),
    (["log", "X.VINHBAO", "--group", "1"], 1, "thuộc tổ công tác số 11, không thuộc tổ công tác số 1"),
    (["log", "X.VINHBAO", "--group", "99"], 1, "Không có tổ công tác số 99"),
    (["unlog", "X.VINHBAO", "--reason", "nhầm"], 1, "chưa được ghi nhận"),
    (["unlog", "P.HAIAN", "--reason", "  "], 1, "Cần ghi lý do"),
    (["schedule", "P.HAIAN", "1/8/2025"], 1, "đã tổ chức đại hội ngày 23/07/2025"),
    (["org", "add", "P.HAIAN", "Trùng mã", "--level", "committee", "--kind", "phường", "--parent", "HP"], 1,
     "Mã P.HAIAN đã dùng"),
    (["org", "add", "X.NEW", "Chi bộ mới", "--level", "grassroots", "--kind", "chi bộ cơ sở", "--parent", "HP"], 1,
     "phải thuộc một tổ chức cấp «committee»"),
    (["org", "add", "X.NEW", "Đảng bộ mới", "--level", "committee", "--kind", "xã"], 1, "Cần chỉ tổ chức cấp trên"),
    (["org", "edit", "P.HAIAN", "--dissolved", "30/2/2026"], 1, "Ngày không có thật"),
    (["org", "edit", "P.HAIAN", "--parent", "P.HAIAN.01"], 1, "phải thuộc một tổ chức cấp «city»"),
    (["group", "assign", "3", "P.HAIAN.01"], 1, "không phải đảng bộ trực thuộc"),
    (["group", "add", "3", "Trùng số"], 1, "Tổ công tác số 3 đã có"),
    (["round", "set", "--target", "1/9/2025"], 1, "không thể sau hạn chót 31/08/2025"),
    (["round", "set"], 1, "Cần ít nhất một"),
    (["status", "--overdue", "--upcoming", "7"], 1, "Chỉ chọn một"),
    (["status", "--overdue", "--committee", "P.HAIAN.01"], 1, "không phải đảng bộ trực thuộc"),
    (["org", "list", "--committee", "P.HAIAN.01"], 1, "Hải An không phải đảng bộ trực thuộc (--committee)."),
    (["status", "--overdue", "--group", "42"], 1, "Không có tổ công tác số 42"),
    (["log", "X.VINHBAO", "--bogus"], 2, "Không có tùy chọn '--bogus'"),
    (["status", "--level", "ward"], 2, "ward"),
]


@pytest.mark.parametrize("args, code, words", REFUSED, ids=[" ".join(a) for a, _, _ in REFUSED])
def test_refused_without_change(sample_db, args, code, words):
    before = digest(sample_db)
    result = run(*args)
    assert result.exit_code == code
    assert words in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert digest(sample_db) == before


def test_held_date_for_a_dissolved_organisation(sample_db):
    assert run("org", "edit", "X.VINHBAO.08", "--dissolved", "1/10/2025").exit_code == 0
    before = digest(sample_db)
    result = run("log", "X.VINHBAO.08", "--held", "2/10/2025")
    assert result.exit_code == 1 and "đã giải thể từ ngày 01/10/2025" in result.stderr
    assert digest(sample_db) == before
    # before it was dissolved it could still have held its congress
    assert run("log", "X.VINHBAO.08", "--held", "30/9/2025").exit_code == 0


def test_missing_database_says_how_to_create_one(tmp_path):
    result = run("--db", str(tmp_path / "none.db"), "status", "--overdue")
    assert result.exit_code == 1
    assert "Không tìm thấy cơ sở dữ liệu" in result.stderr and "congress init" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_default_database_is_data_congress_db_under_the_current_folder(tmp_path):
    result = run("status")
    assert result.exit_code == 1 and "data/congress.db" in result.stderr


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("Đây là ghi chú, không phải cơ sở dữ liệu.\n" * 200)
    before = digest(path)
    result = run("--db", str(path), "log", "P.HAIAN")
    assert result.exit_code == 1 and "không phải cơ sở dữ liệu của congress" in result.stderr
    assert digest(path) == before


def test_another_programs_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    before = digest(path)
    result = run("--db", str(path), "status")
    assert result.exit_code == 1 and "không phải cơ sở dữ liệu của congress" in result.stderr
    assert digest(path) == before


def test_init_does_not_overwrite_without_force(sample_db):
    before = digest(sample_db)
    result = run("--db", str(sample_db), "init", "--sample")
    assert result.exit_code == 1 and "--force" in result.stderr
    assert digest(sample_db) == before


# --- the database itself refuses: each says so plainly, and nothing claims success -------------

@sqlite_only
def test_a_read_only_database_file(sample_db):
    if subprocess.run(["chattr", "+i", str(sample_db)], capture_output=True).returncode != 0:
        pytest.skip("this file system cannot make a file immutable")
    try:
        assert ": 6 tổ chức\n" in run("status", "--overdue").stdout  # reading still works
        result = run("log", "X.VINHBAO.12", "--held", "20/11/2026")
    finally:
        subprocess.run(["chattr", "-i", str(sample_db)], check=True)
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Cơ sở dữ liệu chỉ cho đọc")
    assert result.stdout == ""  # no "Đã ghi nhận" for a log that did not happen
    assert "X.VINHBAO.12" in {r["code"] for r in json.loads(run("status", "--overdue", "--format", "json").stdout)}


@sqlite_only
def test_a_locked_database(sample_db, monkeypatch):
    monkeypatch.setattr("congress.store.database.BUSY_TIMEOUT_MS", 300)  # not 30 s in a test
    before = digest(sample_db)
    other = sqlite3.connect(sample_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another office in the middle of a long write
    try:
        result = run("log", "X.VINHBAO", "--held", "20/11/2026")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Lỗi: Cơ sở dữ liệu đang bận")
    assert digest(sample_db) == before


@sqlite_only
def test_a_full_disk(sample_db, monkeypatch):
    """SQLite reports a full disk and a database at its size limit alike (SQLITE_FULL);
    the limit is what a test can set without filling a real disk. An import writes through the
    DB-API store (congress.store.sql), so the limit is set on the store's own connection."""
    from congress.store.sql import Store

    opened = Store._sqlite.__func__

    def store_at_its_size_limit(cls, location, path, write):
        store = opened(cls, location, path, write)
        pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
        store.connection.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(Store, "_sqlite", classmethod(store_at_its_size_limit))
    before = digest(sample_db)
    result = run("import", "held", str(held_sheet(sample_db.parent)), "--force")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Lỗi: Ổ đĩa đã đầy")
    assert digest(sample_db) == before


def held_sheet(folder):
    """A return sheet re-dating every grassroots congress: enough history to outgrow a full database."""
    path = folder / "held.csv"
    codes = [r["code"] for r in json.loads(run("org", "list", "--level", "grassroots", "--format", "json").stdout)]
    lines = ["Mã,Ngày tổ chức,Ghi chú"] + [f"{code},20/11/2026,{'ghi chú dài ' * 20}" for code in codes]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
