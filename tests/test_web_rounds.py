"""The round chooser on every page (issue 19): a session reads and writes the round it chose; every page
and download is that round's; a closed round's forms are refused on the page, nothing changed."""
import json

from conftest import digest, run
from test_web_writes import Browser, text
from test_web_writes import app, office  # noqa: F401  (the module's fixtures)
from serving import account

FRONT = "MTTQ 2025-2030"


def chose(browser, name: str, back: str = "/") -> None:
    answer = browser.post("/nhiem-ky", round=name, next=back)
    assert answer.status_code == 302, text(answer)[:500]
    assert answer.headers["Location"].endswith(back)


def test_every_page_offers_the_rounds_and_shows_the_one_chosen(sample_db, office):
    page = text(office.get("/"))
    assert 'action="/nhiem-ky"' in page
    assert '<option value="2025-2030" selected>2025-2030</option>' in page
    assert "Đảng bộ trực thuộc" in page
    chose(office, "mttq 2025-2030")
    page = text(office.get("/?as_of=31/10/2025"))
    assert f'<option value="{FRONT}" selected>' in page
    assert "Ủy ban MTTQ Việt Nam cấp xã" in page and "Tổ chức cơ sở đảng" not in page
    # the same figures as the command line's, for that round
    levels = json.loads(run("--round", FRONT, "status", "--as-of", "31/10/2025", "--format", "json").stdout)["levels"]
    assert [(level["held"], level["total"]) for level in levels] == [(0, 1), (114, 114)]
    # the lists and the history are the round's
    history = text(office.get("/lich-su"))
    assert "MT.HP" in history and "X.VINHBAO" not in history
    found = text(office.get("/tim?q=gia loc"))
    assert "MT.X.GIALOC" in found


def test_an_unknown_round_is_refused_and_the_choice_kept(sample_db, office):
    answer = office.post("/nhiem-ky", round="2030-2035", next="/")
    assert answer.status_code == 404
    assert "Không có nhiệm kỳ «2030-2035»; các nhiệm kỳ: 2025-2030, MTTQ 2025-2030." in text(answer)
    assert '<option value="2025-2030" selected>' in text(office.get("/"))


def test_a_closed_round_refuses_a_write_from_its_page(sample_db, app):
    clerk = Browser(app, account(None, "vanphong2"))
    chose(clerk, FRONT)
    assert run("round", "close", FRONT).exit_code == 0
    before = digest(sample_db)
    answer = clerk.post("/to-chuc/MT.X.GIALOC/ket-qua", delegates="120")
    page = text(answer)
    assert answer.status_code == 422  # the page again, the form as sent
    assert "Nhiệm kỳ «MTTQ 2025-2030» đã khóa: chỉ xem, không ghi. Nếu cần sửa, văn phòng mở lại nhiệm kỳ." in page
    assert digest(sample_db) == before


def test_an_organisations_page_shows_its_place_in_the_other_round(sample_db, office):
    page = text(office.get("/to-chuc/X.GIALOC"))
    assert ('MTTQ 2025-2030: <a href="/to-chuc/MT.X.GIALOC">Ủy ban MTTQ Việt Nam xã Gia Lộc</a>'
            " — đã đại hội ngày 11/10/2025") in page
    page = text(office.get("/to-chuc/MT.X.GIALOC"))
    assert "Ủy ban MTTQ Việt Nam cấp xã" in page and '<a href="/to-chuc/X.GIALOC">Đảng bộ xã Gia Lộc</a>' in page
    # read in its own round while the session's is the Party's: no form, and where to write it
    assert "Tổ chức này thuộc nhiệm kỳ MTTQ 2025-2030: chọn nhiệm kỳ đó ở đầu trang để ghi." in page
    assert 'action="/to-chuc/MT.X.GIALOC/ket-qua"' not in page and "/ghi-nhan?organisation=MT.X.GIALOC" not in page
    chose(office, FRONT)
    page = text(office.get("/to-chuc/MT.X.GIALOC"))
    assert 'action="/to-chuc/MT.X.GIALOC/ket-qua"' in page and "Tổ chức này thuộc nhiệm kỳ" not in page


PAGES = ["/", "/danh-sach/nguy-co?as_of=1/9/2025", "/lich-su", "/ket-qua", "/bao-cao?as_of=31/10/2025"]


def test_every_page_is_the_rounds_own(sample_db, office):
    """What a page lists of the Party's round names no Front committee, and the Front's no party organisation."""
    import re

    for page in PAGES:
        party = text(office.get(page))
        assert not re.search(r"/to-chuc/MT\.", party), page
    chose(office, FRONT)
    for page in PAGES:
        front = text(office.get(page))
        linked = re.findall(r'href="/to-chuc/([^"#?]+)', front)
        assert all(code.startswith("MT.") for code in linked), (page, [c for c in linked if not c.startswith("MT.")][:3])


def test_a_write_to_a_unit_of_another_round_is_worded_for_the_page(sample_db, office):
    """Sent by hand (the page offers no form): refused, in the browser's words, not the command line's."""
    before = digest(sample_db)
    answer = office.post("/to-chuc/MT.X.GIALOC/ket-qua", delegates="120")
    page = text(answer)
    assert answer.status_code == 422
    assert ("Ủy ban MTTQ Việt Nam xã Gia Lộc (MT.X.GIALOC) không thuộc nhiệm kỳ «2025-2030». "
            "Chọn nhiệm kỳ của tổ chức này ở đầu trang rồi ghi lại.") in page
    assert "--round" not in page
    assert digest(sample_db) == before
