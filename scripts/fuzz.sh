#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the CSV and XLSX readers for a bounded time.
#   bash scripts/fuzz.sh [SECONDS]        default 60
# Builds Benchmarks/fuzz (its own package and scratch path, so the server's build is untouched), seeds a corpus
# with a few valid files, runs, prints the executions and any crash, and exits non-zero on a crash.
# FUZZ_WORKERS=N runs N processes in parallel (libFuzzer -fork); FUZZ_FLAGS adds libFuzzer flags;
# the corpus grows in .build-fuzz/corpus, crashing inputs land in .build-fuzz/crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch="$PWD/.build-fuzz"
workers="${FUZZ_WORKERS:-1}"

start=$(date +%s)
(cd Benchmarks/fuzz && swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer 2>&1 | grep -E "error|warning: .*Spreadsheets|Compiling|Build" | grep -v "^\[" || true)
binary="$scratch/release/SpreadsheetFuzz"
[ -x "$binary" ] || { echo "fuzz: the build failed" >&2; exit 2; }
echo "fuzz: built in $(( $(date +%s) - start )) s"

seeds="$scratch/seeds"; corpus="$scratch/corpus"; crashes="$scratch/crashes"
rm -rf "$seeds"; mkdir -p "$corpus" "$crashes"
python3 Benchmarks/fuzz/seeds.py "$seeds"

log="$scratch/fuzz.log"
status=0
fork=()
[ "$workers" -gt 1 ] && fork=(-fork="$workers" -ignore_crashes=0)
"$binary" "$corpus" "$seeds" "${fork[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -max_len=16384 \
    -dict=Benchmarks/fuzz/xml.dict -print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?

executions=$( (grep -E "^stat::number_of_executed_units" "$log" || true) | awk '{s += $2} END {print s + 0}')
[ "$executions" -gt 0 ] || executions=$( (grep -oE "#[0-9]+" "$log" || true) | tail -1 | tr -d '#')
echo "fuzz: ${seconds} s, ${executions:-0} executions, corpus $(ls "$corpus" | wc -l) inputs"
if [ "$status" -ne 0 ] || grep -qE "^==[0-9]+==|deadly signal|Fatal error|out-of-memory|timeout after" "$log"; then
    echo "fuzz: CRASH (exit $status); the input is in $crashes:" >&2
    ls -t "$crashes" | head -3 >&2
    grep -E "Fatal error|ERROR:|error|deadly signal|out-of-memory|timeout" "$log" | head -5 >&2 || true
    exit 1
fi
echo "fuzz: no crash"
