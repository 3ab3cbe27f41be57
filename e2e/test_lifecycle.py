"""The main road of a project through the pages: a province officer creates and submits it, an appraiser scores
it, the regional reviewer registers, appraises, approves and allocates it, the officer records an advance and a
payment, accepts and settles it, the reviewer closes it; the project page shows the whole history."""
import datetime
import os

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, errors, fill, make_browser, sign_in, sign_out, submit

OFFICER = os.environ["E2E_ROAD_OFFICER"]
UNIT = os.environ["E2E_ROAD_UNIT"]
CATEGORY = os.environ["E2E_ROAD_CATEGORY"]
APPRAISER = os.environ["E2E_APPRAISER"]
REVIEWER = os.environ["E2E_REVIEWER"]
CODE = "E2E-ROAD-001"
# The system's calendar is Vietnam's (UTC+7), not the test machine's.
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date().isoformat()


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def step(browser, to, **extra):
    fill(browser, "#chuyen-buoc form", to=to, **extra)
    submit(browser, "#chuyen-buoc form")
    assert errors(browser) == [], f"{to}: {errors(browser)}"
    assert browser.current_url.endswith(f"/projects/{CODE}")


def as_user(browser, username):
    if browser.find_elements(By.CSS_SELECTOR, "nav.account form"):
        sign_out(browser)
    sign_in(browser, username)
    browser.get(f"{BASE}/projects/{CODE}")


def test_the_main_road_through_the_pages(browser):
    sign_in(browser, OFFICER)
    browser.get(f"{BASE}/projects/new")
    fill(browser, "form.stack", code=CODE, title="Hỗ trợ ứng dụng máy sấy chè tiên tiến", unitCode=UNIT, year="2026",
         source="national", category=CATEGORY, implementingUnit="Trung tâm Khuyến công", beneficiaryTaxCode="0100109106",
         beneficiaryName="Hợp tác xã chè Bát Mọt", supportVnd="50.000.000", counterpartVnd="200 000 000")
    submit(browser, "form.stack")
    assert errors(browser) == []
    assert browser.current_url.endswith(f"/projects/{CODE}")
    # Amounts typed with thousand dots or spaces are whole đồng.
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "50.000.000 đ" in main and "200.000.000 đ" in main
    step(browser, "submitted")

    as_user(browser, APPRAISER)
    fill(browser, "#tham-dinh form", score="85", opinion="Đề án cần thiết, dự toán hợp lý")
    submit(browser, "#tham-dinh form")
    assert errors(browser) == []

    as_user(browser, OFFICER)
    step(browser, "appraised_province", decisionNo="12/QĐ-SCT")

    as_user(browser, REVIEWER)
    step(browser, "registered")
    step(browser, "appraised_ministry", decisionNo="88/QĐ-BCT")
    step(browser, "approved", decisionNo="89/QĐ-BCT")
    step(browser, "allocated", decisionNo="90/QĐ-BCT")

    as_user(browser, OFFICER)
    step(browser, "contracted")
    step(browser, "in_progress")
    for kind, amount in (("advance", "25000000"), ("payment", "25000000")):
        fill(browser, "#giai-ngan form", kind=kind, date=TODAY, amountVnd=amount, basis="actual")
        submit(browser, "#giai-ngan form")
        assert errors(browser) == [], errors(browser)
    step(browser, "accepted", decisionNo="BB-15/2026")
    step(browser, "settled", decisionNo="16/QĐ-SCT", finalAmountVnd="50000000")

    as_user(browser, REVIEWER)
    step(browser, "closed")

    history = browser.find_element(By.CSS_SELECTOR, "ol.history").text
    for status in ("Dự thảo", "Đã nộp", "Đã thẩm định cấp tỉnh", "Đã đăng ký với Bộ", "Đã thẩm định cấp Bộ", "Đã phê duyệt",
                   "Đã phân bổ kinh phí", "Đã ký hợp đồng", "Đang thực hiện", "Đã nghiệm thu", "Đã quyết toán", "Đã kết thúc"):
        assert status in history, status
    assert "89/QĐ-BCT" in history
    assert "85,0" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.CSS_SELECTOR, "main .badge").text == "Đã kết thúc"
    browser.save_screenshot(os.path.join(os.environ.get("E2E_SCREENSHOTS", "."), "project-road.png"))
