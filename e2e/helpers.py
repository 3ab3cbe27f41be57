"""Shared steps for the browser tests."""
import json
import os
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["E2E_BASE_URL"]
PASSWORD = os.environ["E2E_PASSWORD"]


def make_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--lang=vi"):
        options.add_argument(arg)
    # A Vietnamese official's browser: pages are chosen by Accept-Language, which --lang does not set in headless mode.
    options.add_experimental_option("prefs", {"intl.accept_languages": "vi-VN,vi"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for_page_change(browser, old_url, timeout=10):
    """After a form post: wait until the browser is on another page, or the same page rendered anew."""
    WebDriverWait(browser, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete" and
        (d.current_url != old_url or d.find_elements(By.CSS_SELECTOR, ".error") or d.execute_script("return !window.__stay")))


def submit(browser, form_selector):
    """Submits a form and waits for the answer to be loaded."""
    browser.execute_script("window.__stay = true")
    browser.find_element(By.CSS_SELECTOR, form_selector + " button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.__stay === undefined"))


def sign_in(browser, username, password=PASSWORD):
    browser.get(f"{BASE}/login")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    submit(browser, "form.stack")


def sign_out(browser):
    browser.execute_script("window.__stay = true")
    browser.find_element(By.CSS_SELECTOR, "nav.account form button").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.__stay === undefined"))


def fill(browser, form_selector, **fields):
    for name, value in fields.items():
        element = browser.find_element(By.CSS_SELECTOR, f"{form_selector} [name='{name}']")
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            browser.execute_script("arguments[0].value = arguments[1]", element, value)


def errors(browser):
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".error")]


def api(method, path, token=None, body=None):
    """A JSON request to the server: (status, decoded body)."""
    request = urllib.request.Request(f"{BASE}{path}", method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def api_token(username, password=PASSWORD):
    status, body = api("POST", "/api/v1/auth/token", body={"username": username, "password": password})
    assert status == 201, body
    return body["token"]
