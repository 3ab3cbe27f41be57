#!/usr/bin/env bash
# The benchmark table, on SQLite and on PostgreSQL: report summary against a raw SQL floor (one hand-written
# statement over the raw rows, in sqlite3 / psql), HTTP under wrk at full load against a constant route
# (the framework's ceiling) and at a fixed rate of about 1,000 requests per second (p99), peak memory.
# Usage: bash Benchmarks/run.sh [scale] [years] [databases]
#        scale: small | region | national (default region), years (default 10), databases: "sqlite postgres"
# Build first: swift build -c release   (the script uses .build/release, or .build-release/release)
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-region}; years=${2:-10}; databases=${3:-sqlite postgres}
bin=.build/release/khuyencong
[ -x "$bin" ] || bin=.build-release/release/khuyencong
[ -x "$bin" ] || { echo "build first: swift build -c release"; exit 1; }
for tool in wrk sqlite3 /usr/bin/time; do command -v "$tool" >/dev/null || { apt-get update -qq; apt-get install -y -qq wrk sqlite3 time >/dev/null; }; done
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
year=$(date +%Y)
port=18181
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); scale $scale, $years years"

# The floor: plan and realised amount of a scope, year $year, H1, in one statement. $1: an extra condition on
# the unit (region), or nothing for the country.
floor_sql() {
  local unit_filter=$1
  cat <<SQL
WITH latest AS (SELECT pl.id, pl.unit_id, MAX(r.approved_on) AS approved_on FROM plan_lines pl JOIN plan_line_revisions r ON r.plan_line_id = pl.id WHERE pl.year = $year GROUP BY pl.id, pl.unit_id)
SELECT (SELECT SUM(r.amount_vnd) FROM latest l JOIN plan_line_revisions r ON r.plan_line_id = l.id AND r.approved_on = l.approved_on JOIN admin_units u ON u.id = l.unit_id WHERE 1 = 1 $unit_filter) AS plan,
       (SELECT SUM(d.amount_vnd) FROM disbursements d JOIN projects p ON p.id = d.project_id JOIN admin_units u ON u.id = p.unit_id
         WHERE p.year = $year $unit_filter AND d.on_date BETWEEN '$year-01-01' AND '$year-06-30'
           AND (d.basis = 'actual' OR NOT EXISTS (SELECT 1 FROM disbursements a WHERE a.project_id = d.project_id AND a.basis = 'actual' AND a.on_date BETWEEN '$year-01-01' AND '$year-06-30'))) AS realised;
SQL
}

floor_sqlite() {   # label, sql
  python3 - "$DATABASE_PATH" "$1" "$2" <<'PY'
import sqlite3, sys, time
db, label, sql = sys.argv[1:4]
connection = sqlite3.connect(db)
times = []
for _ in range(11):
    start = time.perf_counter(); row = connection.execute(sql).fetchone(); times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"  floor {label} (sqlite3): p50 {times[5]:.1f} ms, p99 {times[-1]:.1f} ms; plan {row[0]}, realised {row[1]}")
PY
}

floor_postgres() {   # label, sql
  { echo '\timing on'; for _ in $(seq 1 11); do echo "$2"; done; } | psql -X -q -A -t "$DATABASE_URL" > "$work/psql.out"
  python3 - "$1" "$work/psql.out" <<'PY'
import re, sys
label, path = sys.argv[1:3]
text = open(path).read()
times = sorted(float(t) for t in re.findall(r"Time: ([0-9.]+) ms", text))
row = text.splitlines()[0]
print(f"  floor {label} (psql): p50 {times[5]:.1f} ms, p99 {times[-1]:.1f} ms; plan|realised {row}")
PY
}

for database in $databases; do
  echo "== $database =="
  if [ "$database" = postgres ]; then
    export DATABASE_URL=$(bash scripts/postgres.sh khuyencong_bench)
    unset DATABASE_PATH
  else
    export DATABASE_PATH="$work/bench.sqlite"
    unset DATABASE_URL
  fi
  /usr/bin/time -f "%e s, peak %M KiB" -o "$work/seed-time" "$bin" seed --synthetic --years "$years" --scale "$scale" | tail -1
  echo "  seed: $(cat "$work/seed-time")"

  for area in "--region north" "--country"; do
    echo "  report summary $area $year H1 (in process, release): $("$bin" report summary $area --year "$year" --period H1 --repeat 21);" \
         "$("$bin" report summary $area --year "$year" --period H1 --format json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(f"plan {d['"'"'plan'"'"']['"'"'amountVnd'"'"']}, realised {d['"'"'realised'"'"']['"'"'amountVnd'"'"']}")')"
  done
  floor_$database "region north" "$(floor_sql "AND u.region_code = 'north'")"
  floor_$database "country" "$(floor_sql "")"

  PORT=$port "$bin" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do curl -fs http://127.0.0.1:$port/health >/dev/null 2>&1 && break; sleep 0.2; done
  echo "benchmark-password" | "$bin" user create --username bench.ministry --role ministry_officer --password-stdin >/dev/null
  token=$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"username":"bench.ministry","password":"benchmark-password"}' \
          http://127.0.0.1:$port/api/v1/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  pick="SELECT code FROM projects ORDER BY code LIMIT 1"
  if [ "$database" = postgres ]; then project=$(psql -X -tA "$DATABASE_URL" -c "$pick"); else project=$(sqlite3 "$DATABASE_PATH" "$pick"); fi
  report="/api/v1/reports/summary?region=north&year=$year&period=H1"
  for path in "/health" "/dashboard?region=north&year=$year&period=H1" "$report" "/api/v1/reports/summary?country=true&year=$year&period=H1" "/api/v1/projects/$project"; do
    echo "  wrk -t2 -c16 -d10s $path: $(wrk -t2 -c16 -d10s -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" \
         | awk '/Requests\/sec/ {rps=$2} /Latency/ && !lat {lat=$2} END {print rps " req/s, mean latency " lat}')"
  done
  for path in "/health" "$report"; do
    echo "  fixed rate (wrk, 30 connections, mean pause 25 ms: about 1,000 req/s) $path: $(wrk -t2 -c30 -d15s --latency -s Benchmarks/fixed_rate.lua \
         -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" -- 25 \
         | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {print rps " req/s, p50 " p50 ", p99 " p99}')"
  done
  echo "  server peak memory: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' /proc/$server/status)"
  kill $server; wait $server 2>/dev/null || true; server=
done
