"""The period report as an administrative document (Decree 30/2020/NĐ-CP) and the printed dashboard.

The DOCX downloaded from /reports/document is opened with python-docx and with LibreOffice (converted to PDF);
both hold the national name and motto, the title and the figures of `khuyencong report summary`. The PDF's pages
are rendered to PNG (pdftoppm) under e2e/screenshots/ to be looked at. The dashboard and the period report page
are printed by headless Chromium: A4, no blank page, a running header with the scope and date, page numbers,
chart text of 8 pt or more on paper."""
import base64
import json
import os
import re
import subprocess
import urllib.parse

import docx
import pytest
from docx.shared import Mm

from helpers import BASE, make_browser, sign_in

QUERY = "region=north&year=2024&period=H1"
BIN = os.environ["E2E_BIN"]
SHOTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "screenshots")
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def vn(number):
    """170750000000 → "170.750.000.000", as the document writes whole đồng."""
    return f"{number:,}".replace(",", ".")


def fetch(path):
    import urllib.request
    with urllib.request.urlopen(BASE + path, timeout=180) as response:
        return response.status, response.headers, response.read()


def run(*args, **kwargs):
    return subprocess.run(list(args), check=True, capture_output=True, timeout=180, **kwargs)


def pdf_pages(path):
    """The text of each page (pdftotext splits pages with a form feed)."""
    pages = run("pdftotext", "-layout", str(path), "-").stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def fill(pdf):
    """How far down each page its content reaches, as a share of the area between the margins (page numbers and
    running headers, which sit in the margins, do not count)."""
    html = run("pdftotext", "-bbox", str(pdf), "-").stdout.decode("utf-8")
    shares = []
    for page in re.split(r"<page ", html)[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        top, bottom = 16 / 25.4 * 72, height - 14 / 25.4 * 72
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page)]
        inside = [y for y in ys if top < y < bottom]
        shares.append((max(inside) - top) / (bottom - top) if inside else 0.0)
    return shares


def render(pdf, stem, pages=3):
    """The first pages as PNG in e2e/screenshots/, at a resolution where 8 pt text is still readable."""
    os.makedirs(SHOTS, exist_ok=True)
    for old in os.listdir(SHOTS):
        if old.startswith(stem + "-"):
            os.remove(os.path.join(SHOTS, old))
    run("pdftoppm", "-r", "80", "-png", "-f", "1", "-l", str(pages), str(pdf), os.path.join(SHOTS, stem))
    return sorted(name for name in os.listdir(SHOTS) if name.startswith(stem + "-"))


@pytest.fixture(scope="module")
def summary():
    """The figures of `khuyencong report summary` on the server's database."""
    out = run(BIN, "report", "summary", "--region", "north", "--year", "2024", "--period", "H1", "--format", "json",
              env=dict(os.environ)).stdout.decode("utf-8")
    return json.loads(out[out.index("{"):])


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory):
    status, headers, body = fetch(f"/reports/document?{QUERY}&format=docx")
    assert status == 200
    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert 'filename="bao-cao-khuyen-cong-north-2024-H1.docx"' in headers["Content-Disposition"]
    path = tmp_path_factory.mktemp("document") / "bao-cao.docx"
    path.write_bytes(body)
    return path


def all_text(document):
    lines = [p.text for p in document.paragraphs]
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            rows.append(cells)
            lines.extend(cells)
    return "\n".join(lines), rows


def test_python_docx_reads_the_decree_form_and_the_figures(docx_path, summary):
    document = docx.Document(str(docx_path))
    text, rows = all_text(document)
    for expected in (NATIONAL_NAME, MOTTO, "BỘ CÔNG THƯƠNG", "/BC-ĐMST", "BÁO CÁO",
                     "Tình hình thực hiện công tác khuyến công 6 tháng đầu năm 2024", "khu vực phía Bắc",
                     "I. TÌNH HÌNH THỰC HIỆN", "II. SỐ LIỆU TỔNG HỢP", "III. THEO DÕI, GIÁM SÁT", "Nơi nhận:", "CỤC TRƯỞNG",
                     "170,8 tỷ đồng, thấp hơn 8,5% so với kế hoạch năm 2023 (186,5 tỷ đồng)", "đạt 20,3% kế hoạch năm"):
        assert expected in text, expected
    assert re.search(r"Hà Nội, ngày \d\d tháng \d+ năm \d{4}", text)
    # The overview table: plan and realised, this year and last, to the đồng.
    assert ["Kế hoạch kinh phí cả năm", vn(summary["plan"]["amountVnd"]), vn(summary["plan"]["previousYearVnd"]), "−8,5%"] in rows
    assert summary["plan"]["amountVnd"] == 170_750_000_000
    realised = [row for row in rows if row[0].startswith("Thực hiện 6 tháng đầu năm 2024")]
    assert realised and realised[0][1:] == [vn(summary["realised"]["amountVnd"]), vn(summary["realised"]["samePeriodPreviousYearVnd"]), "+10,25%"]
    # Every unit of the summary, in its rank, with its plan and realisation.
    ranked = {row[1]: row for row in rows if len(row) == 5 and row[0].isdigit() and row[1] in {u["name"] for u in summary["byUnit"]}}
    assert len(ranked) == len(summary["byUnit"]) == 28
    for unit in summary["byUnit"]:
        assert ranked[unit["name"]][:4] == [str(unit["rank"]), unit["name"], vn(unit["planVnd"]), vn(unit["realisedVnd"])]
    for category in summary["byCategory"]:
        assert [category["category"], category["name"], vn(category["planVnd"])] in [row[:3] for row in rows]
    # A4 portrait, the margins of Decree 30 (left 30 mm, right 15 mm, top and bottom 20 mm).
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(1) and abs(section.top_margin - Mm(20)) < Mm(1)
    # Nothing English or raw slips through.
    assert str(summary["plan"]["amountVnd"]) not in text and "establishments_supported" not in text


