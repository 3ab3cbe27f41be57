#!/usr/bin/env bash
# The benchmark table, on SQLite and on PostgreSQL: report summary against a raw SQL floor (one hand-written
# statement over the raw rows, in sqlite3 / psql), HTTP under wrk at full load against a constant route
# (the framework's ceiling, measured before and after the other routes; each row prints its ratio to it)
# and at a fixed rate of about 1,000 requests per second (p99), peak memory.
# Usage: bash Benchmarks/run.sh [scale] [years] [databases] [binary]
#        scale: small | region | national (default region), years (default 10), databases: "sqlite postgres",
#        binary: the khuyencong executable (default .build/release/khuyencong, else .build-release/release/khuyencong)
#   BENCH_ONLY=http: only the HTTP rows, against an already seeded database (DATABASE_PATH for SQLite,
#   DATABASE_URL for PostgreSQL), e.g. BENCH_ONLY=http DATABASE_PATH=/tmp/b.sqlite bash Benchmarks/run.sh - - sqlite .build/debug/khuyencong
# Build first: swift build -c release
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-region}; years=${2:-10}; databases=${3:-sqlite postgres}
bin=${4:-.build/release/khuyencong}
[ -x "$bin" ] || bin=.build-release/release/khuyencong
[ -x "$bin" ] || { echo "build first: swift build -c release (or give the binary as the fourth argument)"; exit 1; }
only=${BENCH_ONLY:-all}
given_path=${DATABASE_PATH:-}; given_url=${DATABASE_URL:-}
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

# wrk at full load: "<req/s> <mean latency>".
full_load() {   # path, [header]
  wrk -t2 -c16 -d10s ${2:+-H "$2"} "http://127.0.0.1:$port$1" | awk '/Requests\/sec/ {rps=$2} /Latency/ && !lat {lat=$2} END {print rps " " lat}'
}
# One row of the issue's table: the figure, the ceiling of the same run and the ratio.
row() {   # label, req/s, latency, ceiling req/s, goal
  python3 - "$@" <<'PY'
import sys
label, rps, latency, ceiling, goal = sys.argv[1:6]
rps, ceiling = float(rps), float(ceiling)
print(f"  {label}: {rps:,.0f} req/s, mean {latency}; ceiling /health {ceiling:,.0f} req/s; {100 * rps / ceiling:.0f} % of the ceiling (goal {goal})")
PY
}

for database in $databases; do
  echo "== $database =="
  if [ "$database" = postgres ]; then
    if [ "$only" = http ] && [ -n "$given_url" ]; then export DATABASE_URL=$given_url; else export DATABASE_URL=$(bash scripts/postgres.sh khuyencong_bench); fi
    unset DATABASE_PATH
  else
    if [ "$only" = http ] && [ -n "$given_path" ]; then export DATABASE_PATH=$given_path; else export DATABASE_PATH="$work/bench.sqlite"; fi
    unset DATABASE_URL
  fi
  if [ "$only" != http ]; then
  /usr/bin/time -f "%e s, peak %M KiB" -o "$work/seed-time" "$bin" seed --synthetic --years "$years" --scale "$scale" | tail -1
  echo "  seed: $(cat "$work/seed-time")"

  for area in "--region north" "--country"; do
    echo "  report summary $area $year H1 (in process): $("$bin" report summary $area --year "$year" --period H1 --repeat 21);" \
         "$("$bin" report summary $area --year "$year" --period H1 --format json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(f"plan {d['"'"'plan'"'"']['"'"'amountVnd'"'"']}, realised {d['"'"'realised'"'"']['"'"'amountVnd'"'"']}")')"
  done
  floor_$database "region north" "$(floor_sql "AND u.region_code = 'north'")"
  floor_$database "country" "$(floor_sql "")"
  fi

  PORT=$port "$bin" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs http://127.0.0.1:$port/health >/dev/null 2>&1 && break; sleep 0.2; done
  user=bench.ministry.$$
  echo "benchmark-password" | "$bin" user create --username "$user" --role ministry_officer --password-stdin >/dev/null
  token=$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"username":"'"$user"'","password":"benchmark-password"}' \
          http://127.0.0.1:$port/api/v1/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  auth="Authorization: Bearer $token"
  pick="SELECT code FROM projects ORDER BY code LIMIT 1"
  if [ "$database" = postgres ]; then project=$(psql -X -tA "$DATABASE_URL" -c "$pick"); else project=$(sqlite3 "$DATABASE_PATH" "$pick"); fi
  report="/api/v1/reports/summary?region=north&year=$year&period=H1"
  dashboard="/dashboard?region=north&year=$year&period=H1"
  # Warm every cache first (the first answer of each computes it).
  for path in "$report" "/api/v1/reports/summary?country=true&year=$year&period=H1" "/api/v1/projects/$project"; do curl -fs -H "$auth" "http://127.0.0.1:$port$path" >/dev/null; done
  curl -fs "http://127.0.0.1:$port$dashboard" >/dev/null
  read -r health1 _ <<<"$(full_load /health)"
  read -r json_rps json_lat <<<"$(full_load "$report" "$auth")"
  read -r country_rps country_lat <<<"$(full_load "/api/v1/reports/summary?country=true&year=$year&period=H1" "$auth")"
  read -r dash_rps dash_lat <<<"$(full_load "$dashboard")"
  read -r project_rps project_lat <<<"$(full_load "/api/v1/projects/$project" "$auth")"
  read -r health2 _ <<<"$(full_load /health)"
  ceiling=$(python3 -c "print(($health1 + $health2) / 2)")
  echo "  /health (the ceiling): $health1 req/s before the rows, $health2 after"
  row "JSON report (north, $year H1) under wrk -t2 -c16" "$json_rps" "$json_lat" "$ceiling" "≥ 5,000 req/s, ≥ 50 %"
  row "JSON report (country)" "$country_rps" "$country_lat" "$ceiling" "–"
  row "dashboard page (north), anonymous" "$dash_rps" "$dash_lat" "$ceiling" "≥ 2,000 req/s"
  row "project API /api/v1/projects/$project" "$project_rps" "$project_lat" "$ceiling" "≥ 3,000 req/s"
  echo "  dashboard at a fixed rate (wrk, 10 connections, mean pause 20 ms: about 500 req/s): $(wrk -t2 -c10 -d15s --latency -s Benchmarks/fixed_rate.lua \
       "http://127.0.0.1:$port$dashboard" -- 20 | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {print rps " req/s, p50 " p50 ", p99 " p99 " (goal p99 < 20 ms)"}')"
  for path in "/health" "$report"; do
    echo "  fixed rate (wrk, 30 connections, mean pause 25 ms: about 1,000 req/s) $path: $(wrk -t2 -c30 -d15s --latency -s Benchmarks/fixed_rate.lua \
         -H "$auth" "http://127.0.0.1:$port$path" -- 25 \
         | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {print rps " req/s, p50 " p50 ", p99 " p99}')"
  done
  echo "  server peak memory: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' /proc/$server/status)"
  kill $server; wait $server 2>/dev/null || true; server=
done
