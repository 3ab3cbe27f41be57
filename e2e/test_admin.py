"""The administration pages (issue 14). Rules: an administrator previews and adds a province's dated cap; a project
registered from its date is checked against it, one registered before it is not touched, and the audit trail shows the
change; returned for a correction, the project registered before the change keeps the old rule, the one after gets the
new. Users: the administrator creates a user who sets a password by a one-time link and signs in, resets it by a new
link, disables them, cannot disable the last active administrator, and nobody raises their own role."""
import datetime
import os
import sqlite3

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, PASSWORD, api, api_token as token, errors, fill, make_browser, sign_in, sign_out, submit

ADMIN = os.environ["E2E_ADMIN"]
RULE_OFFICER = os.environ["E2E_RULE_OFFICER"]   # a province officer of Ninh Bình (37)
MINISTRY = os.environ["E2E_MINISTRY"]
# The system's calendar is Vietnam's (UTC+7), not the test machine's.
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()
BASIS = "Nghị quyết HĐND tỉnh Ninh Bình (kiểm thử trình duyệt)"


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def local_project(officer, code):
    """A local machinery project of Ninh Bình: 150 million đồng for one establishment."""
    status, body = api("POST", "/api/v1/projects", officer, {
        "code": code, "title": "Hỗ trợ máy sấy nông sản (kiểm thử quy định)", "unitCode": "37", "year": TODAY.year, "source": "local",
        "category": "1", "supportKind": "machinery", "implementingUnit": "Trung tâm Khuyến công Ninh Bình",
        "beneficiaryTaxCode": "3701987654", "beneficiaryName": "Hợp tác xã nông sản Gia Viễn",
        "supportVnd": 150_000_000, "counterpartVnd": 350_000_000, "confirmExisting": True})
    assert status == 201, body


def submit_by_api(officer, code):
    status, body = api("POST", f"/api/v1/projects/{code}/transitions", officer, {"to": "submitted"})
    assert status == 200, body


def as_user(browser, username, password=PASSWORD):
    if browser.find_elements(By.CSS_SELECTOR, "nav.account form"):
        sign_out(browser)
    sign_in(browser, username, password)


def test_an_administrator_previews_and_adds_a_dated_cap_and_the_checks_follow_its_date(browser):
    officer = token(RULE_OFFICER)
    # Registered before the change (yesterday) and today: both pending, neither capped yet (Ninh Bình has set no cap).
    for code in ("E2E-RULE-BEFORE", "E2E-RULE-TODAY"):
        local_project(officer, code)
        submit_by_api(officer, code)
    local_project(officer, "E2E-RULE-AFTER")   # a draft, to be submitted once the cap is in force
    with sqlite3.connect(os.environ["DATABASE_PATH"], timeout=30) as db:
        db.execute("UPDATE projects SET submitted_on = ? WHERE code = 'E2E-RULE-BEFORE'", ((TODAY - datetime.timedelta(days=1)).isoformat(),))

    as_user(browser, ADMIN)
    browser.find_element(By.LINK_TEXT, "Quy định").click()
    fill(browser, "#add-cap", kind="machinery", source="local", unitCode="37", maxSharePercent="50", maxAmountVnd="100.000.000",
         per="establishment", validFrom=TODAY.isoformat(), legalBasis=BASIS)
    submit(browser, "#add-cap")
    assert errors(browser) == []
    preview = browser.find_element(By.ID, "cap-preview").text
    assert "E2E-RULE-TODAY" in preview and "E2E-RULE-BEFORE" not in preview, preview
    assert "vượt mức" in preview and "100,0 triệu đồng/cơ sở" in preview
    assert browser.find_elements(By.XPATH, f"//table[@id='caps']//td[contains(., '{BASIS}')]") == []   # not saved yet
    submit(browser, "#add-cap")
    assert "Đã thêm mức hỗ trợ mới" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert browser.find_elements(By.XPATH, f"//table[@id='caps']//td[contains(., '{BASIS}')]")

    # The audit trail shows the change, with the pending project it touched.
    browser.find_element(By.LINK_TEXT, "Nhật ký").click()
    assert BASIS in browser.page_source and "E2E-RULE-TODAY" in browser.page_source

    # A project registered from the change's date on is refused at the new cap, named with its legal basis (one registered
    # before it is checked against the rule of its own date: SupportRuleTests checks that at approval).
    as_user(browser, RULE_OFFICER)
    browser.get(f"{BASE}/projects/E2E-RULE-AFTER")
    fill(browser, "#chuyen-buoc form", to="submitted")
    submit(browser, "#chuyen-buoc form")
    refusal = " ".join(errors(browser))
    assert "100,0 triệu đồng/cơ sở" in refusal and BASIS in refusal, refusal
    status, body = api("GET", "/api/v1/projects/E2E-RULE-AFTER", officer)
    assert status == 200 and body["status"] == "draft"

    # Returned for a correction, each keeps its registration date: the one registered before the change is checked
    # against the rule of its own date (Ninh Bình had no cap then) and saved; the one registered on the change's date
    # is refused at the new cap, with its legal basis.
    for code in ("E2E-RULE-BEFORE", "E2E-RULE-TODAY"):
        status, body = api("POST", f"/api/v1/projects/{code}/transitions", officer, {"to": "returned", "note": "Bổ sung vốn đối ứng (kiểm thử)"})
        assert status == 200, body
    browser.get(f"{BASE}/projects/E2E-RULE-BEFORE/edit")
    fill(browser, "form[action$='/edit']", counterpartVnd="400.000.000")
    submit(browser, "form[action$='/edit']")
    assert errors(browser) == []
    status, body = api("GET", "/api/v1/projects/E2E-RULE-BEFORE", officer)
    assert body["counterpartVnd"] == 400_000_000, body
    browser.get(f"{BASE}/projects/E2E-RULE-TODAY/edit")
    fill(browser, "form[action$='/edit']", counterpartVnd="400.000.000")
    submit(browser, "form[action$='/edit']")
    refusal = " ".join(errors(browser))
    assert "100,0 triệu đồng/cơ sở" in refusal and BASIS in refusal, refusal
    status, body = api("GET", "/api/v1/projects/E2E-RULE-TODAY", officer)
    assert body["counterpartVnd"] == 350_000_000, body


