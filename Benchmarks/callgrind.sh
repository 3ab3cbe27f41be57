#!/usr/bin/env bash
# Instruction counts (callgrind's Ir) of two fixed pieces of work, repeatable on a noisy machine where times are not:
#   report: `report summary --region north --year 2024 --period H1 --format json` on the demo data set (`seed --demo`);
#   import: `import` of 20,000 disbursement rows (and their 200 projects) generated deterministically, into a fresh
#           migrated database.
# Only those two commands run under valgrind (seeding and migrating run natively). Builds nothing.
# Usage: bash Benchmarks/callgrind.sh BINARY
# BINARY must carry the Swift runtime and Foundation inside it:
#   swift build -c release --static-swift-stdlib --product khuyencong     (.build/release/khuyencong)
# valgrind (3.19 and 3.24 here) dies reading the shared lib_FoundationICU.so that a default build loads; the same
# code linked statically runs under it (checked 01/12/2026).
# Prints each count and, when Benchmarks/callgrind-baseline.txt has a line of the same binary kind, the ratio to it.
# The binary kind is "debug" or "release" (from its path; set KIND=... to say it); COMMIT=... names its commit
# (default: the checkout's HEAD).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: bash Benchmarks/callgrind.sh BINARY}
[ -x "$bin" ] || { echo "no executable $bin"; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
if ldd "$bin" | grep -q "libFoundation"; then
  echo "$bin loads Swift's shared Foundation libraries, whose lib_FoundationICU.so valgrind cannot read."
  echo "Build it with the runtime inside: swift build -c release --static-swift-stdlib --product khuyencong"
  exit 2
fi
case "${KIND:-$bin}" in *release*|*kcrel*) kind=release ;; *) kind=debug ;; esac
command -v valgrind >/dev/null || { apt-get update -qq; apt-get install -y -qq valgrind >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LOG_LEVEL=error
# Dictionaries and sets in the same order every run (Swift seeds its hashing per process otherwise): two runs of the
# same binary without it differed by 0.8 % (report) and 0.3 % (import).
export SWIFT_DETERMINISTIC_HASHING=1
# Without its DWARF 5 debug information, which valgrind 3.19 cannot read ("Possibly corrupted debuginfo file");
# the symbol table stays, so callgrind_annotate still names the functions.
objcopy --strip-debug "$bin" "$work/khuyencong" && bin=$work/khuyencong

total() {   # the Ir total of a callgrind output file
  awk '/^(summary|totals):/ { print $2; exit }' "$1"
}
# Should valgrind still crash ("VALGRIND INTERNAL ERROR ... SIGSEGV"), say so plainly.
explain() {   # log file
  if grep -q "INTERNAL ERROR" "$1"; then
    echo "valgrind $(valgrind --version) crashed on this binary (its log below):"
  fi
  if grep -q "INTERNAL ERROR" "$1"; then grep -B2 -A1 "INTERNAL ERROR" "$1" | head -n 4
  fi
  tail -n 5 "$1"; exit 2
}

# (a) the report
DATABASE_PATH="$work/demo.sqlite" "$bin" seed --demo >/dev/null
DATABASE_PATH="$work/demo.sqlite" valgrind --tool=callgrind --callgrind-out-file="$work/report.out" \
  "$bin" report summary --region north --year 2024 --period H1 --format json >"$work/report.json" 2>"$work/report.log" || explain "$work/report.log"
report_ir=$(total "$work/report.out")

# (b) the import
python3 Benchmarks/disbursement_rows.py "$work" 20000 KC-CG 7 330
DATABASE_PATH="$work/import.sqlite" "$bin" migrate >/dev/null
DATABASE_PATH="$work/import.sqlite" valgrind --tool=callgrind --callgrind-out-file="$work/import.out" \
  "$bin" import "$work/csv" >"$work/import.txt" 2>"$work/import.log" || explain "$work/import.log"
grep -q "created 20000" "$work/import.txt" || { echo "the import did not write 20,000 rows:"; cat "$work/import.txt" "$work/import.log"; exit 1; }
import_ir=$(total "$work/import.out")

commit=${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo "?")}   # COMMIT=...: the binary's own commit
baseline=Benchmarks/callgrind-baseline.txt
python3 - "$kind" "$commit" "$report_ir" "$import_ir" "$baseline" <<'PY'
import sys
kind, commit, report, imported, baseline = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
base = None
try:
    for line in open(baseline, encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 4 and not line.startswith("#") and parts[0] == kind:
            base = (parts[1], int(parts[2]), int(parts[3]))   # the last line of this kind wins
except FileNotFoundError:
    pass
print(f"binary: {kind}, checkout at {commit}")
for label, value, index in (("report summary (north 2024 H1, demo data)", report, 1), ("import 20,000 CSV rows", imported, 2)):
    ratio = f"  ({value / base[index]:.3f}× the baseline of {base[0]}: {base[index]:,})" if base else ""
    print(f"{label}: {value:,} Ir{ratio}")
print(f"baseline line: {kind} {commit} {report} {imported}")
PY
