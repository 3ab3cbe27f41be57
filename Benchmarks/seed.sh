#!/usr/bin/env bash
# The seeds' times with their phases (the seed command prints "Các bước / phases: …" after the totals), on fresh
# SQLite files (or an emptied PostgreSQL database): `migrate`, `seed --demo`, then `seed --synthetic`.
# Usage: bash Benchmarks/seed.sh [binary] [scale] [years] [sqlite|postgres]
#        defaults: .build/release/khuyencong, national, 10, sqlite; postgres empties the database khuyencong_bench_seed
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/khuyencong}
[ -x "$bin" ] || { echo "build first: swift build -c release (or give the binary as the first argument)"; exit 1; }
scale=${2:-national}
years=${3:-10}
database=${4:-sqlite}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$database" = postgres ]; then
  url=$(bash scripts/postgres.sh khuyencong_bench_seed)
  fresh() { psql "$url" -q -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null 2>&1; export DATABASE_URL="$url"; }
else
  fresh() { export DATABASE_PATH="$work/$1.sqlite"; }
fi

run() {   # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e s, peak %M KiB" -o "$work/time" "$bin" "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  echo "$label: $(cat "$work/time")"
  grep -E "phases|Đã nạp" "$work/out" | sed 's/^/  /' || true
}

fresh demo
run "migrate (empty $database database)" migrate
run "seed --demo" seed --demo
fresh synthetic
run "seed --synthetic --scale $scale --years $years (with its migration)" seed --synthetic --scale "$scale" --years "$years"
