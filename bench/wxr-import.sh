#!/usr/bin/env bash
# Benchmark of `dossier import wordpress` (not a timed test): a WordPress export of N posts
# (gen-corpus --wxr: the benchmark corpus's briefs as posts, half in the classic editor's storage,
# half in the block editor's), imported RUNS times into new folders; for each import the CPU
# time (user + system), the peak memory and the wall time (GNU time -v) with the load average
# before it, then one build of the imported site to show that it builds.
#
#   bench/wxr-import.sh [N] [RUNS]     # default 10000 posts, 3 runs
#   BENCH_DIR=/some/scratch bench/wxr-import.sh   # where the export and sites go (default target/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
runs="${2:-3}"
dir="${BENCH_DIR:-target/bench}/wxr-$count"
cargo build --release --quiet --bin dossier --example gen-corpus
if [ ! -f "$dir/export.xml" ]; then
  mkdir -p "$dir"
  target/release/examples/gen-corpus "$count" "$dir/corpus" --wxr "$dir/export.xml"
fi
echo "export: $(du -h "$dir/export.xml" | cut -f1), $(grep -c '<item>' "$dir/export.xml") items"
for run in $(seq "$runs"); do
  into="$dir/site-$run-$$"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -v target/release/dossier import wordpress "$dir/export.xml" --into "$into" \
    --quiet 2>"$dir/time-$$.txt" >/dev/null || { cat "$dir/time-$$.txt"; exit 1; }
  awk -v run="$run" -v load="$load" -F': ' '
    /User time/ { user = $2 } /System time/ { sys = $2 }
    /Elapsed \(wall clock\)/ { wall = $2 } /Maximum resident/ { rss = $2 }
    END { printf "import %s: %.2f s CPU (%.2f user + %.2f system), peak %d MB, %s wall (load %s)\n",
          run, user + sys, user, sys, rss / 1024, wall, load }' "$dir/time-$$.txt"
done
target/release/dossier build --root "$dir/site-1-$$" --quiet && echo "the imported site builds"
rm -rf "$dir"/site-*-$$ "$dir/time-$$.txt"
