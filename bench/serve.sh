#!/usr/bin/env bash
# Benchmark of `dossier serve` (not a timed test) on a generated site: the time from starting
# `serve` to the first pages served and to the end of its first build, and from saving a brief to
# the live-reload event and to the changed page served (median of 20 edits, each to another
# brief), with the server's CPU time, the load average, and a full `dossier build` of the same
# site for comparison. See bench/serve_probe.py.
#
#   bench/serve.sh [N] [DIR] [SHAPE]    # N briefs (default 10000) of gen-corpus's SHAPE (default
#                                       # standard) generated into DIR if missing
#   BENCH_COLD=1 bench/serve.sh ...     # without the citation cache (.dossier-cache/ removed)
#   BENCH_EDIT=summary bench/serve.sh   # edit the first paragraph (the summary listings show)
#   BENCH_NO_BUILD=1 bench/serve.sh     # leave out the full build
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
shape="${3:-standard}"
dir="${2:-target/bench/serve-$shape-$count}"
cargo build --release --quiet --bin dossier --example gen-corpus
if [ ! -f "$dir/site.toml" ]; then
  target/release/examples/gen-corpus "$count" "$dir" --shape "$shape"
fi
python3 bench/serve_probe.py target/release/dossier "$dir"
