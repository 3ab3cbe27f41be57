#!/usr/bin/env bash
# The data-quality findings of a region at national scale, through HTTP (`GET /api/v1/quality?region=…`), on SQLite
# and on PostgreSQL: the first request after a write to a payment of a project of the region (its unit's findings and
# its share of the country-wide comparisons are reckoned anew: the unit data versions of M0052), the first request
# after a write to a payment in another region (only the country-wide comparisons are combined anew), and the
# following ones (reused while the data is unchanged: every guarded write raises the report data version).
# Usage: bash Benchmarks/quality.sh [databases] [binary] [years] [scale]
#        databases: "sqlite postgres" (default), binary: .build/debug/khuyencong (default), years 3, scale national.
# QUALITY_SQLITE=path reuses an already seeded SQLite file; QUALITY_POSTGRES=url an already seeded PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
databases=${1:-sqlite postgres}; bin=${2:-.build/debug/khuyencong}; years=${3:-3}; scale=${4:-national}
[ -x "$bin" ] || { echo "build first: swift build"; exit 1; }
export KHUYENCONG_ROOT=$PWD
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
port=18283
year=$(date +%Y)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); $bin; scale $scale, $years years"

percentiles() {   # label, file of seconds
  python3 - "$1" "$2" <<'PY'
import sys
label, times = sys.argv[1:3]
t = sorted(float(x) * 1000 for x in open(times).read().split())
p = lambda q: t[min(len(t) - 1, int(round(q * (len(t) - 1))))]
print(f"  {label:<52} p50 {p(0.5):7.1f} ms  p95 {p(0.95):7.1f} ms  (n={len(t)})")
PY
}

for database in $databases; do
  echo "== $database =="
  if [ "$database" = postgres ]; then
    unset DATABASE_PATH
    if [ -n "${QUALITY_POSTGRES:-}" ]; then export DATABASE_URL=$QUALITY_POSTGRES; else export DATABASE_URL=$(bash scripts/postgres.sh khuyencong_quality_bench); fi
  else
    unset DATABASE_URL
    export DATABASE_PATH=${QUALITY_SQLITE:-$work/quality.sqlite}
  fi
  "$bin" migrate -y >/dev/null
  if [ -z "${QUALITY_SQLITE:-}${QUALITY_POSTGRES:-}" ]; then "$bin" seed --synthetic --years "$years" --scale "$scale" | tail -1; fi
  PORT=$port "$bin" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs http://127.0.0.1:$port/health >/dev/null 2>&1 && break; sleep 0.2; done
  echo "benchmark-password" | "$bin" user create --username bench.ministry --role ministry_officer --password-stdin >/dev/null 2>&1 || true
  token=$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"username":"bench.ministry","password":"benchmark-password"}' \
    http://127.0.0.1:$port/api/v1/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  sql() { if [ "$database" = postgres ]; then psql -qtA "$DATABASE_URL" -c "$1"; else sqlite3 "$DATABASE_PATH" "$1"; fi </dev/null; }
  # A write as the application makes it: the report data version raised (what every guarded write does first), a
  # payment of a project of the unit rewritten and the project's full-year money in the summary table raised by 1 đồng
  # (the unit's data version rises and its unit costs change); the 1 đồng is taken back at the end.
  : > "$work/undo.sql"
  write() {
    local payment="(SELECT d.id FROM disbursements d JOIN projects p ON p.id = d.project_id
      WHERE p.unit_id = (SELECT unit_id FROM projects WHERE code = '$1') AND p.year = $year ORDER BY d.on_date LIMIT 1)"
    local total="UPDATE project_period_totals SET actual_sum = actual_sum + DELTA WHERE period = 'FY' AND measure = 'vnd'
      AND project_id = (SELECT project_id FROM disbursements WHERE id = $payment);"
    sql "UPDATE report_version SET version = version + 1 WHERE id = 1;
         UPDATE disbursements SET amount_vnd = amount_vnd WHERE id = $payment; ${total/DELTA/1}" >/dev/null
    echo "${total/DELTA/-1}" >> "$work/undo.sql"
  }
  get() { curl -fs -o "$work/body" -H "Authorization: Bearer $token" -w '%{time_total}\n' "http://127.0.0.1:$port/api/v1/quality?region=$1&year=$year&period=FY"; }
  # A project of six units in each region, to write to a payment of its unit.
  for region in north central south; do
    get $region >/dev/null
    python3 -c 'import json,sys; units = {f["unitCode"]: f["projectCode"] for f in json.load(open(sys.argv[1]))["findings"] if f["projectCode"]}
print("\n".join(units[u] for u in sorted(units)[:6]))' \
      "$work/body" > "$work/projects.$region"
  done
  for region in north central south; do
    other=$([ $region = north ] && echo south || echo north)
    : > "$work/first"; : > "$work/elsewhere"; : > "$work/again"
    while read -r code; do
      write "$code"
      get $region >> "$work/first"
      for _ in $(seq 1 4); do get $region >> "$work/again"; done
    done < "$work/projects.$region"
    while read -r code; do
      write "$code"
      get $region >> "$work/elsewhere"
    done < "$work/projects.$other"
    findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/body")
    percentiles "$region: first request after a write in it ($findings findings)" "$work/first"
    percentiles "$region: first request after a write in the $other" "$work/elsewhere"
    percentiles "$region: again, data unchanged" "$work/again"
  done
  sql "$(cat "$work/undo.sql")" >/dev/null
  kill $server; wait $server 2>/dev/null || true; server=
done
