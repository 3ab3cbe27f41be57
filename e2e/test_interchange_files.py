"""The interchange files as officials use them, through the command line: a blank template per table, read by
openpyxl and LibreOffice, filled with the examples of its own description sheet, imports; an exported workbook
prints (landscape, fitted to the width, header row on every page), shows years as plain numbers and names beside
the codes, and export → import → export gives the same bytes, in XLSX and CSV."""
import csv
import datetime
import filecmp
import os
import re
import subprocess

import openpyxl

BIN = os.environ.get("E2E_BIN", ".build/debug/khuyencong")
TABLES = ["plan_lines", "plan_targets", "projects", "disbursements", "outputs"]


def run(db, *args):
    return subprocess.run([BIN, *args], env={**os.environ, "DATABASE_PATH": db}, capture_output=True, text=True, timeout=300)


def typed(value, fmt):
    """A value as a person types it into Excel: numbers as numbers, dates as dates, codes as text."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.date.fromisoformat(value)
    if fmt.startswith("Số nguyên") and value.isdigit():
        return int(value)
    return value


def test_each_template_explains_its_columns_and_imports_once_filled(tmp_path):
    db = str(tmp_path / "fresh.sqlite")
    for table in TABLES:
        path = str(tmp_path / f"mau-{table}.xlsx")
        made = run(db, "export", "--template", "--table", table, "--output", path)
        assert made.returncode == 0, made.stderr
        book = openpyxl.load_workbook(path)
        assert book.sheetnames[:2] == [table, "Mô tả cột"]
        sheet, guide = book[table], book["Mô tả cột"]
        columns = [cell.value for cell in sheet[1]]
        assert sheet.max_row == 1 and sheet.freeze_panes == "A2" and sheet.print_title_rows in ("1:1", "$1:$1")
        assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
        described = list(guide.iter_rows(min_row=2, max_row=1 + len(columns), values_only=True))
        assert [row[0] for row in described] == columns
        assert all(row[1] and row[2] in ("Có", "Không") and row[3] and row[5] for row in described)
        if "source" in columns:
            assert "national: Khuyến công quốc gia" in next(row[4] for row in described if row[0] == "source")
        # Filled with the examples, typed as a person would, it imports.
        sheet.append([typed(str(row[5]), row[3]) for row in described])
        book.save(path)
        imported = run(db, "import", path)
        assert imported.returncode == 0, imported.stderr + imported.stdout
        assert f"{table}: đọc/read 1, tạo mới/created 1" in imported.stdout

    # LibreOffice reads the blank template: the header row is the importer's columns.
    blank = str(tmp_path / "blank.csv")
    assert run(db, "export", "--template", "--table", "outputs", "--output", blank).returncode == 0
    with open(blank, encoding="utf-8-sig", newline="") as file:
        assert file.read() == "project_code,date,indicator,quantity,basis\n".replace("\n", "\r\n")
    subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path / "lo"), str(tmp_path / "mau-projects.xlsx")], check=True, capture_output=True, timeout=180)
    header = (tmp_path / "lo" / "mau-projects-projects.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("code,title,unit_code,year,source,category")


def test_an_exported_workbook_prints_names_its_codes_and_comes_back_byte_for_byte(tmp_path):
    db = os.environ["DATABASE_PATH"]
    first, second = str(tmp_path / "first.xlsx"), str(tmp_path / "second.xlsx")
    scope = ["--table", "all", "--region", "north", "--year", "2024"]
    assert run(db, "export", *scope, "--format", "xlsx", "--output", first).returncode == 0
    book = openpyxl.load_workbook(first)
    lines = book["plan_lines"]
    header = [cell.value for cell in lines[1]]
    assert header[:5] == ["unit_code", "Tên đơn vị", "year", "source", "Tên nguồn"]
    row = [cell for cell in lines[2]]
    assert row[2].value == 2024 and row[2].number_format == "0"
    assert isinstance(row[header.index("approved_on")].value, datetime.datetime)
    assert row[4].value in ("Khuyến công quốc gia", "Khuyến công địa phương") and row[4].font.i
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth in (1, "1")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows in ("1:1", "$1:$1")

    imported = run(db, "import", first)
    assert imported.returncode == 0, imported.stderr + imported.stdout
    for line in imported.stdout.splitlines()[:5]:
        assert "tạo mới/created 0, cập nhật/updated 0" in line, imported.stdout
    assert run(db, "export", *scope, "--format", "xlsx", "--output", second).returncode == 0
    with open(first, "rb") as a, open(second, "rb") as b:
        assert a.read() == b.read()

    # The same in CSV: a folder of the documented columns, identical after its own import.
    folders = [str(tmp_path / "csv1"), str(tmp_path / "csv2")]
    assert run(db, "export", *scope, "--format", "csv", "--output", folders[0]).returncode == 0
    assert run(db, "import", folders[0]).returncode == 0
    assert run(db, "export", *scope, "--format", "csv", "--output", folders[1]).returncode == 0
    match, mismatch, errors = filecmp.cmpfiles(*folders, [f"{table}.csv" for table in TABLES], shallow=False)
    assert len(match) == 5 and not mismatch and not errors

    # LibreOffice shows the year as 2024, not 2,024 or 2.024.
    subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1",
                    "--outdir", str(tmp_path / "lo"), first], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "lo" / "first-plan_lines.csv", encoding="utf-8") as file:
        shown = list(csv.reader(file))
    assert shown[0][2] == "year" and shown[1][2] == "2024", shown[1]
