"""A year's plan through the pages, with four users (issue 12): a province officer drafts the 2027 lines and targets,
registers a national project and submits both plans; the northern reviewer registers the project with the ministry but
cannot decide the plan; the ministry returns the national plan once, then approves it and allocates its budget on its
consolidation of the year's plans; the
province records its People's Committee's decision on the local plan with the signed file; a revision later in the
year shows in the history and changes the report's plan figure from its decision's date on, and not before."""
import json
import os
import tempfile
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, errors, fill, make_browser, sign_in, sign_out, submit

OFFICER = os.environ["E2E_PLAN_OFFICER"]
UNIT = os.environ["E2E_PLAN_UNIT"]
APPRAISER = os.environ["E2E_APPRAISER"]
REVIEWER = os.environ["E2E_REVIEWER"]
MINISTRY = os.environ["E2E_MINISTRY"]
TOKEN = os.environ["E2E_TOKEN"]
CODE = "E2E-PLAN-2027"
PLAN = f"{BASE}/plans/{UNIT}/2027"


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def as_user(browser, username, page=PLAN):
    if browser.find_elements(By.CSS_SELECTOR, "nav.account form"):
        sign_out(browser)
    sign_in(browser, username)
    browser.get(page)


def send(browser, form, **fields):
    fill(browser, form, **fields)
    submit(browser, form)
    assert errors(browser) == [], f"{form}: {errors(browser)}"


def section(browser, source):
    return browser.find_element(By.ID, f"source-{source}").text


