"""ORG as users type it: a code, a name with or without diacritics, in any case, or part of it."""
import unicodedata

import pytest

from conftest import run


FOUND = pytest.mark.parametrize(
    "typed, code",
    [
        ("P.HAIAN", "P.HAIAN"),
        ("p.haian", "P.HAIAN"),
        ("hai an", "P.HAIAN"),
        ("Hải An", "P.HAIAN"),
        ("HAI AN", "P.HAIAN"),
        ("dang bo phuong hai an", "P.HAIAN"),
        ("gia loc", "X.GIALOC"),
        ("Cẩm Giàng", "X.CAMGIANG"),  # typed in full with diacritics: that commune
        ("Cẩm Giang", "X.CAMGIANG2"),
        ("cac co quan dang", "TP.COQUANDANG"),  # a unique substring
        (unicodedata.normalize("NFD", "Đảng bộ phường Hải An"), "P.HAIAN"),
        # typed without the name's or the code's punctuation, or spaced otherwise
        ("thon so 4 vinh bao", "X.VINHBAO.08"),  # "Chi bộ thôn số 4, Vĩnh Bảo"
        ("thôn số 4 Vĩnh Bảo", "X.VINHBAO.08"),
        ("ninh giang 03", "X.NINHGIANG.03"),
        ("x ninhgiang 04", "X.NINHGIANG.04"),
        ("haian", "P.HAIAN"),
    ],
)


@FOUND
def test_organisation_found(sample_db, typed, code):
    result = run("org", "show", typed)
    assert result.exit_code == 0, result.stderr
    assert f"({code})" in result.stdout.splitlines()[0]


def test_folded_twins_are_both_listed(sample_db):
    result = run("org", "show", "cam giang")
    assert result.exit_code == 1
    assert "X.CAMGIANG " in result.stderr and "X.CAMGIANG2" in result.stderr
    assert "Đảng bộ xã Cẩm Giàng" in result.stderr and "Đảng bộ xã Cẩm Giang" in result.stderr


def test_ambiguous_substring_lists_candidates(sample_db):
    result = run("org", "show", "tram y te")
    assert result.exit_code == 1
    assert "khớp với" in result.stderr
    assert len(result.stderr.splitlines()) > 10


def test_unknown_organisation(sample_db):
    result = run("org", "show", "khong co dau")
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Không tìm thấy tổ chức «khong co dau»")


# nothing matches: the nearest few are offered, on the one Lỗi line
@pytest.mark.parametrize("typed, offered", [
    ("thon so 4 vinh bo", "Chi bộ thôn số 4, Vĩnh Bảo (X.VINHBAO.08)"),
    ("ninhgiang3", "Chi bộ Trường Tiểu học Ninh Giang (X.NINHGIANG.03)"),
    ("hai ann", "Đảng bộ phường Hải An (P.HAIAN)"),
])
def test_nothing_found_offers_the_closest(sample_db, typed, offered):
    result = run("org", "show", typed)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Lỗi: Không tìm thấy tổ chức «{typed}» (theo mã hoặc tên). Có phải: ")
    assert offered in line and line.count("(") <= 1 + 3 * 2  # a few: at most three offered
    listed = run("org", "list", "--search", typed)
    assert listed.exit_code == 0 and listed.stdout.startswith("Không có tổ chức nào khớp. Có phải: ")
    assert offered in listed.stdout


@pytest.mark.parametrize("typed", ["thon so 4 vinh bao", "ninh giang 03"])
def test_org_list_search_ignores_punctuation(sample_db, typed):
    assert run("org", "list", "--search", typed, "--format", "json").stdout.count('"code"') == 1


def test_names_with_markup_and_nfd_are_stored_and_found(empty_db):
    run("org", "add", "HP", "Đảng bộ thành phố Hải Phòng", "--level", "city", "--kind", "thành phố")
    run("org", "add", "X.HOA", unicodedata.normalize("NFD", "Đảng bộ xã Hoà Bình"), "--level", "committee",
        "--kind", "xã", "--parent", "HP")
    odd = '<b>Chi bộ</b> & "X" \'Y\''
    assert run("org", "add", "X.HOA.01", odd, "--level", "grassroots", "--kind", "chi bộ cơ sở",
               "--parent", "hoa binh").exit_code == 0
    shown = run("org", "show", "X.HOA.01").stdout
    assert odd in shown and "Đảng bộ xã Hoà Bình" in shown
    assert run("org", "show", "<b>chi bo</b> & \"x\"").exit_code == 0
    listed = run("org", "list", "--format", "json").stdout
    assert unicodedata.normalize("NFC", "Đảng bộ xã Hoà Bình") in listed


@FOUND
def test_a_sheet_finds_what_a_person_finds(sample_db, typed, code):
    """A sheet's rows are looked up in the register's names read once (lookups.Names): the same finding."""
    from congress.read.lookups import Names, find_organisation
    from congress.store.sql import Store

    store = Store.open(str(sample_db))
    try:
        assert find_organisation(store, typed, names=Names.of(store)).code == code == find_organisation(store, typed).code
    finally:
        store.close()
