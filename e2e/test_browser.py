"""Real-browser tests: headless Chromium (Debian's package) driven through chromedriver.

The server, its database and the users are prepared by scripts/e2e.sh, which passes them in the environment.
"""
import os

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from helpers import BASE, PASSWORD, errors, make_browser, sign_in, submit

OFFICER = os.environ["E2E_OFFICER"]
DRAFT = os.environ["E2E_DRAFT_CODE"]
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def test_home_page_lists_the_northern_provinces(browser):
    browser.get(BASE + "/")
    assert "Khu vực phía Bắc" in browser.find_element(By.TAG_NAME, "h1").text
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 18
    assert any("Bắc Ninh" in row.text for row in rows)


def test_wrong_password_is_refused_in_vietnamese(browser):
    sign_in(browser, OFFICER, "khong-phai-mat-khau")
    assert "Sai tên đăng nhập hoặc mật khẩu" in browser.find_element(By.CSS_SELECTOR, ".error").text


def test_a_hostile_title_is_shown_as_text_and_runs_nothing(browser):
    sign_in(browser, OFFICER, PASSWORD)
    assert OFFICER in browser.find_element(By.CSS_SELECTOR, "nav.account").text

    browser.get(f"{BASE}/projects/{DRAFT}/edit")
    title = browser.find_element(By.NAME, "title")
    title.clear()
    title.send_keys(HOSTILE_TITLE)
    submit(browser, "form.stack")

    # Back on the project page: the title is the literal text, no image element was made, no alert opened.
    assert browser.current_url.endswith(f"/projects/{DRAFT}"), errors(browser)
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.text == HOSTILE_TITLE
    assert heading.find_elements(By.TAG_NAME, "img") == []
    assert browser.execute_script("return document.querySelectorAll('img[src=x]').length") == 0
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def test_a_form_without_its_csrf_token_is_refused(browser):
    sign_in(browser, OFFICER, PASSWORD)
    browser.get(f"{BASE}/projects/{DRAFT}/edit")
    browser.execute_script("document.querySelector('form.stack input[name=csrf]').value = 'gia-mao'")
    browser.find_element(By.NAME, "title").send_keys(" (sửa)")
    submit(browser, "form.stack")
    assert "Lỗi 403" in browser.find_element(By.TAG_NAME, "h1").text
