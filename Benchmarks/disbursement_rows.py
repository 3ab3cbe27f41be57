"""Writes DIR/csv/projects.csv (200 projects of Thanh Hóa, 2026, in progress) and DIR/csv/disbursements.csv (ROWS payments
spread over them), the same bytes on every run: the import benchmarks' data.
Usage: python3 Benchmarks/disbursement_rows.py DIR ROWS [CODE_PREFIX] [DAY_STEP] [DAYS]
(payment i is dated 2026-01-01 + (i * DAY_STEP) % DAYS days; defaults KC-BM, 1, 300)."""
import csv, datetime, os, sys

work, rows = sys.argv[1], int(sys.argv[2])
prefix = sys.argv[3] if len(sys.argv) > 3 else "KC-BM"
step, days = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (1, 300)
os.makedirs(f"{work}/csv", exist_ok=True)
projects = [f"{prefix}-{i:04d}" for i in range(200)]
with open(f"{work}/csv/projects.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["code", "title", "unit_code", "year", "source", "category", "implementing_unit", "support_vnd", "status"])
    for i, code in enumerate(projects):
        w.writerow([code, f"Đề án đo tốc độ {i}", "38", 2026, "local", "1", "Trung tâm Khuyến công Thanh Hóa", 10**12, "in_progress"])
start = datetime.date(2026, 1, 1)
with open(f"{work}/csv/disbursements.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["project_code", "date", "amount_vnd", "basis"])
    for i in range(rows):
        w.writerow([projects[i % 200], (start + datetime.timedelta(days=(i * step) % days)).isoformat(), 1_000_000 + i,
                    "actual" if i % 3 else "estimate"])
