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
# A wall-clock guard: libFuzzer once stopped answering after its own timeout alarm (a busy machine, 30/11/2026);
# the run must end either way.
timeout -k 30 $((seconds + 300)) \
"$binary" "$corpus" "$seeds" "${fork[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -max_len=16384 \
    -dict=Benchmarks/fuzz/xml.dict -print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?
[ "$status" -eq 124 ] && echo "fuzz: libFuzzer did not stop $((seconds + 300)) s after it started; stopped" >&2

# A timeout (libFuzzer's -timeout) on a shared 2-core machine can be the machine, not the reader: the input is run
# again alone, three times with the same limit, and counts as a finding only if it is slow again. A crash, a trap or
# running out of memory is always a finding.
if [ "$status" -ne 0 ] && grep -q "timeout after" "$log" && ! grep -qE "deadly signal|Fatal error|out-of-memory" "$log"; then
    slow=$(ls -t "$crashes"/timeout-* 2>/dev/null | head -1 || true)
    if [ -n "$slow" ]; then
        again=0
        for _ in 1 2 3; do
            timeout -k 5 60 "$binary" -timeout=10 -rss_limit_mb=512 "$slow" >>"$log.replay" 2>&1 || again=$((again + 1))
        done
        if [ "$again" -eq 0 ]; then
            echo "fuzz: libFuzzer timed out on $(basename "$slow") ($(wc -c <"$slow") bytes), which ran within the limit three times alone: the machine was slow, not the reader" >&2
            sed -i '/timeout after/d; /ALARM: working on the last Unit/d' "$log"
            status=0
        fi
    fi
fi

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
