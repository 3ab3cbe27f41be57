#!/usr/bin/env bash
# The test command: one build, then the whole suite twice, on SQLite and on a real PostgreSQL server
# (installed and started by scripts/postgres.sh), then the real-browser tests and the API fuzzing against a
# running server (scripts/e2e.sh), then two instances behind nginx on PostgreSQL (scripts/instances.sh).
# Every part must pass.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests

echo "== Pass 1: SQLite =="
swift test --skip-build

echo "== Pass 2: PostgreSQL =="
url=$(bash scripts/postgres.sh khuyencong_test)
TEST_DATABASE_URL="$url" swift test --skip-build

bash scripts/e2e.sh
bash scripts/instances.sh
