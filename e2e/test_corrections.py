"""Correcting what was typed (issue 13): the province officer creates a draft with a wrong beneficiary and corrects
it on the project page; a known tax code asks for confirmation instead of linking silently; a wrong payment is
corrected and then removed with its reason, and the report's figures follow at once."""
import datetime
import json
import os
import re
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, errors, fill, make_browser, sign_in, submit

OFFICER = os.environ["E2E_ROAD_OFFICER"]
UNIT = os.environ["E2E_ROAD_UNIT"]
TOKEN = os.environ["E2E_TOKEN"]
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date().isoformat()
WRONG, RIGHT = "2807654325", "3801112222"
NAME = "HTX mây tre Minh Châu"


def api(path):
    request = urllib.request.Request(f"{BASE}{path}", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def realised():
    return api(f"/api/v1/reports/summary?unit={UNIT}&year=2026&period=FY")["realised"]["amountVnd"]


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def open_correction(browser, action):
    """Opens the row's "Sửa, xóa" panel whose form posts to `action`."""
    browser.execute_script("document.querySelector(arguments[0]).closest('details').open = true", f"form[action='{action}']")
    return f"form[action='{action}']"


def new_draft(browser, tax_code):
    browser.get(f"{BASE}/projects/new")
    fill(browser, "form.stack", title="Hỗ trợ máy chẻ nan mây tre", unitCode=UNIT, source="national", category="1",
         implementingUnit="Trung tâm Khuyến công", beneficiaryTaxCode=tax_code, beneficiaryName=NAME,
         supportVnd="50000000", counterpartVnd="200000000")
    submit(browser, "form.stack")


def test_the_officer_corrects_a_wrong_beneficiary_and_a_wrong_payment(browser):
    sign_in(browser, OFFICER)
    # A draft without a code gets one in the documented format, with the beneficiary's tax code typed wrong.
    new_draft(browser, WRONG)
    assert errors(browser) == []
    code = browser.current_url.rsplit("/", 1)[-1]
    assert re.fullmatch(rf"{UNIT}-\d{{4}}-QG-\d{{3}}", code), code
    link = api(f"/api/v1/projects/{code}")["beneficiaries"][0]["id"]
    action = f"/projects/{code}/beneficiaries/{link}/edit"
    fill(browser, open_correction(browser, action), taxCode=RIGHT)
    submit(browser, open_correction(browser, action))
    assert errors(browser) == []
    page = browser.find_element(By.TAG_NAME, "main").text if browser.find_elements(By.TAG_NAME, "main") else browser.page_source
    assert RIGHT in page
    assert [b["taxCode"] for b in api(f"/api/v1/projects/{code}")["beneficiaries"]] == [RIGHT]
    # The register finds the project under the right tax code only.
    assert code in [p["code"] for p in api(f"/api/v1/projects?taxCode={RIGHT}")["items"]]
    assert code not in [p["code"] for p in api(f"/api/v1/projects?taxCode={WRONG}")["items"]]
    assert "Sửa chữa số liệu" in browser.page_source

    # Another draft naming the now known tax code: the form names the establishment and asks to confirm.
    new_draft(browser, RIGHT)
    assert browser.find_elements(By.NAME, "confirmExisting"), browser.page_source[:2000]
    assert NAME in browser.page_source
    browser.find_element(By.NAME, "confirmExisting").click()
    submit(browser, "form.stack")
    assert errors(browser) == []
    assert browser.current_url.split("/")[-1] != "new"

    # A payment of an allocated Thanh Hóa project typed ten times too big, corrected, then removed.
    candidates = api(f"/api/v1/projects?unit={UNIT}&year=2026&status=in_progress&limit=50")["items"]
    project = next(p for p in (api(f"/api/v1/projects/{c['code']}") for c in candidates)
                   if (p["supportApprovedVnd"] or 0) - sum(d["amountVnd"] for d in p["disbursements"] if d["basis"] == "actual") > 10_000_000)
    before = realised()
    browser.get(f"{BASE}/projects/{project['code']}")
    fill(browser, "#giai-ngan form", kind="payment", date=TODAY, amountVnd="5000000", basis="actual")
    submit(browser, "#giai-ngan form")
    assert errors(browser) == []
    assert realised() == before + 5_000_000
    payment = next(d for d in api(f"/api/v1/projects/{project['code']}")["disbursements"]
                   if d["date"] == TODAY and d["amountVnd"] == 5_000_000)
    action = f"/projects/{project['code']}/disbursements/{payment['id']}/edit"
    fill(browser, open_correction(browser, action), amountVnd="500000")
    submit(browser, open_correction(browser, action))
    assert errors(browser) == []
    assert realised() == before + 500_000

    action = f"/projects/{project['code']}/disbursements/{payment['id']}/remove"
    fill(browser, open_correction(browser, action), reason="Nhập trùng chứng từ")
    submit(browser, open_correction(browser, action))
    assert errors(browser) == []
    assert realised() == before
    assert "Nhập trùng chứng từ" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, ".corrections del")
