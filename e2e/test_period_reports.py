"""The reviewer's completeness page in a real browser, on the demo data."""
import os

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, make_browser, sign_in

REVIEWER = os.environ["E2E_REVIEWER"]


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def test_the_reviewer_sees_who_submitted_and_who_is_missing(browser):
    sign_in(browser, REVIEWER)
    browser.get(f"{BASE}/period-reports?year=2024&period=H1")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Báo cáo 6 tháng đầu năm 2024 – Khu vực phía Bắc"
    rows = browser.find_elements(By.CSS_SELECTOR, "#completeness tbody tr")
    assert len(rows) == 28
    assert any("Đã phê duyệt" in row.text for row in rows)
    late = [row for row in rows if row.find_elements(By.CSS_SELECTOR, "td.num") and row.find_element(By.CSS_SELECTOR, "td.num").text.strip()]
    assert late, "some provinces submitted late in the demo data"

    browser.get(f"{BASE}/period-reports?year=2026&period=H1")
    statuses = [row.find_elements(By.TAG_NAME, "td")[2].text for row in browser.find_elements(By.CSS_SELECTOR, "#completeness tbody tr")]
    assert len(statuses) == 18
    assert "Chưa nộp (quá hạn)" in statuses and "Trả lại để chỉnh sửa" in statuses and "Đã nộp, chờ duyệt" in statuses
    browser.find_element(By.LINK_TEXT, "Thanh Hóa").click()
    assert "Thanh Hóa: báo cáo 6 tháng đầu năm 2026" in browser.find_element(By.TAG_NAME, "h1").text
    browser.save_screenshot(os.path.join(os.environ.get("E2E_SCREENSHOTS", "."), "period-report.png"))
