#!/usr/bin/env bash
# The test command: one build, then the whole suite twice, on SQLite and on a real PostgreSQL server
# (installed and started by scripts/postgres.sh while the build runs), then the real-browser tests and the API
# fuzzing against a running server (scripts/e2e.sh), two instances behind nginx on PostgreSQL (scripts/instances.sh), a server
# killed with SIGKILL under parallel writes (scripts/killtest.sh) and a short coverage-guided fuzzing run of the
# spreadsheet readers (scripts/fuzz.sh). Every part must pass; the time of each is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

times=()
run() {
  local name=$1; shift
  local start=$SECONDS
  echo "== $name =="
  "$@"
  times+=("$(printf '%-28s %5d s' "$name" $((SECONDS - start)))")
}

# PostgreSQL (installed from Debian's packages on a new machine, then started) comes up while the build runs: it
# needs the network and the disk more than the two cores the build keeps busy.
pg_dir=$(mktemp -d)
( start=$SECONDS; bash scripts/postgres.sh khuyencong_test > "$pg_dir/url" 2> "$pg_dir/log"; echo $((SECONDS - start)) > "$pg_dir/seconds" ) &
pg_pid=$!
run "build" swift build --build-tests
# The SMTP sink the mail tests send to (scripts/smtp-sink.py, aiosmtpd from PyPI), for both Swift suites.
smtp_dir=$(mktemp -d)
smtp_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 scripts/smtp-sink.py --dir "$smtp_dir" --port "$smtp_port" > "$smtp_dir.log" 2>&1 &
smtp_pid=$!
trap 'kill "$smtp_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q listening "$smtp_dir.log" && break; sleep 0.2; done
grep -q listening "$smtp_dir.log" || { cat "$smtp_dir.log"; echo "the SMTP sink did not start" >&2; exit 1; }
export TEST_SMTP_URL="smtp://127.0.0.1:$smtp_port" TEST_SMTP_DIR="$smtp_dir"
run "Swift suite on SQLite" swift test --skip-build
wait "$pg_pid" || { cat "$pg_dir/log"; echo "PostgreSQL did not start" >&2; exit 1; }
times+=("$(printf '%-28s %5d s' "PostgreSQL set-up (in build)" "$(cat "$pg_dir/seconds")")")
url=$(cat "$pg_dir/url")
run "Swift suite on PostgreSQL" env TEST_DATABASE_URL="$url" swift test --skip-build
run "browser, exports, schemathesis" bash scripts/e2e.sh
run "two instances behind nginx" bash scripts/instances.sh
run "kill -9 under parallel writes" bash scripts/killtest.sh
run "fuzzing the readers (60 s)" bash scripts/fuzz.sh 60

echo "== times =="
printf '%s\n' "${times[@]}"
echo "total                        $(printf '%5d' "$SECONDS") s"
