"""Daily work (issue 13), on Ninh Bình's own project and report so that no other file's state is touched: the
administrator lands on their work; the officer finds a project by typing its beneficiary's name without diacritics;
the appraiser scores it from their list; the reviewer approves Ninh Bình's half-year report from their list after
confirming the lock; the officer's bell shows the approval and the notification list opens the report; the new-project
form offers only the officer's province and warns before a plan year whose annual report is approved."""
import datetime
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from helpers import BASE, api, api_token as token, errors, fill, make_browser, sign_in, submit

ADMIN = os.environ["E2E_ADMIN"]
OFFICER = os.environ["E2E_RULE_OFFICER"]   # a province officer of Ninh Bình (37)
APPRAISER = os.environ["E2E_APPRAISER"]     # northern region, of another province
REVIEWER = os.environ["E2E_REVIEWER"]       # northern region
UNIT = "37"
CODE = "E2E-DW-001"
BENEFICIARY = "Hợp tác xã gốm sứ Hoàng Long Đông Sơn"
# The system's calendar is Vietnam's (UTC+7), not the test machine's.
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def work(browser, username):
    """Signs in and returns the first page's work items by group (the page must be "Việc của tôi")."""
    sign_in(browser, username)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Việc của tôi"
    return {section.get_attribute("id"): section.find_elements(By.CSS_SELECTOR, "li a")
            for section in browser.find_elements(By.CSS_SELECTOR, "section.work-group")}


def test_the_administrator_lands_on_their_work(browser):
    groups = work(browser, ADMIN)
    assert all(key.startswith("work-") for key in groups)


def test_the_officer_finds_a_project_by_a_beneficiary_typed_without_diacritics(browser):
    officer = token(OFFICER)
    status, body = api("POST", "/api/v1/projects", officer, {
        "code": CODE, "title": "Hỗ trợ lò nung gốm tiết kiệm năng lượng", "unitCode": UNIT, "year": TODAY.year, "source": "national",
        "category": "1", "implementingUnit": "Trung tâm Khuyến công Ninh Bình", "beneficiaryTaxCode": "3701551233",
        "beneficiaryName": BENEFICIARY, "supportVnd": 120000000, "counterpartVnd": 480000000})
    assert status == 201, body

    sign_in(browser, OFFICER)
    browser.get(f"{BASE}/projects")
    search = browser.find_element(By.CSS_SELECTOR, "#register-filters input[name='q']")
    search.send_keys("hop tac xa gom su HOANG LONG dong son")
    browser.execute_script("window.__stay = true")
    search.send_keys(Keys.RETURN)
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.__stay === undefined"))
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "main table tbody tr td a")]
    assert CODE in links, links
    browser.find_element(By.LINK_TEXT, CODE).click()
    assert browser.current_url.endswith(f"/projects/{CODE}")
    assert BENEFICIARY in browser.find_element(By.TAG_NAME, "main").text


def test_the_appraiser_scores_from_their_list(browser):
    status, body = api("POST", f"/api/v1/projects/{CODE}/transitions", token(OFFICER), {"to": "submitted"})
    assert status == 200, body

    waiting = work(browser, APPRAISER).get("work-appraisal", [])
    mine = [link for link in waiting if f"/projects/{CODE}" in link.get_attribute("href")]
    assert mine, [link.text for link in waiting]
    mine[0].click()
    fill(browser, "#tham-dinh form", score="80", opinion="Lò nung tiết kiệm năng lượng, dự toán hợp lý")
    submit(browser, "#tham-dinh form")
    assert errors(browser) == [], errors(browser)
    assert "80,0" in browser.find_element(By.TAG_NAME, "main").text

    scored = work(browser, APPRAISER).get("work-appraisal", [])
    assert not any(f"/projects/{CODE}" in link.get_attribute("href") for link in scored), "scored: off the list"


def test_the_reviewer_approves_from_their_list_after_confirming(browser):
    reports = work(browser, REVIEWER).get("work-period_report_review", [])
    ninh_binh = [link for link in reports if f"/period-reports/{UNIT}@" in link.get_attribute("href")]
    assert ninh_binh, [link.text for link in reports]
    ninh_binh[0].click()
    assert "Ninh Bình" in browser.find_element(By.TAG_NAME, "h1").text
    confirm = browser.find_element(By.CSS_SELECTOR, "form#approve input[name='confirmLock']")
    assert confirm.get_attribute("required") is not None, "no approval without the confirmation"
    assert "khóa số liệu" in browser.find_element(By.CSS_SELECTOR, "form#approve").text
    confirm.click()
    submit(browser, "form#approve")
    assert not errors(browser), errors(browser)
    assert "Đã phê duyệt" in browser.find_element(By.CSS_SELECTOR, "main .badge").text


def test_the_officers_bell_shows_the_approval_and_the_list_opens_it(browser):
    sign_in(browser, OFFICER)
    assert int(browser.find_element(By.ID, "unread-count").text) >= 1
    browser.find_element(By.ID, "nav-notifications").click()
    unread = [a for a in browser.find_elements(By.CSS_SELECTOR, "ul.notifications li.unread a")
              if "/period-reports/" in a.get_attribute("href")]
    assert unread, browser.find_element(By.TAG_NAME, "main").text
    assert "phê duyệt" in unread[0].text
    unread[0].click()
    assert f"/period-reports/{UNIT}@" in browser.current_url
    assert "Đã phê duyệt" in browser.find_element(By.CSS_SELECTOR, "main .badge").text


def test_the_new_project_form_offers_the_officers_province_and_warns_before_a_locked_year(browser):
    sign_in(browser, OFFICER)
    browser.get(f"{BASE}/projects/new")
    units = Select(browser.find_element(By.CSS_SELECTOR, "form.stack select[name='unitCode']"))
    assert [o.get_attribute("value") for o in units.options] == [UNIT]
    assert units.first_selected_option.text == "Ninh Bình"
    assert "Năm 2025" in browser.find_element(By.ID, "locked-years").text

    fill(browser, "form.stack", code="E2E-DW-002", title="Hỗ trợ máy ép gạch không nung", year="2025", source="national",
         category="1", implementingUnit="Trung tâm Khuyến công Ninh Bình", supportVnd="90.000.000", counterpartVnd="300.000.000")
    submit(browser, "form.stack")
    warning = browser.find_element(By.ID, "locked-year-warning").text
    assert "Năm kế hoạch 2025" in warning and "Báo cáo cả năm 2025 của Ninh Bình đã được phê duyệt" in warning, warning
    assert browser.current_url.endswith("/projects/new")
    browser.find_element(By.CSS_SELECTOR, "form.stack input[name='confirmLockedYear']").click()
    submit(browser, "form.stack")
    assert errors(browser) == [], errors(browser)
    assert browser.current_url.endswith("/projects/E2E-DW-002")
