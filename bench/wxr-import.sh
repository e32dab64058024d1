#!/usr/bin/env bash
# Benchmark of `dossier import wordpress` (not a timed test): a WordPress export of N posts
# (gen-corpus --wxr: the benchmark corpus's briefs as posts, half in the classic editor's storage,
# half in the block editor's), imported RUNS times into new folders; wall time and peak memory of
# each import (GNU time), then one build of the imported site to show that it builds.
#
#   bench/wxr-import.sh [N] [RUNS]     # default 10000 posts, 3 runs
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
runs="${2:-3}"
dir="target/bench/wxr-$count"
cargo build --release --quiet --bin dossier --example gen-corpus
if [ ! -f "$dir/export.xml" ]; then
  mkdir -p "$dir"
  target/release/examples/gen-corpus "$count" "$dir/corpus" --wxr "$dir/export.xml"
fi
echo "export: $(du -h "$dir/export.xml" | cut -f1), $(grep -c '<item>' "$dir/export.xml") items"
for run in $(seq "$runs"); do
  into="$dir/site-$run-$$"
  /usr/bin/time -f "import $run: %e s wall, %U s user, %S s system, peak %M KB" \
    target/release/dossier import wordpress "$dir/export.xml" --into "$into" --quiet
done
target/release/dossier build --root "$dir/site-1-$$" --quiet && echo "the imported site builds"
rm -rf "$dir"/site-*-$$
