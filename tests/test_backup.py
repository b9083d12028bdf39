"""`congress backup FILE`: a consistent copy while others write; PostgreSQL gets the pg_dump command."""
import sqlite3

import pytest

from congress.domain.vn import number
from conftest import digest, run, sqlite_only


def count(path, table="organisation"):
    with sqlite3.connect(path) as connection:
        found = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    connection.close()
    return found


@sqlite_only
def test_a_copy_that_works_on_its_own(sample_db, tmp_path):
    run("log", "X.VINHBAO.12", "--held", "20/11/2026")
    target = tmp_path / "backup.db"
    result = run("backup", str(target))
    assert result.exit_code == 0, result.stderr
    rows = number(count(sample_db, "change"))  # the sample's history, and the log above
    assert result.stdout.strip() == f"Đã sao lưu vào {target} (2.079 tổ chức, {rows} dòng lịch sử)."
    assert count(target) == count(sample_db) and count(target, "change") == count(sample_db, "change")
    with sqlite3.connect(target) as connection:
        # one self-contained file, whatever mode the live database runs in
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    shown = run("--db", str(target), "org", "show", "X.VINHBAO.12")
    assert "20/11/2026" in shown.stdout
    assert run("--db", str(target), "check").exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@sqlite_only
def test_others_keep_writing_during_a_backup(sample_db, tmp_path):
    """A writer in the middle of a transaction neither blocks the backup nor leaks into it."""
    writer = sqlite3.connect(sample_db)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE organisation SET party_members = 4242 WHERE code = 'P.HAIAN'")
    try:
        assert run("backup", str(tmp_path / "during.db")).exit_code == 0
    finally:
        writer.commit()
        writer.close()
    with sqlite3.connect(tmp_path / "during.db") as copy:
        members = copy.execute("SELECT party_members FROM organisation WHERE code = 'P.HAIAN'").fetchone()[0]
    copy.close()
    assert members != 4242


@sqlite_only
def test_an_existing_file_is_kept_unless_forced(sample_db, tmp_path):
    target = tmp_path / "old.db"
    target.write_bytes(b"an older backup")
    result = run("backup", str(target))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Lỗi: Tệp {target} đã có. Dùng --force để ghi đè."
    assert target.read_bytes() == b"an older backup"
    assert run("backup", str(target), "--force").exit_code == 0
    assert count(target) == 2079  # the Party's 1.964 units, the Front's 115


@sqlite_only
@pytest.mark.parametrize(
    "name, message",
    [
        (".", "là một thư mục"),
        ("no/such/folder/b.db", "không có thư mục no/such/folder"),
        ("sample.db", "chính là cơ sở dữ liệu đang dùng"),
    ],
)
def test_bad_targets_are_refused(sample_db, name, message):
    before = digest(sample_db)
    result = run("backup", name, "--force")
    assert result.exit_code == 1
    assert message in result.stderr and result.stdout == ""
    assert digest(sample_db) == before


def test_no_database_or_not_ours(tmp_path):
    result = run("--db", str(tmp_path / "none.db"), "backup", "b.db")
    assert result.exit_code == 1 and "Không tìm thấy cơ sở dữ liệu" in result.stderr
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    result = run("--db", str(other), "backup", "b.db")
    assert result.exit_code == 1 and "không phải cơ sở dữ liệu của congress" in result.stderr
    assert not (tmp_path / "b.db").exists()


def test_postgresql_prints_pg_dump_without_the_password(tmp_path):
    url = "postgresql+psycopg://lan:bi-mat@db.vanphong:5433/congress?sslmode=require"
    result = run("--db", url, "backup", "dai hoi.dump")
    assert result.exit_code == 0, result.stderr
    assert (
        "pg_dump --format=custom '--file=dai hoi.dump' "
        "'--dbname=postgresql://lan@db.vanphong:5433/congress?sslmode=require'"
    ) in result.stdout
    assert "bi-mat" not in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_other_servers_are_refused():
    result = run("--db", "mysql://lan@db/congress", "backup", "b.db")
    assert result.exit_code == 1
    assert "Chỉ sao lưu được SQLite và PostgreSQL" in result.stderr
