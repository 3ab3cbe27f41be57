#!/usr/bin/env bash
# Import speed and peak memory for 1,000,000 disbursement rows, from CSV and from XLSX, on SQLite.
# Usage: bash Benchmarks/import_1m.sh [debug|release]   (builds nothing; run `swift build [-c release]` first)
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-release}
bin=.build/$config/khuyencong
[ -x "$bin" ] || bin=.build-$config/$config/khuyencong
rows=${ROWS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
python3 -c "import openpyxl" 2>/dev/null || pip install -q openpyxl

python3 - "$work" "$rows" <<'PY'
import csv, datetime, os, random, sys
work, rows = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{work}/csv")
random.seed(1)
projects = [f"KC-BM-{i:04d}" for i in range(200)]
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
        w.writerow([projects[i % 200], (start + datetime.timedelta(days=i % 300)).isoformat(), 1_000_000 + i, "actual" if i % 3 else "estimate"])
PY
echo "rows: $rows ($(du -h "$work/csv/disbursements.csv" | cut -f1) CSV)"

measure() {   # label, path
  local db="$work/$1.sqlite"
  DATABASE_PATH="$db" "$bin" migrate >/dev/null
  /usr/bin/time -f "%e s, peak %M KiB" -o "$work/time" env DATABASE_PATH="$db" "$bin" import "$2" >/dev/null
  local seconds peak
  seconds=$(cut -d' ' -f1 "$work/time"); peak=$(sed 's/.*peak \([0-9]*\) KiB/\1/' "$work/time")
  python3 -c "print(f'$1: {$rows / $seconds:,.0f} rows/s ({$seconds} s), peak memory {$peak / 1024:,.0f} MiB')"
}
measure csv "$work/csv"

python3 - "$work" <<'PY'
import csv, datetime, sys
from openpyxl import Workbook
work = sys.argv[1]
book = Workbook(write_only=True)
for name in ("projects", "disbursements"):
    sheet = book.create_sheet(name)
    with open(f"{work}/csv/{name}.csv", encoding="utf-8") as f:
        for i, row in enumerate(csv.reader(f)):
            if i and name == "disbursements":
                row = [row[0], datetime.date.fromisoformat(row[1]), int(row[2]), row[3]]
            sheet.append(row)
book.save(f"{work}/rows.xlsx")
PY
echo "xlsx: $(du -h "$work/rows.xlsx" | cut -f1)"
measure xlsx "$work/rows.xlsx"

# The floor: sqlite3 .import of the same CSV into a bare table.
start=$(date +%s.%N)
sqlite3 "$work/floor.sqlite" ".mode csv" ".import $work/csv/disbursements.csv bare"
end=$(date +%s.%N)
python3 -c "s = $end - $start; print(f'sqlite3 .import floor: {$rows / s:,.0f} rows/s ({s:.1f} s)')"
