#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600), one after another, and prints each one's
# executions and coverage. Needs nightly and cargo-fuzz (`cargo install cargo-fuzz --locked`).
#
#   fuzz/run.sh [SECONDS]              all targets
#   TARGETS="bibtex csl_json" fuzz/run.sh 60
#
# New inputs go to fuzz/grown/<target> (ignored by git); the seeds in fuzz/corpus/<target> are
# read, never written. Crashes land in fuzz/artifacts/<target>, logs in fuzz/logs.
set -uo pipefail

seconds=${1:-600}
cd "$(dirname "$0")/.." || exit 1
targets=${TARGETS:-$(cargo +nightly fuzz list)}
# Safe Rust: no sanitizer (several times the executions); debug assertions stay on.
flags=(--sanitizer none)

nice -n 19 cargo +nightly fuzz build "${flags[@]}" || exit 1
mkdir -p fuzz/logs
summary=()
status=0
for target in $targets; do
    mkdir -p "fuzz/grown/$target"
    log="fuzz/logs/$target.log"
    echo "== $target: $seconds s"
    # One job at a time, at the lowest priority: other work shares the machine.
    nice -n 19 cargo +nightly fuzz run "${flags[@]}" "$target" \
        "fuzz/grown/$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1
    code=$?
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    last=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -1)
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | grep -o 'in [0-9]*' | grep -o '[0-9]*')
    rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    slowest=$(grep -o 'stat::slowest_unit_time_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    if [ "$code" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $code): $(grep -m1 -o 'Test unit written to .*' "$log" || echo "see $log")"
        status=1
    fi
    line="$target  seconds=${took:-?}  execs=${execs:-?}  ${last:-cov: ? ft: ?}  peak_rss_mb=${rss:-?}  slowest_s=${slowest:-?}  $result"
    echo "$line"
    summary+=("$line")
done
echo
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
