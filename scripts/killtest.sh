#!/usr/bin/env bash
# Kill -9 test: starts the built server on a fresh SQLite database with the demo data, has parallel writers record
# outputs through the API, kills the server with SIGKILL at random moments over several rounds (restarting it in
# between), then checks that every write answered 2xx is in the database and that `PRAGMA integrity_check` says ok.
# Exits non-zero on any loss. KILLTEST_ROUNDS, KILLTEST_WRITERS and KILLTEST_SEED change the defaults (5, 8, random).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/khuyencong

if ! command -v sqlite3 >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sqlite3 python3 >/dev/null
fi
[ -x "$bin" ] || swift build --product khuyencong

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of the executable, so that a build finishing meanwhile cannot swap it between two starts.
cp "$bin" "$work/khuyencong"
args=(--binary "$work/khuyencong" --root . --workdir "$work" --rounds "${KILLTEST_ROUNDS:-5}" --writers "${KILLTEST_WRITERS:-8}")
[ -n "${KILLTEST_SEED:-}" ] && args+=(--seed "$KILLTEST_SEED")
if ! python3 scripts/killtest.py "${args[@]}"; then
  echo "== last lines of the server log ==" >&2
  tail -n 40 "$work/server.log" >&2 || true
  exit 1
fi
