#!/usr/bin/env bash
# The benchmark table: report summary against a raw SQL floor, import against sqlite3 .import, HTTP under wrk
# against a constant route, peak memory. SQLite, on a synthetic data set.
# Usage: bash Benchmarks/run.sh [scale] [years]     (scale: small | region | national; default region 10)
# Build first: swift build -c release   (the script uses .build/release, or .build-release/release)
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-region}; years=${2:-10}
bin=.build/release/khuyencong
[ -x "$bin" ] || bin=.build-release/release/khuyencong
[ -x "$bin" ] || { echo "build first: swift build -c release"; exit 1; }
for tool in wrk sqlite3 /usr/bin/time; do command -v "$tool" >/dev/null || { apt-get update -qq; apt-get install -y -qq wrk sqlite3 time >/dev/null; }; done
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_PATH="$work/bench.sqlite"
year=$(date +%Y)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r)"
/usr/bin/time -f "%e" -o "$work/seed-time" "$bin" seed --synthetic --years "$years" --scale "$scale" | tail -1
echo "seed: $(cat "$work/seed-time") s"

for area in "--region north" "--country"; do
  result=$("$bin" report summary $area --year "$year" --period H1 --repeat 21)
  echo "report summary $area $year H1 (in process): $result"
done

# The floor: the plan and the realised amount of one region-year-period in one hand-written statement.
floor_sql="WITH latest AS (SELECT pl.id, pl.unit_id, MAX(r.approved_on) AS approved_on FROM plan_lines pl JOIN plan_line_revisions r ON r.plan_line_id = pl.id WHERE pl.year = $year GROUP BY pl.id, pl.unit_id)
SELECT (SELECT SUM(r.amount_vnd) FROM latest l JOIN plan_line_revisions r ON r.plan_line_id = l.id AND r.approved_on = l.approved_on JOIN admin_units u ON u.id = l.unit_id WHERE u.region_code = 'north') AS plan,
       (SELECT SUM(d.amount_vnd) FROM disbursements d JOIN projects p ON p.id = d.project_id JOIN admin_units u ON u.id = p.unit_id
         WHERE p.year = $year AND u.region_code = 'north' AND d.on_date BETWEEN '$year-01-01' AND '$year-06-30'
           AND (d.basis = 'actual' OR NOT EXISTS (SELECT 1 FROM disbursements a WHERE a.project_id = d.project_id AND a.basis = 'actual' AND a.on_date BETWEEN '$year-01-01' AND '$year-06-30'))) AS realised;"
python3 - "$DATABASE_PATH" "$floor_sql" <<'PY'
import sqlite3, statistics, sys, time
db, sql = sys.argv[1], sys.argv[2]
connection = sqlite3.connect(db)
times = []
for _ in range(11):
    start = time.perf_counter(); row = connection.execute(sql).fetchone(); times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"raw SQL floor (sqlite3, region north H1): p50 {times[len(times)//2]:.1f} ms, p99 {times[-1]:.1f} ms; plan {row[0]}, realised {row[1]}")
PY

PORT=18181 "$bin" serve >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18181/ >/dev/null 2>&1 && break; sleep 0.2; done
token_user=bench.ministry
echo "benchmark-password" | "$bin" user create --username $token_user --role ministry_officer --password-stdin >/dev/null
token=$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"username":"bench.ministry","password":"benchmark-password"}' http://127.0.0.1:18181/api/v1/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
project=$(sqlite3 "$DATABASE_PATH" "SELECT code FROM projects LIMIT 1")
for path in "/health" "/" "/dashboard?region=north&year=$year&period=H1" "/api/v1/reports/summary?region=north&year=$year&period=H1" "/api/v1/projects/$project"; do
  echo "wrk -t2 -c16 -d10s $path: $(wrk -t2 -c16 -d10s -H "Authorization: Bearer $token" "http://127.0.0.1:18181$path" | awk '/Requests\/sec/ {rps=$2} /Latency/ {lat=$2} END {print rps " req/s, mean latency " lat}')"
done
echo "server peak memory: $(awk '/VmHWM/ {print $2 / 1024 " MiB"}' /proc/$server/status)"
