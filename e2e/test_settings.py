"""The settings page (issue 14): the administrator changes a plan year's deadline and adds the agency's name from a
date; both are shown saved (the old values kept as history) and the audit trail shows the changes; the ministry reads
the page without a form, a province officer is refused it. Then the regions of the rules page: the administrator moves a
province to another region from a date, the row in force is closed, and the change is audited.
Works on a year two years ahead and on dates in the future, so that the other files' figures are not touched."""
import datetime
import os

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, api, api_token as token, errors, fill, make_browser, sign_in, sign_out, submit

ADMIN = os.environ["E2E_ADMIN"]
MINISTRY = os.environ["E2E_MINISTRY"]
OFFICER = os.environ["E2E_ROAD_OFFICER"]   # a province officer of Thanh Hóa (38)
# The system's calendar is Vietnam's (UTC+7), not the test machine's.
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()
YEAR = TODAY.year + 2
DEADLINE_BASIS = "Quyết định điều chỉnh thời hạn khóa sổ (kiểm thử trình duyệt)"
AGENCY_NAME = "Cục Khuyến công và Phát triển công nghiệp địa phương (kiểm thử)"
AGENCY_BASIS = "Nghị định quy định chức năng của Bộ Công Thương (kiểm thử trình duyệt)"
REGION_BASIS = "Quyết định phân công khu vực khuyến công (kiểm thử trình duyệt)"


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def as_user(browser, username):
    if browser.find_elements(By.CSS_SELECTOR, "nav.account form"):
        sign_out(browser)
    sign_in(browser, username)


def cell_texts(browser, table_id):
    return [row.text for row in browser.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")]


def test_the_administrator_changes_a_deadline_and_the_agency_name_and_the_audit_trail_shows_them(browser):
    as_user(browser, ADMIN)
    browser.find_element(By.LINK_TEXT, "Cài đặt").click()
    browser.get(f"{BASE}/admin/settings?year={YEAR}")
    assert browser.find_elements(By.ID, "settings-deadlines") and browser.find_elements(By.ID, "add-agency-name")
    before = next(text for text in cell_texts(browser, "deadlines") if text.startswith("Khóa sổ"))

    # The close of the year's accounts moves from 22 January to 25 January of the year after.
    new_close = datetime.date(YEAR + 1, 1, 25)
    fill(browser, "#settings-deadlines", settlement_close=new_close.isoformat(), legalBasis=DEADLINE_BASIS)
    submit(browser, "#settings-deadlines")
    assert errors(browser) == []
    assert "Đã lưu thời hạn mới" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    row = next(text for text in cell_texts(browser, "deadlines") if text.startswith("Khóa sổ"))
    assert new_close.strftime("%d/%m/%Y") in row and DEADLINE_BASIS in row, (before, row)
    history = " ".join(cell_texts(browser, "deadline-history"))
    assert new_close.strftime("%d/%m/%Y") in history and DEADLINE_BASIS in history
    status, body = api("GET", f"/api/v1/settings?year={YEAR}", token(ADMIN))
    assert status == 200, body
    assert new_close.isoformat() in str(body), body

    # A refusal names the field and keeps what was typed.
    fill(browser, "#add-agency-name", name=AGENCY_NAME, shortName="KCPT", validFrom="", legalBasis=AGENCY_BASIS)
    browser.execute_script("document.querySelector('#add-agency-name [name=validFrom]').removeAttribute('required')")
    submit(browser, "#add-agency-name")
    assert any("validFrom" in e for e in errors(browser)), errors(browser)
    assert browser.find_element(By.CSS_SELECTOR, "#add-agency-name [name=name]").get_attribute("value") == AGENCY_NAME

    # The agency's name from 1 January of that year: the name in use today stays, the new one is listed with its date.
    today_name = browser.find_element(By.ID, "agency-today").text
    fill(browser, "#add-agency-name", name=AGENCY_NAME, shortName="KCPT", validFrom=f"{YEAR}-01-01", legalBasis=AGENCY_BASIS)
    submit(browser, "#add-agency-name")
    assert errors(browser) == []
    assert "Đã thêm tên cơ quan mới" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    names = cell_texts(browser, "agency-names")
    assert any(AGENCY_NAME in text and f"01/01/{YEAR}" in text for text in names), names
    assert browser.find_element(By.ID, "agency-today").text == today_name

    # The audit trail shows both changes.
    browser.find_element(By.LINK_TEXT, "Nhật ký").click()
    page = browser.page_source
    assert DEADLINE_BASIS in page and AGENCY_NAME in page

    # The ministry reads the page without a form; a province officer is refused it.
    as_user(browser, MINISTRY)
    browser.get(f"{BASE}/admin/settings?year={YEAR}")
    assert errors(browser) == []
    assert any(AGENCY_NAME in text for text in cell_texts(browser, "agency-names"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#add-agency-name, #settings-deadlines button, #settings-deadlines input[type=date]")
    as_user(browser, OFFICER)
    browser.get(f"{BASE}/admin/settings")
    assert not browser.find_elements(By.ID, "add-agency-name") and not browser.find_elements(By.ID, "deadlines")
    status, _ = api("POST", "/api/v1/settings", token(OFFICER), {"year": YEAR, "deadlines": {"settlement_close": f"{YEAR + 1}-01-30"},
                                                                 "legalBasis": DEADLINE_BASIS})
    assert status == 403


def test_the_administrator_moves_a_province_to_another_region_from_a_date(browser):
    as_user(browser, ADMIN)
    browser.find_element(By.LINK_TEXT, "Quy định").click()
    start = datetime.date(TODAY.year + 2, 1, 1)
    # Lào Cai (today's 15), northern: central from a date two years ahead (a test value, shown with its basis).
    fill(browser, "#add-region", unitID="15@2025-07-01", region="central", validFrom=start.isoformat(), legalBasis=REGION_BASIS)
    submit(browser, "#add-region")
    assert errors(browser) == []
    assert "Đã thêm khu vực mới" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    rows = [text for text in cell_texts(browser, "region-memberships") if text.startswith("Lào Cai")]
    closed = (start - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert any("phía Bắc" in text and closed in text for text in rows), rows
    assert any("miền Trung" in text and start.strftime("%d/%m/%Y") in text and REGION_BASIS in text for text in rows), rows
    status, body = api("GET", "/api/v1/rules", token(MINISTRY))
    assert status == 200
    assert any(row["unitCode"] == "15" and row["region"] == "central" and row["validFrom"] == start.isoformat()
               and row.get("validUntil") is None and row["legalBasis"] == REGION_BASIS for row in body["regions"]), body["regions"]

    browser.find_element(By.LINK_TEXT, "Nhật ký").click()
    assert REGION_BASIS in browser.page_source
    as_user(browser, MINISTRY)
    browser.get(f"{BASE}/admin/rules")
    assert browser.find_elements(By.ID, "region-memberships") and not browser.find_elements(By.ID, "add-region")