def test_libreoffice_opens_the_docx_and_its_pages_look_right(docx_path, summary, tmp_path):
    run("soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
        "--outdir", str(tmp_path), str(docx_path))
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert 3 <= len(pages) <= 12
    flat = re.sub(r"\s+", " ", " ".join(pages))
    for expected in (NATIONAL_NAME, MOTTO, "BÁO CÁO", vn(summary["plan"]["amountVnd"]), vn(summary["realised"]["amountVnd"]),
                     "Nơi nhận:"):
        assert expected in flat, expected
    # Every page has content (no blank page) and, from page 2, its number at the top.
    for number, page in enumerate(pages, start=1):
        assert len(page.split()) > 10, f"page {number} is almost blank"
        if number > 1:
            assert page.strip().splitlines()[0].strip() == str(number)
    # The closing sentence stands on the page of the signature block.
    assert "./." in pages[-1] and "Nơi nhận:" in pages[-1]
    assert render(pdf, "report-document")


def test_the_server_answers_the_pdf_and_the_command_writes_the_province_report(tmp_path):
    status, headers, body = fetch(f"/reports/document?{QUERY}&format=pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    output = tmp_path / "thanh-hoa.docx"
    run(BIN, "report", "document", "--unit", "38", "--year", "2024", "--period", "FY", "--format", "docx", "--output", str(output),
        env=dict(os.environ))
    text, _ = all_text(docx.Document(str(output)))
    for expected in ("ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "SỞ CÔNG THƯƠNG", "/BC-SCT", "GIÁM ĐỐC", "cả năm 2024\ntỉnh Thanh Hóa", MOTTO):
        assert expected in text, expected
    failed = subprocess.run([BIN, "report", "document", "--unit", "38", "--year", "2024", "--period", "FY", "--format", "odt",
                             "--output", str(tmp_path / "x.odt")], capture_output=True, env=dict(os.environ), timeout=60)
    assert failed.returncode == 1 and "không hỗ trợ" in failed.stderr.decode("utf-8")


def chromium_print(url, pdf):
    run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--lang=vi",
        f"--print-to-pdf={pdf}", url)


def page_sizes(pdf):
    info = run("pdfinfo", "-f", "1", "-l", "999", str(pdf)).stdout.decode("utf-8")
    return re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)


def test_the_dashboard_prints_on_a4_with_header_page_numbers_and_no_blank_page(tmp_path):
    pdf = tmp_path / "dashboard.pdf"
    # Headless Chromium asks for English whatever --lang says: the print goes through the visitor's language switch.
    chromium_print(f"{BASE}/language?lang=vi&back=" + urllib.parse.quote(f"/dashboard?{QUERY}", safe=""), pdf)
    sizes = page_sizes(pdf)
    assert sizes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes), sizes
    pages = pdf_pages(pdf)
    # Eight at most: the monitoring lists grew by three (the ministry step, settlements per unit, quarterly reports).
    assert len(pages) <= 8, f"the dashboard prints on {len(pages)} pages"
    for number, page in enumerate(pages, start=1):
        assert "Báo cáo khuyến công – Khu vực phía Bắc – 6 tháng đầu năm 2024" in page
        assert "Số liệu đến ngày" in page
        assert f"Trang {number} / {len(pages)}" in page
        # More than the header and the page number on every page.
        assert len(page.split()) > 40, f"page {number} is almost blank"
    # No page but the last is left mostly empty (a chart or table that does not fit pushed to the next page).
    shares = fill(pdf)
    assert all(share > 0.6 for share in shares[:-1]), [round(share, 2) for share in shares]
    assert "Tải XLSX" not in pages[0] and "Xem" not in pages[0].split()
    render(pdf, "dashboard-print", pages=len(pages))


def test_chart_text_is_at_least_8_pt_on_paper():
    """The charts as laid out for print on A4 (186 mm of text width = 703 CSS px): every text of every chart at
    its printed size."""
    browser = make_browser()
    try:
        browser.get(f"{BASE}/dashboard?{QUERY}")
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 703, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        smallest = browser.execute_script("""
            let min = 1e9;
            for (const svg of document.querySelectorAll('svg.chart')) {
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              for (const t of svg.querySelectorAll('text')) min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
            }
            return min;""")
        assert smallest * 0.75 >= 8, f"chart text prints at {smallest * 0.75:.1f} pt"
    finally:
        browser.quit()


def test_the_period_report_pages_print_with_header_and_page_numbers(tmp_path):
    """A signed-in report page, printed by the same Chromium engine (DevTools Page.printToPDF with the page's CSS)."""
    browser = make_browser()
    try:
        sign_in(browser, os.environ["E2E_MINISTRY"])
        browser.get(f"{BASE}/period-reports?year=2024&period=H1")
        result = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    finally:
        browser.quit()
    pdf = tmp_path / "period-reports.pdf"
    pdf.write_bytes(base64.b64decode(result["data"]))
    sizes = page_sizes(pdf)
    assert sizes and all(abs(float(w) - 595.3) < 1 for w, _ in sizes)
    pages = pdf_pages(pdf)
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number} / {len(pages)}" in page
        assert "Khuyến công – Bộ Công Thương" in page
        assert len(page.split()) > 15, f"page {number} is almost blank"
    render(pdf, "period-reports-print", pages=1)
