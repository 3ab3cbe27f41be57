#!/usr/bin/env bash
# The project register's search at national scale: p50 / p95 of typical `GET /api/v1/projects` requests, through HTTP,
# on SQLite and on PostgreSQL, for a ministry officer (the whole country) and a province officer (Thanh Hóa, 38).
# Usage: bash Benchmarks/search.sh [databases] [binary] [years] [scale]
#        databases: "sqlite postgres" (default), binary: .build/debug/khuyencong (default), years 10, scale national.
# SEARCH_SQLITE=path reuses an already seeded SQLite file (it is migrated first); SEARCH_POSTGRES=url an already seeded
# PostgreSQL database. Requests per search: REPEAT (default 41, after 3 warm-up requests); SEARCH_PORT the server's port.
set -euo pipefail
cd "$(dirname "$0")/.."
databases=${1:-sqlite postgres}; bin=${2:-.build/debug/khuyencong}; years=${3:-10}; scale=${4:-national}
repeat=${REPEAT:-41}
[ -x "$bin" ] || { echo "build first: swift build"; exit 1; }
export KHUYENCONG_ROOT=$PWD
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
port=${SEARCH_PORT:-18282}
year=$(date +%Y)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); $bin; scale $scale, $years years"

# p50 / p95 of `repeat` requests of one path, in milliseconds (curl's time_total), and the number of items returned.
measure() {   # label, token, path
  local label=$1 token=$2 path=$3
  for _ in 1 2 3; do curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path"; done
  : > "$work/times"
  for _ in $(seq 1 "$repeat"); do
    curl -fs -o "$work/body" -w '%{time_total}\n' -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" >> "$work/times"
  done
  python3 - "$label" "$path" "$work/times" "$work/body" <<'PY'
import json, sys
label, path, times, body = sys.argv[1:5]
t = sorted(float(x) * 1000 for x in open(times).read().split())
p = lambda q: t[min(len(t) - 1, int(round(q * (len(t) - 1))))]
items = len(json.load(open(body))["items"])
print(f"  {label:<44} p50 {p(0.5):6.1f} ms  p95 {p(0.95):6.1f} ms  ({items} items)  {path}")
PY
}

for database in $databases; do
  echo "== $database =="
  if [ "$database" = postgres ]; then
    unset DATABASE_PATH
    if [ -n "${SEARCH_POSTGRES:-}" ]; then export DATABASE_URL=$SEARCH_POSTGRES; else export DATABASE_URL=$(bash scripts/postgres.sh khuyencong_search_bench); fi
  else
    unset DATABASE_URL
    export DATABASE_PATH=${SEARCH_SQLITE:-$work/search.sqlite}
  fi
  "$bin" migrate -y >/dev/null
  if [ -z "${SEARCH_SQLITE:-}${SEARCH_POSTGRES:-}" ]; then
    /usr/bin/time -f "%e s" -o "$work/seed-time" "$bin" seed --synthetic --years "$years" --scale "$scale" | tail -1
    echo "  seed: $(cat "$work/seed-time")"
  fi
  PORT=$port "$bin" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs http://127.0.0.1:$port/health >/dev/null 2>&1 && break; sleep 0.2; done
  for spec in "bench.ministry ministry_officer" "bench.thanhhoa province_officer --unit 38"; do
    set -- $spec
    echo "benchmark-password" | "$bin" user create --username "$1" --role "$2" ${3:-} ${4:-} --password-stdin >/dev/null 2>&1 || true
  done
  token() {
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"benchmark-password\"}" \
      http://127.0.0.1:$port/api/v1/auth/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
  }
  ministry=$(token bench.ministry); province=$(token bench.thanhhoa)
  cursor=$(curl -fs -H "Authorization: Bearer $ministry" "http://127.0.0.1:$port/api/v1/projects?q=thanh+hoa&limit=200" \
           | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"] or "")')
  measure "ministry: list, no filter" "$ministry" "/api/v1/projects"
  measure "ministry: q=thanh hoa" "$ministry" "/api/v1/projects?q=thanh+hoa"
  measure "ministry: q=THANH HÓA, year" "$ministry" "/api/v1/projects?q=THANH+H%C3%93A&year=$year"
  measure "ministry: q=thanh hoa, 2nd page of 200" "$ministry" "/api/v1/projects?q=thanh+hoa&limit=200&after=$cursor"
  measure "ministry: q=khuyen cong (every project)" "$ministry" "/api/v1/projects?q=khuyen+cong"
  measure "ministry: q=ha giang, sort -support" "$ministry" "/api/v1/projects?q=ha+giang&sort=-support"
  measure "ministry: q=a project's code" "$ministry" "/api/v1/projects?q=S$year-38-N-12"
  measure "ministry: q=no match (xyzzy)" "$ministry" "/api/v1/projects?q=xyzzy"
  measure "ministry: unit=24 (and predecessors), year" "$ministry" "/api/v1/projects?unit=24&year=$((year - 2))"
  measure "ministry: waiting for allocation" "$ministry" "/api/v1/projects?waiting=true"
  measure "ministry: status=approved, sort -submitted" "$ministry" "/api/v1/projects?status=approved&sort=-submitted"
  measure "province 38: q=tong hop so 12" "$province" "/api/v1/projects?q=tong+hop+so+12"
  measure "province 38: list, sort title" "$province" "/api/v1/projects?sort=title"
  kill $server; wait $server 2>/dev/null || true; server=
done
