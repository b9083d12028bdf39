"""A working group's clerk in a real browser: Debian's chromium, headless, driven by Selenium, against
`congress serve` started as its own process on a copy of the sample.

Each page is saved as a PNG in the folder named by CONGRESS_SCREENSHOTS (else the test's own temporary
folder), to be looked at: a test sees that the words are there, not that the page reads well.
"""
import csv
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import TODAY
from serving import PASSWORD, account, serving

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)",
)

LOGGED = "X.NINHGIANG.03"  # group 17's, overdue in the sample
RETURNED = "X.NINHGIANG.04"  # group 17's too, logged through the return sheet


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--window-size=1280,900", "--disable-dev-shm-usage", "--lang=vi"):
        options.add_argument(argument)
    if os.geteuid() == 0:  # chromium's sandbox refuses to run as root
        options.add_argument("--no-sandbox")
    downloads = tmp_path / "tai-ve"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.implicitly_wait(5)
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture
def screenshots(tmp_path):
    folder = Path(os.environ.get("CONGRESS_SCREENSHOTS") or tmp_path / "anh")
    folder.mkdir(parents=True, exist_ok=True)
    taken = []

    def take(driver, name: str) -> None:
        # the whole page, not the window: grow the window to the page's height (within reason)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, max(600, min(height + 140, 5000)))
        path = folder / f"{len(taken) + 1:02}-{name}.png"
        driver.save_screenshot(str(path))
        driver.set_window_size(1280, 900)
        taken.append(path)

    yield take
    assert all(path.stat().st_size > 0 for path in taken)


def click(driver, by, selector) -> None:
    """Clicks what leads to another page and waits until that page has replaced this one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    def replaced(_driver) -> bool:
        # asked of the page itself: a node of the page being left may vanish mid-question, which
        # chromium answers with an error of its own rather than "stale" (seen under load)
        try:
            return driver.execute_script("return !window.leaving && document.readyState === 'complete'")
        except WebDriverException:
            return False

    driver.execute_script("window.leaving = true")
    driver.find_element(by, selector).click()
    WebDriverWait(driver, 30).until(replaced)


def sign_in(driver, base: str, name: str) -> None:
    """Signs in on the login page as a clerk does: the name, the password, the button."""
    from selenium.webdriver.common.by import By

    driver.get(base + "/dang-nhap")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click(driver, By.CSS_SELECTOR, "form.login button")


def cells(driver, table: str, first: str) -> list[str]:
    """The cells of the row of table #`table` whose first cell is `first`."""
    from selenium.webdriver.common.by import By

    for row in driver.find_elements(By.CSS_SELECTOR, f"table#{table} tbody tr"):
        texts = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        if texts and texts[0] == first:
            return texts
    raise AssertionError(f"no row {first} in table #{table}")


def overview_figures(driver, base: str) -> tuple[str, str, str]:
    """Group 17's grassroots held and overdue, as the overview shows them, and the city's overdue count."""
    from selenium.webdriver.common.by import By

    driver.get(base + "/")
    group = cells(driver, "groups", "17")
    overdue = driver.find_element(By.CSS_SELECTOR, "ul.counts li").text  # "Quá hạn: 6"
    return group[6], group[-1], overdue


