"""A fresh account's undo page in a real browser (issue 16, §1): an account named like the sample's
office is offered none of the office's history, on either backend."""
from conftest import TODAY
from serving import serving
from test_identity import OFFICE_OS_USER, named
from test_web_browser import browser, pytestmark, screenshots, sign_in  # noqa: F401 (fixtures, the skip)


def test_a_fresh_accounts_undo_page_offers_nothing(sample_db, browser, screenshots):  # noqa: F811
    from selenium.webdriver.common.by import By

    name = named(None, OFFICE_OS_USER)
    with serving(sample_db, env={"CONGRESS_TODAY": TODAY}) as base:
        sign_in(browser, base, name)
        browser.get(base + "/hoan-tac")
        screenshots(browser, "hoan-tac-tai-khoan-moi")
        main = browser.find_element(By.TAG_NAME, "main").text
        assert f"Người dùng {name} chưa có thay đổi nào để hoàn tác." in main
        assert "26/09/2025" not in main  # the sample's city congress is not offered
        assert not browser.find_elements(By.CSS_SELECTOR, "form.write button")
