"""Workbooks written by other programs import through the command line: one written by openpyxl (shared strings,
dates as serial numbers, empty cells, styles), and the same converted by LibreOffice. An exported XLSX reads back
in openpyxl and LibreOffice with the same numbers as the CSV export."""
import csv
import datetime
import os
import subprocess
import tempfile

import openpyxl
from openpyxl.styles import Font

BIN = os.environ.get("E2E_BIN", ".build/debug/khuyencong")


def run(db, *args, stdin=None):
    return subprocess.run([BIN, *args], env={**os.environ, "DATABASE_PATH": db}, capture_output=True, text=True, input=stdin, timeout=300)


def workbook(path):
    book = openpyxl.Workbook()
    lines = book.active
    lines.title = "plan_lines"
    lines.append(["unit_code", "year", "source", "category", "amount_vnd", "approved_on", "decision_no"])
    lines.append(["38", 2026, "national", "1", 2_000_000_000, datetime.date(2025, 12, 15), "12/QĐ-UBND"])
    lines.append(["38", 2026, "local", "2", 750_000_000, datetime.date(2025, 12, 20), "13/QĐ-UBND"])
    lines["A1"].font = Font(bold=True)
    projects = book.create_sheet("projects")
    projects.append(["code", "title", "unit_code", "year", "source", "category", "implementing_unit", "beneficiary_tax_code",
                     "beneficiary_name", "support_vnd", "counterpart_vnd", "status", "submitted_on", "approved_on", "allocated_on"])
    projects.append(["KC-OPX-1", "Hỗ trợ lò sấy chè tiết kiệm năng lượng", "38", 2026, "national", "1", "Trung tâm Khuyến công Thanh Hóa",
                     "0100109106", "HTX chè Bát Mọt", 300_000_000, 400_000_000, "in_progress", datetime.date(2025, 5, 10),
                     datetime.date(2026, 1, 10), datetime.date(2026, 1, 20)])
    money = book.create_sheet("disbursements")
    money.append(["project_code", "date", "amount_vnd", "basis"])
    money.append(["KC-OPX-1", datetime.date(2026, 3, 1), 120_000_000, "actual"])
    money.append(["KC-OPX-1", datetime.date(2026, 4, 2), None, "estimate"])   # an empty amount: refused
    book.save(path)


def test_an_openpyxl_workbook_with_an_empty_cell_is_refused_then_imports_once_fixed(tmp_path):
    db, path = str(tmp_path / "a.sqlite"), str(tmp_path / "openpyxl.xlsx")
    workbook(path)
    refused = run(db, "import", path)
    assert refused.returncode != 0
    assert "disbursements:3:amount_vnd" in refused.stderr + refused.stdout
    assert run(db, "report", "summary", "--unit", "38", "--year", "2026", "--period", "H1", "--format", "json").stdout.count('"amountVnd" : 0') == 2

    book = openpyxl.load_workbook(path)
    book["disbursements"].delete_rows(3)
    book.save(path)
    imported = run(db, "import", path)
    assert imported.returncode == 0, imported.stderr
    assert "plan_lines: đọc/read 2, tạo mới/created 2" in imported.stdout
    summary = run(db, "report", "summary", "--unit", "38", "--year", "2026", "--period", "H1", "--format", "json").stdout
    assert '"amountVnd" : 2750000000' in summary and '"amountVnd" : 120000000' in summary


def test_a_workbook_saved_by_libreoffice_imports_the_same_rows(tmp_path):
    source = str(tmp_path / "source.xlsx")
    workbook(source)
    book = openpyxl.load_workbook(source)
    book["disbursements"].delete_rows(3)
    book.save(source)
    # LibreOffice rewrites it with its own shared strings, styles and date formats.
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), source],
                   check=True, capture_output=True, timeout=180)
    converted = str(out / "source.xlsx")
    db = str(tmp_path / "b.sqlite")
    imported = run(db, "import", converted)
    assert imported.returncode == 0, imported.stderr + imported.stdout
    assert "projects: đọc/read 1, tạo mới/created 1" in imported.stdout
    again = run(db, "import", converted)
    assert "disbursements: đọc/read 1, tạo mới/created 0, cập nhật/updated 0, không đổi/unchanged 1" in again.stdout


def test_an_exported_workbook_reads_back_with_the_numbers_of_the_csv_export(tmp_path):
    db = os.environ["DATABASE_PATH"]
    xlsx, folder = str(tmp_path / "all.xlsx"), str(tmp_path / "csv")
    assert run(db, "export", "--table", "all", "--region", "north", "--year", "2024", "--format", "xlsx", "--output", xlsx).returncode == 0
    assert run(db, "export", "--table", "all", "--region", "north", "--year", "2024", "--format", "csv", "--output", folder).returncode == 0
    with open(os.path.join(folder, "disbursements.csv"), encoding="utf-8-sig") as file:
        expected = [(row["project_code"], row["date"], int(row["amount_vnd"])) for row in csv.DictReader(file)]
    # The workbook has the documented columns plus the Vietnamese names beside the codes ("Tên đề án"): read by header.
    header, *rows = openpyxl.load_workbook(xlsx)["disbursements"].iter_rows(values_only=True)
    at = {name: index for index, name in enumerate(header)}
    assert header[at["project_code"] + 1] == "Tên đề án" and header[at["basis"] + 1] == "Tên cơ sở số liệu"
    actual = [(row[at["project_code"]], row[at["date"]].date().isoformat(), row[at["amount_vnd"]]) for row in rows]
    assert actual == expected and len(actual) > 100
    subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path / "lo"), xlsx], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "lo" / "all-disbursements.csv", encoding="utf-8") as file:
        header, *rows = list(csv.reader(file))
    assert [int(row[header.index("amount_vnd")]) for row in rows] == [amount for _, _, amount in expected]
