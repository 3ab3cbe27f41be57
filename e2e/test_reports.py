"""The dashboard in a real browser, and its XLSX download read back by openpyxl and LibreOffice with the numbers
of the JSON report."""
import json
import os
import subprocess
import tempfile
import urllib.request

import openpyxl
import pytest
from selenium.webdriver.common.by import By

from helpers import BASE, make_browser

QUERY = "region=north&year=2024&period=H1"
TOKEN = os.environ["E2E_TOKEN"]


def fetch(path, token=None):
    request = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request) as response:
        return response.read()


@pytest.fixture(scope="module")
def summary():
    return json.loads(fetch(f"/api/v1/reports/summary?{QUERY}", TOKEN))


@pytest.fixture(scope="module")
def workbook_path():
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    with os.fdopen(handle, "wb") as file:
        file.write(fetch(f"/dashboard.xlsx?{QUERY}"))
    yield path
    os.remove(path)


def test_the_dashboard_renders_with_vietnamese_text(tmp_path):
    browser = make_browser()
    try:
        browser.set_window_size(1280, 2400)
        browser.get(f"{BASE}/dashboard?{QUERY}")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Khu vực phía Bắc: 6 tháng đầu năm 2024"
        narrative = browser.find_element(By.CSS_SELECTOR, ".narrative").text
        assert "170,8 tỷ đồng, thấp hơn 8,5% so với kế hoạch năm 2023 (186,5 tỷ đồng)" in narrative
        assert "khuyến công địa phương hỗ trợ được 57 cơ sở" in narrative
        assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 3
        # The text as laid out by the browser keeps its combining marks (ắ, ệ, ư, ơ).
        heading_width = browser.execute_script("return document.querySelector('h1').getBoundingClientRect().width")
        assert heading_width > 200
        browser.save_screenshot(os.path.join(os.environ.get("E2E_SCREENSHOTS", str(tmp_path)), "dashboard.png"))
    finally:
        browser.quit()


def test_a_long_monitoring_list_shows_its_first_lines_and_links_to_the_whole_list():
    """The dashboard shows the first units of the overdue settlements; "… và N mục khác" opens every unit, with
    every project, for the same scope."""
    browser = make_browser()
    try:
        browser.get(f"{BASE}/dashboard?{QUERY}")
        shown = browser.find_elements(By.CSS_SELECTOR, "#overdue-settlements > li")
        more = browser.find_element(By.CSS_SELECTOR, "#overdue-settlements ~ p.more a")
        hidden = int(more.text.split()[2].replace(".", ""))
        assert 0 < len(shown) <= 5 and more.text == f"… và {hidden} mục khác"
        first = shown[0].find_element(By.TAG_NAME, "summary").text
        more.click()
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Quyết toán quá hạn (")
        units = browser.find_elements(By.CSS_SELECTOR, "ul.monitoring-list > li")
        assert len(units) == len(shown) + hidden
        assert units[0].text.startswith(first)
        # Every project of a unit, where the dashboard showed three.
        assert len(units[0].find_elements(By.CSS_SELECTOR, "ul > li")) == int(first.split(": ")[1].split()[0])
        browser.find_element(By.LINK_TEXT, "← Bảng số liệu").click()
        assert browser.find_element(By.TAG_NAME, "h1").text == "Khu vực phía Bắc: 6 tháng đầu năm 2024"
    finally:
        browser.quit()


# Every text of a chart as the browser draws it: its on-screen font size (the SVG's scale times its own size), and
# the words of the category labels, which wrap onto lines instead of being cut.
CHART_TEXT = """
return [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => ({
    px: scale * parseFloat(getComputedStyle(t).fontSize), text: t.textContent, chart: svg.getAttribute('aria-label')}));
});
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_text_is_legible_and_labels_are_whole(width):
    browser = make_browser()
    try:
        browser.set_window_size(width, 2400)
        browser.get(f"{BASE}/dashboard?{QUERY}")
        texts = browser.execute_script(CHART_TEXT)
        assert texts and min(t["px"] for t in texts) >= 11, [t for t in texts if t["px"] < 11][:3]
        labels = " ".join(t["text"] for t in texts if t["chart"] == "Kế hoạch và thực hiện theo nội dung")
        assert "…" not in labels
        assert "chuyển giao công nghệ" in " ".join(labels.split())
        # A value axis: three ticks from 0 under each bar chart.
        ticks = browser.execute_script(
            "return [...document.querySelectorAll('svg.chart')].map(s => s.querySelectorAll('line').length)")
        assert all(count >= 3 for count in ticks)
    finally:
        browser.quit()


def test_openpyxl_reads_the_same_numbers(workbook_path, summary):
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["Tổng hợp", "Nội dung", "Nguồn kinh phí", "Chỉ tiêu", "Đơn vị", "Tình hình thực hiện", "Theo dõi, giám sát"]
    overview = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert overview["Năm kế hoạch"] == 2024 and book["Tổng hợp"]["B3"].number_format == "0"
    assert overview["Kế hoạch (đồng)"] == summary["plan"]["amountVnd"] == 170_750_000_000
    assert overview["Thực hiện (đồng)"] == summary["realised"]["amountVnd"]
    assert isinstance(overview["Thực hiện (đồng)"], int)
    assert book["Tổng hợp"].freeze_panes == "A2"
    # Printed on A4 landscape, fitted to the width, the header row on every page.
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows in ("1:1", "$1:$1")
    # The narrative and the monitoring findings, as in the report document.
    narrative = " ".join(row[0] for row in book["Tình hình thực hiện"].iter_rows(min_row=2, values_only=True))
    assert "170,8 tỷ đồng" in narrative
    findings = [row[0] for row in book["Theo dõi, giám sát"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert findings[0] == "Đăng ký đề án khuyến công quốc gia muộn" and len(findings) == 8
    assert [row[1] for row in book["Nguồn kinh phí"].iter_rows(min_row=2, values_only=True)] == ["Khuyến công quốc gia", "Khuyến công địa phương"]
    units = list(book["Đơn vị"].iter_rows(min_row=2, values_only=True))
    assert len(units) == len(summary["byUnit"]) == 28
    by_code = {unit["unitCode"]: unit for unit in summary["byUnit"]}
    for rank, code, name, plan, realised, _ in units:
        assert by_code[code]["planVnd"] == plan and by_code[code]["realisedVnd"] == realised and by_code[code]["name"] == name


def test_libreoffice_reads_the_same_numbers(workbook_path, summary, tmp_path):
    subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path), workbook_path], check=True, capture_output=True, timeout=180)
    stem = os.path.splitext(os.path.basename(workbook_path))[0]
    overview = (tmp_path / f"{stem}-Tổng hợp.csv").read_text(encoding="utf-8")
    assert f"Kế hoạch (đồng),{summary['plan']['amountVnd']}" in overview
    assert f"Thực hiện (đồng),{summary['realised']['amountVnd']}" in overview
    units = (tmp_path / f"{stem}-Đơn vị.csv").read_text(encoding="utf-8")
    assert "Bắc Giang" in units and str(by_plan(summary, "24")) in units


def by_plan(summary, code):
    return next(unit["planVnd"] for unit in summary["byUnit"] if unit["unitCode"] == code)
