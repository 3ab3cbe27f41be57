"""Data quality in a real browser, on the demo data (issue 19). Quảng Ninh's 2026 H1 report has an error (a
cooperative supported twice, with Tuyên Quang): its officer cannot submit it. Phú Thọ's officer types 5,000
establishments for a handful, which the quality checks flag as an outlier unit cost (a warning): the report cannot be
submitted until the warning is explained; with the comment it goes in, and the reviewer reads the warning and the
comment on the report before approving it."""
import os
import subprocess
import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, PASSWORD, errors, fill, make_browser, sign_in, sign_out, submit

QUANG_NINH = os.environ["E2E_PLAN_OFFICER"]   # Quảng Ninh (22)
REVIEWER = os.environ["E2E_REVIEWER"]         # the northern region's reviewer
PHU_THO = "e2e.phutho"                        # created below: Phú Thọ (25), whose H1 2026 report was returned


def report(unit):
    return f"{BASE}/period-reports/{urllib.parse.quote(unit + '@2025-07-01')}/2026/H1"


def quality(unit):
    return f"{BASE}/quality?unit={unit}&year=2026&period=H1"


COMMENT = "Số cơ sở gõ nhầm 5000 thay vì 5; đơn vị sẽ sửa khi có biên bản nghiệm thu."


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def findings(browser):
    return {row.get_attribute("data-rule"): row for row in browser.find_elements(By.CSS_SELECTOR, "#findings tr.finding")}


def test_an_error_blocks_submission(browser):
    sign_in(browser, QUANG_NINH)
    browser.get(quality("22"))
    assert browser.find_element(By.ID, "quality-counts").text == "1 lỗi 1 cảnh báo"
    found = findings(browser)
    assert set(found) == {"double_funding", "unit_cost_outlier"}
    assert "0100234562" in found["double_funding"].text and "Tuyên Quang" in found["double_funding"].text
    browser.get(report("22"))
    assert browser.find_element(By.ID, "quality-count").text.startswith("1 lỗi, 1 cảnh báo (1 cảnh báo chưa có giải trình)")
    submit(browser, "form[action$='/submit']")
    assert any("lỗi dữ liệu phải sửa trước khi nộp" in e for e in errors(browser)), errors(browser)
    browser.get(report("22"))
    assert "Đã nộp" not in browser.find_element(By.CSS_SELECTOR, "main .badge").text


def test_a_warning_is_explained_before_submission_and_the_reviewer_reads_it(browser):
    subprocess.run([os.environ["E2E_BIN"], "user", "create", "--username", PHU_THO, "--role", "province_officer", "--unit", "25",
                    "--password-stdin"], input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    sign_in(browser, PHU_THO)
    browser.get(quality("25"))
    assert not findings(browser)

    # 5,000 establishments typed for a handful: the unit cost falls far below the country's median.
    browser.get(f"{BASE}/projects/KC2026-25-QG-001")
    fill(browser, "form[action$='/outputs']", indicator="establishments_supported", date="2026-06-26", quantity="5000", basis="actual")
    submit(browser, "form[action$='/outputs']")
    assert not errors(browser), errors(browser)
    browser.get(quality("25"))
    assert set(findings(browser)) == {"unit_cost_outlier"}
    assert "KC2026-25-QG-001" in findings(browser)["unit_cost_outlier"].text

    # Not submitted without the comment; the comment is kept and the report goes in.
    browser.get(report("25"))
    submit(browser, "form[action$='/submit']")
    assert any("cần giải trình" in e for e in errors(browser)), errors(browser)
    browser.get(quality("25"))
    fill(browser, "tr.unit_cost_outlier form.comment-form", comment=COMMENT)
    submit(browser, "tr.unit_cost_outlier form.comment-form")
    browser.get(quality("25"))
    assert findings(browser)["unit_cost_outlier"].find_element(By.CSS_SELECTOR, ".comment").text == COMMENT
    browser.get(report("25"))
    fill(browser, "form[action$='/submit']", coverNote="Báo cáo 6 tháng đầu năm 2026 của Phú Thọ, đã giải trình cảnh báo.")
    submit(browser, "form[action$='/submit']")
    assert not errors(browser), errors(browser)
    assert "Đã nộp" in browser.find_element(By.CSS_SELECTOR, "main .badge").text
    sign_out(browser)

    # The reviewer reads the warning and the comment on the report, confirms the lock and approves.
    sign_in(browser, REVIEWER)
    browser.get(report("25"))
    listed = browser.find_element(By.ID, "quality-findings").text
    assert "Chi phí đơn vị bất thường" in listed and "KC2026-25-QG-001" in listed and COMMENT in listed
    browser.find_element(By.CSS_SELECTOR, "form#approve input[name='confirmLock']").click()
    submit(browser, "form#approve")
    assert not errors(browser), errors(browser)
    assert "Đã phê duyệt" in browser.find_element(By.CSS_SELECTOR, "main .badge").text
    browser.save_screenshot(os.path.join(os.environ.get("E2E_SCREENSHOTS", "."), "quality-approved.png"))
