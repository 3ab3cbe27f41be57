#!/usr/bin/env bash
# Import speed and peak memory for 1,000,000 disbursement rows, from CSV and from XLSX, on SQLite and PostgreSQL,
# each against two floors measured in the same run: the database's own bulk load of the same CSV into a bare table
# (`sqlite3 .import`, psql `\copy`), the issue's floor; and the same loaders filling the real `disbursements` table of
# a migrated database (its primary key, covering index, foreign key and version trigger; the rows with their ids, in
# the order the import writes them), the floor this schema sets. Prints rows/s, both floors and both ratios.
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

# The same payments as rows of the real table: ids ascending, in the import's order (project id, date), the project
# ids as the database stores them (upper-case text on SQLite).
table_rows() {   # database, file of "code|id" lines, output file
  python3 - "$work/csv/disbursements.csv" "$2" "$3" "$1" <<'PY'
import csv, sys
source, ids, out, database = sys.argv[1:]
project = dict(line.strip().split("|") for line in open(ids) if line.strip())
with open(source, encoding="utf-8") as f:
    rows = [(project[r[0]], r[1], r[2], r[3]) for i, r in enumerate(csv.reader(f)) if i]
rows.sort(key=lambda r: (r[0].upper(), r[1]))
with open(out, "w") as f:
    for n, (pid, date, amount, basis) in enumerate(rows):
        rid = f"00000000-0000-4000-8000-{n:012X}"
        if database == "postgres": rid, pid = rid.lower(), pid.lower()
        f.write(f"{rid}\t{pid}\t{date}\t{amount}\t{basis}\tpayment\n")
PY
}
# The schema's floor: migrate, import the 200 projects with the binary, then the database's loader into `disbursements`.
sqlite_table_floor() {
  local db="$work/table_floor.sqlite" start end
  rm -f "$db" "$db-wal" "$db-shm"; mkdir -p "$work/projects_only"; cp "$work/csv/projects.csv" "$work/projects_only/"
  DATABASE_PATH=$db "$bin" migrate >/dev/null; DATABASE_PATH=$db "$bin" import "$work/projects_only" >/dev/null
  sqlite3 "$db" "SELECT code || '|' || id FROM projects" > "$work/ids"
  table_rows sqlite "$work/ids" "$work/table_rows.tsv"
  # The import sets the per-row version trigger aside and raises each unit's version once (BulkTriggers).
  sqlite3 "$db" "DROP TRIGGER unit_data_version_disbursements_insert"
  start=$(date +%s.%N)
  sqlite3 "$db" "PRAGMA foreign_keys=ON" ".mode tabs" ".import $work/table_rows.tsv disbursements"
  end=$(date +%s.%N)
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM disbursements")" = "$rows" ] || { echo "the real-table floor did not load every row" >&2; exit 1; }
  python3 -c "print(round($rows / ($end - $start)))"
}
postgres_table_floor() {
  local url start end
  url=$(bash scripts/postgres.sh khuyencong_import_bench_table 2>/dev/null | tail -n 1)
  mkdir -p "$work/projects_only"; cp "$work/csv/projects.csv" "$work/projects_only/"
  DATABASE_URL=$url "$bin" migrate >/dev/null; DATABASE_URL=$url "$bin" import "$work/projects_only" >/dev/null
  psql -At "$url" -c "SELECT code || '|' || id FROM projects" > "$work/ids"
  table_rows postgres "$work/ids" "$work/table_rows.tsv"
  start=$(date +%s.%N)
  psql -q "$url" -c "\\copy disbursements FROM '$work/table_rows.tsv'"
  end=$(date +%s.%N)
  [ "$(psql -At "$url" -c "SELECT COUNT(*) FROM disbursements")" = "$rows" ] || { echo "the real-table floor did not load every row" >&2; exit 1; }
  python3 -c "print(round($rows / ($end - $start)))"
}

measure() {   # database, label, path, floor rows/s, the schema's floor rows/s
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
  python3 -c "r = $rows / $seconds; print(f'$1 $2: {r:,.0f} rows/s ({$seconds} s), peak memory {$peak / 1024:,.0f} MiB; floor {$4:,} rows/s, ratio {r / $4:.2f}; real-table floor {$5:,} rows/s, ratio {r / $5:.2f}')"
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
  if [ "$database" = sqlite ]; then
    floor=$(sqlite_floor); echo "sqlite3 .import floor: $floor rows/s"
    table_floor=$(sqlite_table_floor); echo "sqlite3 .import real-table floor (the migrated disbursements table): $table_floor rows/s"
  elif [ -n "$pg_url" ]; then
    floor=$(postgres_floor); echo "PostgreSQL COPY floor: $floor rows/s"
    table_floor=$(postgres_table_floor); echo "PostgreSQL COPY real-table floor (the migrated disbursements table): $table_floor rows/s"
  else echo "no PostgreSQL (scripts/postgres.sh failed)"; continue; fi
  measure "$database" csv "$work/csv" "$floor" "$table_floor"
  measure "$database" xlsx "$work/rows.xlsx" "$floor" "$table_floor"
done
