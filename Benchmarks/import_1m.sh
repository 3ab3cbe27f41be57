#!/usr/bin/env bash
# Import speed and peak memory for 1,000,000 disbursement rows, from CSV and from XLSX, on SQLite and PostgreSQL,
# each against its database's floor measured in the same run: `sqlite3 .import` of the same CSV into a bare table,
# and `COPY` of it into a bare table with psql. Prints rows/s, the floor and the ratio.
# Usage: bash Benchmarks/import_1m.sh [debug|release|BINARY] [databases]   (databases: "sqlite postgres", the default)
# Builds nothing (run `swift build [-c release]` first). PostgreSQL: scripts/postgres.sh makes a scratch database.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-release}
databases=${2:-sqlite postgres}
if [ -x "$config" ]; then bin=$config; else
  bin=.build/$config/khuyencong
  [ -x "$bin" ] || bin=.build-$config/$config/khuyencong
fi
rows=${ROWS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
python3 -c "import openpyxl" 2>/dev/null || pip install -q openpyxl

python3 Benchmarks/disbursement_rows.py "$work" "$rows"
echo "rows: $rows ($(du -h "$work/csv/disbursements.csv" | cut -f1) CSV)"

pg_url=
if [[ " $databases " == *" postgres "* ]]; then pg_url=$(bash scripts/postgres.sh khuyencong_import_bench 2>/dev/null | tail -n 1); fi

# The floors, measured before each database's imports.
sqlite_floor() {
  local start end
  rm -f "$work/floor.sqlite"
  start=$(date +%s.%N)
  sqlite3 "$work/floor.sqlite" ".mode csv" ".import $work/csv/disbursements.csv bare"
  end=$(date +%s.%N)
  python3 -c "print(round($rows / ($end - $start)))"
}
postgres_floor() {
  local start end
  psql -q "$pg_url" -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS bench_bare" -c "CREATE TABLE bench_bare (project_code text, date text, amount_vnd text, basis text)"
  start=$(date +%s.%N)
  psql -q "$pg_url" -c "\\copy bench_bare FROM '$work/csv/disbursements.csv' WITH (FORMAT csv, HEADER true)"
  end=$(date +%s.%N)
  psql -q "$pg_url" -c "DROP TABLE bench_bare"
  python3 -c "print(round($rows / ($end - $start)))"
}

measure() {   # database, label, path, floor rows/s
  local env_db
  if [ "$1" = sqlite ]; then
    env_db="DATABASE_PATH=$work/$2.sqlite"; rm -f "$work/$2.sqlite"
  else
    env_db="DATABASE_URL=$(bash scripts/postgres.sh "khuyencong_import_bench_$2" 2>/dev/null | tail -n 1)"   # a fresh database
  fi
  env "$env_db" "$bin" migrate >/dev/null
  /usr/bin/time -f "%e s, peak %M KiB" -o "$work/time" env "$env_db" "$bin" import "$3" >/dev/null
  local seconds peak
  seconds=$(cut -d' ' -f1 "$work/time"); peak=$(sed 's/.*peak \([0-9]*\) KiB/\1/' "$work/time")
  python3 -c "r = $rows / $seconds; print(f'$1 $2: {r:,.0f} rows/s ({$seconds} s), peak memory {$peak / 1024:,.0f} MiB; floor {$4:,} rows/s, ratio {r / $4:.2f}')"
}

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

for database in $databases; do
  if [ "$database" = sqlite ]; then floor=$(sqlite_floor); echo "sqlite3 .import floor: $floor rows/s"
  elif [ -n "$pg_url" ]; then floor=$(postgres_floor); echo "PostgreSQL COPY floor: $floor rows/s"
  else echo "no PostgreSQL (scripts/postgres.sh failed)"; continue; fi
  measure "$database" csv "$work/csv" "$floor"
  measure "$database" xlsx "$work/rows.xlsx" "$floor"
done
