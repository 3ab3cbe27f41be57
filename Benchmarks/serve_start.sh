#!/usr/bin/env bash
# `serve` on an empty database to its first answer: a fresh SQLite file (or an emptied PostgreSQL database), the
# server started, polled every 10 ms; prints the milliseconds from the start to the first page (the home page's 200)
# and to ready (/health's 200: the demo data set and its accounts committed, which on an empty database happens
# while the server already answers), and how long a second start on the same (now migrated and seeded) database
# takes, for comparison.
# Usage: bash Benchmarks/serve_start.sh [binary] [sqlite|postgres]
#        binary: the khuyencong executable (default .build/release/khuyencong, else .build-release/release/khuyencong)
#        postgres: needs scripts/postgres.sh; uses (and empties) the database khuyencong_bench_serve
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/khuyencong}
[ -x "$bin" ] || bin=.build-release/release/khuyencong
[ -x "$bin" ] || { echo "build first: swift build -c release (or give the binary as the first argument)"; exit 1; }
database=${2:-sqlite}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
port=$((18300 + RANDOM % 500))

if [ "$database" = postgres ]; then
  url=$(bash scripts/postgres.sh khuyencong_bench_serve)
  empty() { psql "$url" -q -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null 2>&1; }
  export DATABASE_URL="$url"
else
  export DATABASE_PATH="$work/serve.sqlite"
  empty() { rm -f "$DATABASE_PATH" "$DATABASE_PATH-wal" "$DATABASE_PATH-shm"; }
fi

start_once() {   # label
  local started page ready
  started=$(date +%s%N)
  PORT=$port "$bin" serve >"$work/log" 2>&1 &
  server=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
    kill -0 "$server" 2>/dev/null || { echo "the server stopped:"; cat "$work/log"; exit 1; }
    sleep 0.01
  done
  page=$(date +%s%N)
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$server" 2>/dev/null || { echo "the server stopped:"; cat "$work/log"; exit 1; }
    sleep 0.01
  done
  ready=$(date +%s%N)
  echo "$1: first answer (the home page) after $(( (page - started) / 1000000 )) ms; ready (/health ok) after $(( (ready - started) / 1000000 )) ms"
  # The phases serve logs on an empty database (migrations, demo data and accounts, and the demo seed's own steps).
  grep -o "demo data loaded (.*" "$work/log" | sed 's/^/  /' || true
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

empty
start_once "serve on an empty $database database (migrations, demo data, demo accounts)"
start_once "serve again on the same database (nothing to migrate or load)"
