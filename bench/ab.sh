#!/usr/bin/env bash
# Compares dossier binaries (e.g. before and after an optimization) on one generated corpus:
# full builds into an empty output folder and no-op rebuilds, alternating the binaries, with the
# median wall time, CPU time (user + sys), peak RSS and the CPU time other processes took meanwhile.
#
#   bench/ab.sh [--briefs N] [--runs N] [--seed S] [--scratch DIR] BIN [BIN...]
#
# Build the binaries first, e.g. `git worktree`/`git archive` of each commit and
# `cargo build --release` there, or `cp target/release/dossier /tmp/dossier-before`. The corpus is
# shared with bench/compare.sh (same scratch folder and seed: generated once).
set -euo pipefail

briefs=10000
runs=5
seed=1
scratch="${BENCH_SCRATCH:-/tmp/dossier-bench}"
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --briefs) briefs="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --scratch) scratch="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) bins+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
if [ ${#bins[@]} -eq 0 ]; then
  echo "ab.sh: name at least one dossier binary" >&2
  exit 2
fi
[ -x /usr/bin/time ] || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y time; }

repo="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build --release --quiet --example gen-corpus)
mkdir -p "$scratch"
scratch="$(cd "$scratch" && pwd)"
site="$scratch/ab-n$briefs-seed$seed"
if [ ! -f "$site/site.toml" ]; then
  "$target/release/examples/gen-corpus" "$briefs" "$site" --seed "$seed"
fi
results="$scratch/ab-results"
rm -rf "$results"
mkdir -p "$results"
hz="$(getconf CLK_TCK)"
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# measure FILE BIN OUT
measure() {
  local b0 b1 t0 t1
  b0="$(busy_ticks)"
  t0="$EPOCHREALTIME"
  /usr/bin/time -v -o "$scratch/ab-time.txt" "$2" build --quiet --root "$site" --output "$3" >/dev/null
  t1="$EPOCHREALTIME"
  b1="$(busy_ticks)"
  awk -v t0="$t0" -v t1="$t1" -v busy="$((b1 - b0))" -v hz="$hz" -F': ' '
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
    END { o = busy / hz - u - s; printf "%.3f %.2f %d %.2f\n", t1 - t0, u + s, r, o < 0 ? 0 : o }' \
    "$scratch/ab-time.txt" >>"$1"
}
median() {
  awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "$briefs briefs, $runs runs per binary and kind, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in full noop; do
  for r in $(seq 1 "$runs"); do
    for i in "${!bins[@]}"; do
      # Alternate the order from run to run.
      j=$(( r % 2 ? i : ${#bins[@]} - 1 - i ))
      out="$scratch/ab-out-$j"
      if [ "$kind" = full ]; then
        rm -rf "$out"
        sync
      elif [ ! -d "$out" ]; then
        "${bins[$j]}" build --quiet --root "$site" --output "$out" >/dev/null
      fi
      measure "$results/$j-$kind" "${bins[$j]}" "$out"
    done
  done
done

printf "%-5s %-40s %8s %7s %9s %7s %8s %9s\n" kind binary "wall s" "CPU s" "peak MiB" others files "output MB"
for kind in full noop; do
  for i in "${!bins[@]}"; do
    f="$results/$i-$kind"
    name="${bins[$i]}"
    [ ${#name} -le 40 ] || name="...${name: -37}"
    printf "%-5s %-40s %8.2f %7.2f %9.0f %7.2f %8s %9s\n" "$kind" "$name" "$(median "$f" 1)" \
      "$(median "$f" 2)" "$(awk -v k="$(median "$f" 3)" 'BEGIN { print k / 1024 }')" "$(median "$f" 4)" \
      "$(find "$scratch/ab-out-$i" -type f | wc -l)" "$(du -sb "$scratch/ab-out-$i" | awk '{ printf "%.0f", $1 / 1e6 }')"
  done
done
echo "Raw measurements (wall s, CPU s, peak RSS KiB, others' CPU s): $results/"