def plan_in_report(as_of):
    request = urllib.request.Request(f"{BASE}/api/v1/reports/summary?unit={UNIT}&year=2027&period=FY&asOf={as_of}",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["plan"]["amountVnd"]


def project_step(browser, to, **extra):
    send(browser, "#chuyen-buoc form", to=to, **extra)
    assert browser.current_url.endswith(f"/projects/{CODE}")


def test_a_years_plan_from_draft_to_revision(browser):
    # The province drafts lines (typed as officers type them) and a target.
    as_user(browser, OFFICER)
    for source, category, amount in (("national", "1", "2.000.000.000"), ("national", "3", "800.000.000"), ("local", "1", "1.200.000.000")):
        send(browser, "#line-form", source=source, category=category, amountVnd=amount, reason="Đăng ký kế hoạch năm 2027")
    send(browser, "#target-form", source="national", category="1", indicator="establishments_supported", quantity="10")
    national = section(browser, "national")
    assert "Dự thảo" in national and "2.000.000.000 đ" in national and "2.800.000.000 đ" in national
    assert plan_in_report("2027-12-31") == 0, "a draft counts nowhere"

    # ... and registers a national project for 2027: submitted, scored, appraised by the province, registered.
    browser.get(f"{BASE}/projects/new")
    fill(browser, "form.stack", code=CODE, title="Hỗ trợ dây chuyền chế biến hải sản khô", unitCode=UNIT, year="2027",
         source="national", category="1", implementingUnit="Trung tâm Khuyến công", beneficiaryTaxCode="5700100256",
         beneficiaryName="Công ty TNHH Hải sản Vân Đồn", supportVnd="300000000", counterpartVnd="700000000")
    submit(browser, "form.stack")
    assert errors(browser) == []
    project_step(browser, "submitted")
    as_user(browser, APPRAISER, f"{BASE}/projects/{CODE}")
    send(browser, "#tham-dinh form", score="82", opinion="Đề án phù hợp định hướng của tỉnh")
    as_user(browser, OFFICER, f"{BASE}/projects/{CODE}")
    project_step(browser, "appraised_province", decisionNo="31/QĐ-SCT")
    as_user(browser, REVIEWER, f"{BASE}/projects/{CODE}")
    project_step(browser, "registered")

    # The province submits both plans; the registration report lists the project.
    as_user(browser, OFFICER)
    submit(browser, "#submit-national")
    submit(browser, "#submit-local")
    assert "Đã trình, chờ phê duyệt" in section(browser, "national")
    browser.find_element(By.ID, "registration-link").click()
    registration = browser.find_element(By.ID, "registration").text
    assert CODE in registration and "300,0 triệu đồng" in registration and "82" in registration

    # The region's reviewer follows the plan but does not decide it (Decree 235/2025: the ministry does).
    as_user(browser, REVIEWER)
    assert not browser.find_elements(By.ID, "approve-national")

    # The ministry returns it once with a reason ...
    as_user(browser, MINISTRY)
    send(browser, "#return-national", reason="Đề nghị giảm nội dung 1, bổ sung thuyết minh mô hình trình diễn")
    assert "Trả lại để chỉnh sửa" in section(browser, "national")
    # ... the province corrects and submits again ...
    as_user(browser, OFFICER)
    assert "bổ sung thuyết minh" in section(browser, "national")
    send(browser, "#line-form", source="national", category="1", amountVnd="1.800.000.000", reason="Giảm theo ý kiến của Bộ")
    submit(browser, "#submit-national")
    # ... and the ministry approves it with its decision.
    as_user(browser, MINISTRY)
    send(browser, "#approve-national", decisionNo="1500/QĐ-BCT", approvedOn="2026-12-15", signer="Thứ trưởng")
    national = section(browser, "national")
    assert "Đã phê duyệt" in national and "1500/QĐ-BCT, ngày 15/12/2026" in national and "2.600.000.000 đ" in national
    # The ministry allocates part of the budget on its consolidation of the year's national plans.
    browser.get(f"{BASE}/plans/2027/consolidation")
    send(browser, f"#allocate-{UNIT}", amountVnd="2.000.000.000", allocatedOn="2026-12-20", decisionNo="1700/QĐ-BCT")
    row = browser.find_element(By.ID, f"unit-{UNIT}").text
    assert "2.000.000.000" in row.replace(" ", "") or "2,0 tỷ" in row, row
    browser.get(PLAN)
    assert "1700/QĐ-BCT" in browser.find_element(By.ID, "allocations-national").text

    # The province records the People's Committee's decision on the local plan, with its signed file.
    as_user(browser, OFFICER)
    fill(browser, "#approve-local", decisionNo="77/QĐ-UBND", approvedOn="2026-12-22", signer="Phó Chủ tịch UBND tỉnh")
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as scan:
        scan.write(b"%PDF-1.4 quyet dinh 77")
    browser.find_element(By.CSS_SELECTOR, "#approve-local [name='file']").send_keys(scan.name)
    submit(browser, "#approve-local")
    assert errors(browser) == []
    local = section(browser, "local")
    assert "Đã phê duyệt" in local and "Phó Chủ tịch UBND tỉnh" in local and "quyết định 77/QĐ-UBND" in local

    # A revision decided on 1 April 2027 counts from that day on, not before.
    send(browser, "#line-form", source="national", category="1", amountVnd="2.100.000.000", reason="Bổ sung mô hình trình diễn",
         decisionNo="201/QĐ-BCT", approvedOn="2027-04-01")
    national = section(browser, "national")
    assert "201/QĐ-BCT" in browser.find_element(By.ID, "source-national").get_attribute("innerHTML")
    assert "2.900.000.000 đ" in national
    assert plan_in_report("2026-12-14") == 0
    assert plan_in_report("2026-12-15") == 2_600_000_000
    assert plan_in_report("2027-03-31") == 3_800_000_000
    assert plan_in_report("2027-04-01") == 4_100_000_000
    # The page sets the approval and the revision side by side.
    fill(browser, "#compare-national", **{"from": "0", "to": "1"})
    submit(browser, "#compare-national")
    comparison = browser.find_element(By.ID, "comparison-national").text
    assert "1.800.000.000 đ" in comparison and "2.100.000.000 đ" in comparison and "+300.000.000 đ" in comparison
    browser.save_screenshot(os.path.join(os.environ.get("E2E_SCREENSHOTS", "."), "plan-cycle.png"))
