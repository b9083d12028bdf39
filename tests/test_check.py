"""`congress check`: SQLite's own checks plus the register's rules; exit 1 on any finding, never a write."""
import datetime as dt
import sqlite3

from conftest import ON_POSTGRES, digest, run, sql, sqlite_only


def check(db):
    before = digest(db)
    result = run("check")
    assert digest(db) == before  # checking never writes
    return result


def raw(db, *statements):
    """Damage the register as no command would."""
    from congress.store.database import make_engine

    engine = make_engine(str(db))
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def raw_sqlite(db, *statements):
    """As another SQLite tool would, outside any transaction and without our connection settings."""
    connection = sqlite3.connect(db, isolation_level=None)
    for statement in statements:
        connection.execute(statement)
    connection.close()


def test_the_sample_passes(sample_db):
    # two committees never held, pilots, a city override: none of that is a fault
    result = check(sample_db)
    assert result.exit_code == 0, result.stdout
    skipped = ["PostgreSQL không có lệnh kiểm tra tệp tương đương: chỉ kiểm tra dữ liệu."] if ON_POSTGRES else []
    assert result.stdout.splitlines() == skipped + ["Không phát hiện vấn đề."]


def test_an_empty_register_passes(empty_db):
    assert check(empty_db).exit_code == 0


def held_on(db, code: str, day: str) -> None:
    """A held date no command accepts any more (log refuses it), as an older version could store it."""
    raw(db, f"UPDATE congress SET held_on = '{day}' WHERE organisation_id = "
            f"(SELECT id FROM organisation WHERE code = '{code}')")


def test_held_before_the_round_started(sample_db):
    # one before Chỉ thị 35 (14/6/2024) opened the round is a typo
    held_on(sample_db, "X.VINHBAO.12", "2024-06-13")
    result = check(sample_db)
    assert result.exit_code == 1
    assert (
        "Ngày tổ chức trước khi nhiệm kỳ bắt đầu: X.VINHBAO.12 Chi bộ thôn số 8, Vĩnh Bảo — "
        "tổ chức ngày 13/06/2024, nhiệm kỳ 2025-2030 bắt đầu 14/06/2024"
    ) in result.stdout
    assert "Phát hiện 1 vấn đề." in result.stdout


def test_without_a_start_date_the_round_starts_in_the_year_it_is_named_for(sample_db):
    raw(sample_db, "UPDATE round SET starts_on = NULL")
    assert "từ 01/01/2025" in run("log", "X.VINHBAO.12", "--held", "31/12/2024", "--force").stderr
    held_on(sample_db, "X.VINHBAO.12", "2024-12-31")
    assert "tổ chức ngày 31/12/2024, nhiệm kỳ 2025-2030 bắt đầu 01/01/2025" in check(sample_db).stdout
    run("log", "X.VINHBAO.12", "--held", "1/1/2025", "--force")
    assert check(sample_db).exit_code == 0


def test_planned_after_the_deadline(sample_db):
    assert run("schedule", "X.VINHBAO", "5/9/2025", "--force").exit_code == 0  # as before schedule refused it
    result = check(sample_db)
    assert result.exit_code == 1
    assert "Ngày dự kiến sau hạn chót: X.VINHBAO Đảng bộ xã Vĩnh Bảo — dự kiến 05/09/2025, hạn chót 31/08/2025" in (
        result.stdout
    )


def test_round_dates_that_do_not_fit(sample_db):
    # `round set` now refuses this; a database written before it checked every level can still hold it
    run("round", "set", "--level", "grassroots", "--target", "25/8/2025")
    sql(sample_db, "UPDATE round SET deadline_on = :deadline", deadline=dt.date(2025, 8, 22))
    result = check(sample_db)
    assert result.exit_code == 1
    assert (
        "Mốc thời gian nhiệm kỳ không khớp: nhiệm kỳ 2025-2030: "
        "mốc mục tiêu 25/08/2025 không thể sau hạn chót 22/08/2025 (tổ chức cơ sở đảng)"
    ) in result.stdout.splitlines()


def held_on(db, code: str, on: str | None) -> None:
    """As another tool would write it: log refuses a committee before its grassroots."""
    sql(db, "UPDATE congress SET held_on = :on WHERE organisation_id = (SELECT id FROM organisation WHERE code = :code)",
        on=on, code=code)


def test_held_before_a_child(sample_db):
    held_on(sample_db, "P.HAIAN.01", "2025-07-25")  # Hải An held its own on 23/7
    held_on(sample_db, "P.HAIAN.02", "2025-07-24")
    result = check(sample_db)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "Đại hội cấp trên tổ chức trước cấp dưới: P.HAIAN Đảng bộ phường Hải An — tổ chức ngày 23/07/2025, "
        "trước 2 tổ chức cấp dưới: P.HAIAN.02 ngày 24/07/2025, P.HAIAN.01 ngày 25/07/2025",
        "Phát hiện 1 vấn đề.",
    ]


