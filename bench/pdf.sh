#!/usr/bin/env bash
# Benchmark of the briefs' PDFs (not a timed test): a gen-corpus site of N briefs, built
#   0. without .dossier-cache/ and PDFs off (the first build as it is without PDFs),
#   1. without .dossier-cache/ and `[pdf] enabled = true` (every page and every PDF made),
#   2. again with nothing changed (the freshness check answers: nothing is made),
#   3. after one brief's body changed (every page re-rendered, one PDF typeset, the rest cached). Prints wall,
# user and system seconds and peak memory of each build (GNU time) and the size of the PDFs.
#
#   bench/pdf.sh [N]     # default 1000 briefs; 10000 needs ~4 GB of disk
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
dir="target/bench/pdf-$count"
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet --bin dossier --example gen-corpus
rm -rf "$dir"
target/release/examples/gen-corpus "$count" "$dir/site" >/dev/null
timed() {
  /usr/bin/time -f "$1: %e s wall, %U s user, %S s system, peak %M KB" \
    target/release/dossier build --root "$dir/site" --quiet "${@:2}"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
timed "first build, PDFs off"
rm -rf "$dir/site/.dossier-cache" "$dir/site/public"
printf '\n[pdf]\nenabled = true\n' >>"$dir/site/site.toml"
timed "first build with PDFs"
echo "PDFs: $(find "$dir/site/public" -name '*.pdf' | wc -l) files, $(find "$dir/site/public" -name '*.pdf' -print0 | du -ch --files0-from=- | tail -1 | cut -f1)"
timed "no-op build with PDFs"
brief=$(find "$dir/site/briefs" -name '*.md' | sort | sed -n 1p)
echo "An added paragraph." >>"$brief"
timed "one brief changed, with PDFs"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$dir"