def reset_link(browser):
    return browser.find_element(By.ID, "reset-link-value").get_attribute("value")


def test_user_administration_create_reset_by_link_disable_last_admin_and_own_role(browser):
    as_user(browser, ADMIN)
    browser.find_element(By.LINK_TEXT, "Người dùng").click()
    fill(browser, "#create-user", username="e2e.moi", displayName="Cán bộ mới (kiểm thử)", role="viewer")
    submit(browser, "#create-user")
    assert errors(browser) == []
    link = reset_link(browser)
    assert "/account/reset/" in link

    # The newcomer follows the link, sets a password and signs in; the link works only once.
    sign_out(browser)
    browser.get(link)
    fill(browser, "#set-password", new="mat-khau-moi-e2e-2026", confirm="mat-khau-moi-e2e-2026")
    submit(browser, "#set-password")
    assert "Đã đặt mật khẩu mới" in browser.page_source
    sign_in(browser, "e2e.moi", "mat-khau-moi-e2e-2026")
    assert "Cán bộ mới (kiểm thử)" in browser.find_element(By.CSS_SELECTOR, "nav.account").text
    browser.get(link)
    assert "không hợp lệ, đã dùng hoặc đã hết hạn" in browser.page_source

    # A password forgotten: the administrator makes a new one-time link on the user's page; the user sets another
    # password with it, and the old one stops working.
    as_user(browser, ADMIN)
    browser.get(f"{BASE}/admin/users/e2e.moi")
    submit(browser, "#reset-user")
    assert errors(browser) == []
    reset = reset_link(browser)
    assert "/account/reset/" in reset and reset != link
    sign_out(browser)
    browser.get(reset)
    fill(browser, "#set-password", new="mat-khau-lan-hai-e2e-2026", confirm="mat-khau-lan-hai-e2e-2026")
    submit(browser, "#set-password")
    assert "Đã đặt mật khẩu mới" in browser.page_source
    sign_in(browser, "e2e.moi", "mat-khau-moi-e2e-2026")
    assert errors(browser), "the old password still signs in"
    sign_in(browser, "e2e.moi", "mat-khau-lan-hai-e2e-2026")
    assert "Cán bộ mới (kiểm thử)" in browser.find_element(By.CSS_SELECTOR, "nav.account").text

    # Disabled by the administrator: the newcomer can no longer sign in.
    as_user(browser, ADMIN)
    browser.get(f"{BASE}/admin/users/e2e.moi")
    submit(browser, "#disable-user")
    assert browser.find_element(By.ID, "user-state").text == "Đã khóa tài khoản"
    sign_out(browser)
    sign_in(browser, "e2e.moi", "mat-khau-lan-hai-e2e-2026")
    assert any("vô hiệu hóa" in e for e in errors(browser)), errors(browser)

    # The demo's administrator disabled, this one is the last: it cannot disable itself.
    as_user(browser, ADMIN)
    browser.get(f"{BASE}/admin/users/admin")
    submit(browser, "#disable-user")
    assert errors(browser) == []
    browser.get(f"{BASE}/admin/users/{ADMIN}")
    submit(browser, "#disable-user")
    assert any("quản trị hệ thống cuối cùng đang hoạt động" in e for e in errors(browser)), errors(browser)
    # Nor change its own role.
    fill(browser, "#change-scope", role="viewer")
    submit(browser, "#change-scope")
    assert any("cuối cùng" in e or "tự thay đổi" in e for e in errors(browser)), errors(browser)
    browser.get(f"{BASE}/admin/users/admin")
    submit(browser, "#enable-user")
    browser.get(f"{BASE}/admin/users/{ADMIN}")
    fill(browser, "#change-scope", role="viewer")
    submit(browser, "#change-scope")
    assert any("Không được tự thay đổi vai trò" in e for e in errors(browser)), errors(browser)
    assert "Quản trị hệ thống" in browser.find_element(By.ID, "user-role").text

    # A ministry officer reads the list but cannot make themselves an administrator, neither by the page nor the API.
    as_user(browser, MINISTRY)
    browser.get(f"{BASE}/admin/users/{MINISTRY}")
    assert browser.find_elements(By.ID, "change-scope") == []
    status = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const csrf = document.querySelector("input[name=csrf]").value;
        fetch(arguments[0], {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"},
              body: "csrf=" + encodeURIComponent(csrf) + "&role=admin"}).then(r => done(r.status));
    """, f"{BASE}/admin/users/{MINISTRY}/scope")
    assert status == 403
    status, body = api("PATCH", f"/api/v1/users/{MINISTRY}", token(MINISTRY), {"role": "admin"})
    assert status == 403, body
    browser.refresh()
    assert "Cán bộ Bộ Công Thương" in browser.find_element(By.ID, "user-role").text
