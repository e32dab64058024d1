#!/usr/bin/env bash
# Benchmark of `dossier serve` (not a timed test) on a generated site: the time from starting
# `serve` to the first page served, and from saving a brief to the live-reload event (median of
# 20 edits, each to another brief), with a full `dossier build` of the same site for comparison.
#
#   bench/serve.sh [N] [DIR]        # N briefs (default 10000) generated into DIR if missing
#   BENCH_EDIT=summary bench/serve.sh   # edit the first paragraph (the summary listings show)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
dir="${2:-target/bench/serve-$count}"
cargo build --release --quiet --bin dossier --example gen-corpus
if [ ! -f "$dir/site.toml" ]; then
  target/release/examples/gen-corpus "$count" "$dir"
fi
python3 bench/serve_probe.py target/release/dossier "$dir"