def test_group_17_logs_uploads_and_downloads_in_a_browser(sample_db, browser, screenshots, tmp_path):
    from selenium.webdriver.common.by import By

    name = account(17)
    with serving(sample_db, env={"CONGRESS_TODAY": TODAY}) as base:
        browser.get(base + "/")
        assert "/dang-nhap" in browser.current_url  # nothing is shown before signing in
        screenshots(browser, "dang-nhap")
        browser.find_element(By.ID, "name").send_keys(name)
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        click(browser, By.CSS_SELECTOR, "form.login button")
        assert " ".join(browser.find_element(By.CSS_SELECTOR, ".who").text.split()).startswith(
            f"{name} — tổ công tác số 17")

        held_before, overdue_before, city_before = overview_figures(browser, base)
        screenshots(browser, "tong-quan-truoc")

        browser.get(base + "/danh-sach/qua-han?group=17")
        listed = browser.find_element(By.TAG_NAME, "main").text
        assert LOGGED in listed and RETURNED in listed
        screenshots(browser, "qua-han-truoc")

        browser.get(base + "/ghi-nhan")  # its organisations not logged yet are listed under the form
        assert cells(browser, "waiting", LOGGED)[1] == "Chi bộ Trường Tiểu học Ninh Giang"
        click(browser, By.LINK_TEXT, LOGGED)
        assert browser.find_element(By.ID, "organisation").get_attribute("value") == LOGGED
        assert not browser.find_elements(By.NAME, "force")  # the override is the office's
        held = browser.find_element(By.ID, "held")
        held.clear()
        held.send_keys("20/11/2026")
        browser.find_element(By.ID, "note").send_keys("Tổ 17 báo cáo qua trình duyệt")
        click(browser, By.CSS_SELECTOR, "form.write button")
        assert ("Đã ghi nhận: Chi bộ Trường Tiểu học Ninh Giang (X.NINHGIANG.03) tổ chức đại hội ngày 20/11/2026."
                in browser.find_element(By.CSS_SELECTOR, "p.done").text)
        screenshots(browser, "ghi-nhan")

        browser.get(base + "/danh-sach/qua-han?group=17")
        listed = browser.find_element(By.TAG_NAME, "main").text
        assert LOGGED not in listed and RETURNED in listed
        screenshots(browser, "qua-han-sau")

        held_after, overdue_after, city_after = overview_figures(browser, base)
        assert int(held_after) == int(held_before) + 1
        assert int(overdue_after) == int(overdue_before) - 1
        assert city_after == city_before.replace(re.search(r"\d+", city_before)[0],
                                                 str(int(re.search(r"\d+", city_before)[0]) - 1))
        screenshots(browser, "tong-quan-sau")

        sheet = tmp_path / "bao-cao-to-17.csv"
        with sheet.open("w", newline="", encoding="utf-8-sig") as out:
            rows = csv.writer(out)
            rows.writerow(["Mã", "Tên tổ chức", "Ngày tổ chức", "Ghi chú"])
            rows.writerow([RETURNED, "Chi bộ Trường Trung học cơ sở Ninh Giang", "21/11/2026", "theo báo cáo tổ 17"])
            rows.writerow([LOGGED, "Chi bộ Trường Tiểu học Ninh Giang", "20/11/2026", ""])
        browser.get(base + "/nhap-tep")
        browser.find_element(By.ID, "file").send_keys(str(sheet))
        screenshots(browser, "nhap-tep")
        click(browser, By.CSS_SELECTOR, "form.write button")
        plan = browser.find_element(By.TAG_NAME, "main").text
        assert "X.NINHGIANG.04 — Chi bộ Trường Trung học cơ sở Ninh Giang: ngày tổ chức 21/11/2026" in plan
        assert "Sẽ ghi: 1 mới, 0 thay đổi, 1 không đổi (đại hội)." in plan
        screenshots(browser, "chay-thu")
        click(browser, By.CSS_SELECTOR, "form.write button")
        assert ("Đã nhập bao-cao-to-17.csv: 1 mới, 0 thay đổi, 1 không đổi (đại hội)."
                in browser.find_element(By.CSS_SELECTOR, "p.done").text)
        screenshots(browser, "da-nhap")

        browser.get(base + "/danh-sach/qua-han?group=17")
        assert RETURNED not in browser.find_element(By.TAG_NAME, "main").text

        browser.get(base + "/bao-cao")
        screenshots(browser, "bao-cao")
        click(browser, By.PARTIAL_LINK_TEXT, "HTML")
        assert "BÁO CÁO" in browser.find_element(By.TAG_NAME, "body").text
        screenshots(browser, "bao-cao-html")
        browser.back()
        browser.find_element(By.LINK_TEXT, "PDF").click()
        pdf = _downloaded(browser.downloads, ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF-")


def _downloaded(folder: Path, suffix: str, timeout: float = 30) -> Path:
    """The file the browser finished saving (Chromium writes *.crdownload until it is complete)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {[p.name for p in folder.iterdir()]}")


# every page with a table, on a 390 px phone, as the office and as a group
PHONE_PAGES = [
    "/", "/danh-sach/qua-han", "/danh-sach/cham?as_of=21/8/2025", "/danh-sach/nguy-co?as_of=3/8/2025",
    "/danh-sach/sap-to-chuc?as_of=3/8/2025&days=30", "/to-chuc/HP", "/to-chuc/P.HAIAN", "/to-chuc/X.VINHBAO.08",
    "/to-cong-tac/17", "/lich-su", "/tim?q=hai+an", "/ghi-nhan",
]
NAME_LINES = 3  # the most lines a name may wrap to


@pytest.mark.parametrize("group", [None, 17], ids=["office", "group 17"])
def test_on_a_phone_tables_scroll_in_their_box_and_the_page_never_sideways(sample_db, browser, screenshots, group):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    name = account(group)
    with serving(sample_db, env={"CONGRESS_TODAY": TODAY}) as base:
        sign_in(browser, base, name)
        measured = {}
        for url in PHONE_PAGES:
            browser.get(base + url)
            measured[url] = browser.execute_script("""
                const tables = [...document.querySelectorAll("main table")];
                const lines = [...document.querySelectorAll("main td.left")].map(td => {
                    const style = getComputedStyle(td);
                    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
                    const line = parseFloat(style.lineHeight) || 1.15 * parseFloat(style.fontSize);  // "normal"
                    return Math.round((td.clientHeight - padding) / line);
                });
                return {width: window.innerWidth, page: document.documentElement.scrollWidth,
                        tables: tables.length, boxed: tables.every(t => t.parentElement.className === "table-box"),
                        lines: Math.max(0, ...lines)};
            """)
        for url, m in measured.items():
            assert m["width"] == 390 and m["tables"] > 0 and m["boxed"], (url, m)
            assert m["page"] <= m["width"], (url, m)  # the page itself never scrolls sideways
            assert m["lines"] <= NAME_LINES, (url, m)
        browser.get(base + "/danh-sach/qua-han")
        screenshots(browser, "dien-thoai-qua-han")


def test_group_17_records_a_step_and_a_result_on_the_organisations_page(sample_db, browser, screenshots):
    """The whole congress (issue 18) by hand: the step form, the result form, the results page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    name = account(17)
    with serving(sample_db, env={"CONGRESS_TODAY": TODAY}) as base:
        sign_in(browser, base, name)

        browser.get(base + "/danh-sach/cham-chuan-bi?group=17&as_of=21/8/2025")
        assert "X.NINHGIANG" in browser.find_element(By.TAG_NAME, "main").text
        screenshots(browser, "cham-chuan-bi")
        click(browser, By.LINK_TEXT, "X.NINHGIANG")
        assert Select(browser.find_element(By.ID, "step-code")).first_selected_option.text == (
            "Tổ công tác thẩm định công tác chuẩn bị")  # the first step not done
        done = browser.find_element(By.ID, "step-done")
        done.clear()
        done.send_keys("18/8/2025")
        click(browser, By.CSS_SELECTOR, "section#step form.write button")
        assert ("hoàn thành bước «Tổ công tác thẩm định công tác chuẩn bị» ngày 18/08/2025"
                in browser.find_element(By.CSS_SELECTOR, "p.done").text)
        screenshots(browser, "buoc-chuan-bi")

        browser.get(base + "/to-chuc/X.CHIMINH.01")
        delegates = browser.find_element(By.ID, "result-delegates")
        delegates.clear()
        delegates.send_keys("1.283")
        present = browser.find_element(By.ID, "result-present")
        present.clear()
        present.send_keys("1300")  # more present than summoned: refused beside the field, nothing written
        click(browser, By.CSS_SELECTOR, "section#result form.write button")
        assert (browser.find_element(By.ID, "present-error").text
                == "Số đại biểu có mặt (1.300) lớn hơn số đại biểu được triệu tập (1.283).")
        assert browser.find_element(By.ID, "result-delegates").get_attribute("value") == "1.283"  # as typed
        screenshots(browser, "ket-qua-tu-choi")
        present = browser.find_element(By.ID, "result-present")
        present.clear()
        present.send_keys("1200")
        click(browser, By.CSS_SELECTOR, "section#result form.write button")
        assert "Đã ghi kết quả đại hội của" in browser.find_element(By.CSS_SELECTOR, "p.done").text
        result = browser.find_element(By.ID, "result").text
        assert "1.283" in result and "1.200" in result
        screenshots(browser, "ket-qua")

        browser.get(base + "/ket-qua?group=17")
        assert browser.find_element(By.ID, "level-1")
        screenshots(browser, "tong-hop-ket-qua")


def test_the_office_chooses_the_fronts_round_on_a_page(sample_db, browser, screenshots):
    """Every round (issue 19) by hand: the chooser in the header, then the overview of the Front's round."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    name = account(None, "vanphong2")
    with serving(sample_db, env={"CONGRESS_TODAY": "2025-10-31"}) as base:
        sign_in(browser, base, name)
        Select(browser.find_element(By.ID, "round")).select_by_visible_text("MTTQ 2025-2030")
        click(browser, By.CSS_SELECTOR, "form.round button")
        assert Select(browser.find_element(By.ID, "round")).first_selected_option.text == "MTTQ 2025-2030"
        page = browser.find_element(By.TAG_NAME, "main").text
        assert "Ủy ban MTTQ Việt Nam cấp xã" in page and "Tổ chức cơ sở đảng" not in page
        screenshots(browser, "vong-mttq")
        browser.get(base + "/to-chuc/X.GIALOC")
        assert "Ủy ban MTTQ Việt Nam xã Gia Lộc" in browser.find_element(By.ID, "other-rounds").text
