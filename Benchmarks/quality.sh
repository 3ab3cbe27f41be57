#!/usr/bin/env bash
# The data-quality findings of a region at national scale, through HTTP (`GET /api/v1/quality?region=…` and the
# `/quality` page), on SQLite and on PostgreSQL: the first request after a write (reckoned anew) and the following
# ones (reused while the data is unchanged: every guarded write raises the report data version).
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
  # What every guarded write does first: raise the report data version (here without changing any data).
  write() {
    if [ "$database" = postgres ]; then psql -q "$DATABASE_URL" -c "UPDATE report_version SET version = version + 1 WHERE id = 1"
    else sqlite3 "$DATABASE_PATH" "UPDATE report_version SET version = version + 1 WHERE id = 1"; fi
  }
  for region in north central south; do
    path="/api/v1/quality?region=$region&year=$year&period=FY"
    : > "$work/first"; : > "$work/again"
    for _ in $(seq 1 5); do
      write
      curl -fs -o /dev/null -H "Authorization: Bearer $token" -w '%{time_total}\n' "http://127.0.0.1:$port$path" >> "$work/first"
      for _ in $(seq 1 4); do
        curl -fs -o "$work/body" -H "Authorization: Bearer $token" -w '%{time_total}\n' "http://127.0.0.1:$port$path" >> "$work/again"
      done
    done
    findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/body")
    percentiles "$region: first request after a write ($findings findings)" "$work/first"
    percentiles "$region: again, data unchanged" "$work/again"
  done
  kill $server; wait $server 2>/dev/null || true; server=
done
