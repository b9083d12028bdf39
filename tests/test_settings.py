"""`congress settings`: what the brief prints about who issues it, kept in the database."""

import pytest

from conftest import digest, run, sql


def test_list_shows_every_key_with_its_meaning(sample_db):
    result = run("settings", "list")
    assert result.exit_code == 0
    for key in ["issuer.parent", "issuer.name", "document.code", "place", "signer.authority", "signer.title",
                "signer.name", "recipients"]:
        assert key in result.stdout
    assert "THÀNH ỦY" in result.stdout and "Địa danh" in result.stdout


def test_an_empty_database_has_defaults_and_names_what_is_missing(empty_db):
    listing = run("settings", "list").stdout
    assert "BC/TU" in listing and "(chưa đặt)" in listing


def test_set_changes_the_brief_and_is_recorded(sample_db):
    result = run("settings", "set", "place", "Hải Dương")
    assert result.exit_code == 0 and "Đã đặt place" in result.stdout
    brief = run("brief", "--format", "txt", "--as-of", "9/7/2025", "--date", "9/7/2025").stdout
    assert "Hải Dương, ngày 09 tháng 7 năm 2025" in brief
    rows = sql(sample_db, "SELECT field, old_value, new_value FROM change WHERE action = 'setting.set'")
    assert rows == [("place", "Hải Phòng", "Hải Dương")]
    assert "không đổi" in run("settings", "set", "place", "Hải Dương").stdout


def test_recipients_print_one_per_line(sample_db):
    run("settings", "set", "recipients", "Như trên; Lưu Văn phòng")
    brief = run("brief", "--format", "txt").stdout
    assert "Nơi nhận:\n- Như trên,\n- Lưu Văn phòng." in brief


def test_an_optional_line_can_be_cleared(sample_db):
    assert run("settings", "set", "issuer.parent", "").exit_code == 0
    brief = run("brief", "--format", "txt").stdout
    assert "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG" not in brief and "THÀNH ỦY\n*\n" in brief


@pytest.mark.parametrize("args, words", [
    (["settings", "set", "plase", "Hải Phòng"], "Không có thiết lập «plase»"),
    (["settings", "set", "sample", "0"], "Không có thiết lập «sample»"),
    (["settings", "set", "signer.name", "   "], "không được để trống"),
])
def test_bad_settings_are_refused_and_change_nothing(sample_db, args, words):
    before = digest(sample_db)
    result = run(*args)
    assert result.exit_code == 1 and result.stderr.startswith("Lỗi: ") and words in result.stderr
    assert digest(sample_db) == before