def test_a_long_list_of_children_is_cut_short(sample_db):
    for n in range(1, 6):
        held_on(sample_db, f"P.HAIAN.0{n}", f"2025-07-2{n + 3}")
    (line,) = [line for line in check(sample_db).stdout.splitlines() if line.startswith("Đại hội cấp trên")]
    assert line.endswith("trước 5 tổ chức cấp dưới: P.HAIAN.01 ngày 24/07/2025, P.HAIAN.02 ngày 25/07/2025, "
                         "P.HAIAN.03 ngày 26/07/2025, …")

def test_the_same_day_as_a_child_or_after_a_dissolved_one_is_no_finding(sample_db):
    held_on(sample_db, "P.HAIAN.01", "2025-07-23")
    held_on(sample_db, "P.HAIAN.02", "2025-07-25")
    sql(sample_db, "UPDATE organisation SET dissolved_on = '2025-07-20' WHERE code = 'P.HAIAN.02'")
    assert check(sample_db).exit_code == 0


def test_a_child_never_held_is_no_finding(sample_db):
    # it is overdue in `status`; `check` looks only at dates that contradict each other
    held_on(sample_db, "P.HAIAN.01", None)
    assert check(sample_db).exit_code == 0


def test_the_city_before_a_committee(sample_db):
    held_on(sample_db, "X.VINHBAO", "2025-09-30")
    result = check(sample_db)
    assert (
        "Đại hội cấp trên tổ chức trước cấp dưới: HP Đảng bộ thành phố Hải Phòng — tổ chức ngày 26/09/2025, "
        "trước 1 tổ chức cấp dưới: X.VINHBAO ngày 30/09/2025"
    ) in result.stdout.splitlines()


def test_the_city_is_judged_by_its_own_deadline(empty_db):
    run("org", "add", "HP", "Đảng bộ thành phố", "--level", "city", "--kind", "thành phố")
    run("round", "set", "--level", "city", "--target", "30/9/2025", "--deadline", "31/10/2025")
    run("schedule", "HP", "15/10/2025")
    assert check(empty_db).exit_code == 0
    run("schedule", "HP", "1/11/2025", "--force")
    assert "hạn chót 31/10/2025" in check(empty_db).stdout


def test_a_committee_without_a_working_group(sample_db):
    run("org", "add", "X.MOI", "Đảng bộ xã Mới", "--level", "committee", "--kind", "xã", "--parent", "HP")
    result = check(sample_db)
    assert result.exit_code == 1
    assert "Đảng bộ trực thuộc chưa giao tổ công tác: X.MOI Đảng bộ xã Mới — chưa có tổ công tác" in result.stdout
    run("org", "edit", "X.MOI", "--dissolved", "1/11/2026")  # dissolved: no group needed
    assert check(sample_db).exit_code == 0


def test_a_grassroots_organisation_without_a_committee(sample_db):
    raw(
        sample_db,
        "UPDATE organisation SET parent_id = NULL WHERE code = 'P.HAIAN.01'",
        "UPDATE organisation SET parent_id = (SELECT id FROM organisation WHERE code = 'HP') WHERE code = 'P.HAIAN.02'",
    )
    result = check(sample_db)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("Tổ chức cơ sở đảng")]
    assert len(lines) == 2
    assert lines[0].startswith("Tổ chức cơ sở đảng không thuộc đảng bộ trực thuộc nào: P.HAIAN.01 ")
    assert lines[0].endswith("— không có cấp trên")
    assert lines[1].endswith("— cấp trên HP là cấp «city»")


@sqlite_only  # PostgreSQL enforces foreign keys for every client
def test_a_broken_reference(sample_db):
    # SQLite enforces foreign keys only on connections that ask (ours do); another tool can break one
    raw_sqlite(sample_db, "UPDATE congress SET organisation_id = 99999 WHERE id = 1")
    result = check(sample_db)
    assert result.exit_code == 1
    assert "Tham chiếu hỏng: bảng congress, dòng 1 trỏ tới organisation không có" in result.stdout


@sqlite_only
def test_a_damaged_index(sample_db):
    # the history index's definition no longer matches what it holds, as after a crash on a bad disk
    raw_sqlite(
        sample_db,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = replace(sql, '(at)', '(user)') WHERE name = 'ix_change_at'",
    )
    result = check(sample_db)
    assert result.exit_code == 1
    assert "Tệp cơ sở dữ liệu hỏng: row 1 missing from index ix_change_at" in result.stdout


@sqlite_only
def test_no_database(tmp_path):
    result = run("--db", str(tmp_path / "none.db"), "check")
    assert result.exit_code == 1
    assert "Không tìm thấy cơ sở dữ liệu" in result.stderr
