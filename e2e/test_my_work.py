"""Each role signs in and finds its work on the first page ("Việc của tôi"), with the count in the navigation; each
item leads to where the work is done. A province officer reaches their province and its period reports."""
import os

import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, make_browser, sign_in

OFFICER = os.environ["E2E_OFFICER"]
DRAFT = os.environ["E2E_DRAFT_CODE"]
ROAD_OFFICER = os.environ["E2E_ROAD_OFFICER"]
ROAD_UNIT = os.environ["E2E_ROAD_UNIT"]
APPRAISER = os.environ["E2E_APPRAISER"]
REVIEWER = os.environ["E2E_REVIEWER"]
MINISTRY = os.environ["E2E_MINISTRY"]


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


def first_page(browser, username):
    """Signs in from the sign-in page and returns the items of the page it lands on, by group."""
    sign_in(browser, username)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Việc của tôi"
    counts = [int(small.text.strip("()")) for small in browser.find_elements(By.CSS_SELECTOR, "section.work-group h2 small")]
    badge = browser.find_elements(By.CSS_SELECTOR, "#nav-my-work .badge")
    assert badge and badge[0].text == str(sum(counts)), "the navigation counts the items on the page"
    return {section.get_attribute("id"): section.find_elements(By.CSS_SELECTOR, "li a")
            for section in browser.find_elements(By.CSS_SELECTOR, "section.work-group")}


def test_the_province_officer_finds_their_draft_and_their_province(browser):
    groups = first_page(browser, OFFICER)
    drafts = groups.get("work-draft", [])
    assert any(link.get_attribute("href").endswith(f"/projects/{DRAFT}") for link in drafts), [l.text for l in drafts]
    next(link for link in drafts if link.get_attribute("href").endswith(f"/projects/{DRAFT}")).click()
    assert browser.current_url.endswith(f"/projects/{DRAFT}")

    browser.get(BASE + "/")
    browser.find_element(By.ID, "nav-my-province").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#period-reports tbody tr"), "the province page lists its period reports"
    browser.find_element(By.CSS_SELECTOR, "#period-reports tbody tr a").click()
    assert "/period-reports/" in browser.current_url
    assert "báo cáo" in browser.find_element(By.TAG_NAME, "h1").text


def test_the_road_officer_sees_next_years_plan_and_lists_their_period_reports(browser):
    groups = first_page(browser, ROAD_OFFICER)
    assert groups.get("work-plan"), "Thanh Hóa's plan of next year is not approved yet: it is on the list"
    browser.find_element(By.LINK_TEXT, "Báo cáo kỳ").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert rows and all(f"/period-reports/{ROAD_UNIT}@" in row.find_element(By.TAG_NAME, "a").get_attribute("href") for row in rows)


def test_the_appraiser_finds_a_project_to_score(browser):
    groups = first_page(browser, APPRAISER)
    waiting = groups.get("work-appraisal", [])
    assert waiting, "a northern project waits for this appraiser's score"
    waiting[0].click()
    assert browser.find_elements(By.CSS_SELECTOR, "#tham-dinh form"), "the item leads to the scoring form"


def test_the_reviewer_finds_period_reports_to_review(browser):
    groups = first_page(browser, REVIEWER)
    reports = groups.get("work-period_report_review", [])
    assert reports, "submitted northern reports wait for review"
    reports[0].click()
    assert "/period-reports/" in browser.current_url
    assert browser.find_elements(By.CSS_SELECTOR, "form[action$='/approve']"), "the report page offers the approval"


def test_the_ministry_finds_projects_waiting_for_allocation(browser):
    groups = first_page(browser, MINISTRY)
    assert groups.get("work-allocation"), "approved national projects wait for their allocation"
    assert groups.get("work-overdue_report") is not None or groups.get("work-registration") is not None
