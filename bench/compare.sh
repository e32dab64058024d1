#!/usr/bin/env bash
# Benchmarks dossier against Hugo on generated sites of 1,000 and 10,000 briefs, of two shapes by
# default (gen-corpus's `standard` and `independent`; see bench/README.md): full builds into an empty output folder, alternating the two tools, and no-op
# rebuilds (the same build again over its own output), and dossier's first build without its
# citation cache. Prints the median wall time, CPU time
# (user + sys) and peak RSS of each, the ratios dossier/Hugo and the scaling time(10k)/time(1k).
#
#   bench/compare.sh [--runs N] [--noop-runs N] [--cold-runs N] [--sizes "1000 10000"] [--huge] [--huge-hugo]
#                    [--shapes "standard independent"] [--no-hugo] [--dossier BIN] [--wait S]
#                    [--seed S] [--scratch DIR] [--reuse-paths]
#
# --shapes names gen-corpus shapes (standard, independent, small); each is measured at every size.
# --huge adds 100,000 briefs (dossier only; --huge-hugo also runs Hugo there). --dossier uses a
# prebuilt binary (e.g. of another commit) instead of building the working tree's. Before each
# measurement the script waits up to --wait seconds (default 60; 0 to not wait) for other processes
# to leave the CPUs idle; after a wait times out it waits at most 5 s before the later ones.
# Corpora and outputs go to the scratch folder (default /tmp/dossier-bench), never the repository;
# a corpus is generated again only when the generator, the Hugo templates or the seed change.
#
# Full builds of 1,000 and 10,000 briefs write into folders never used before, all removed when
# the script ends: on a journal-less ext4 (like the benchmark machine's), allocating an inode
# skips every free inode of its block group deleted in the last 5 minutes (`recently_deleted`
# in the kernel's ext4/ialloc.c), so a build right after deleting a previous output spends most
# of its time in the kernel, more with every round. --reuse-paths deletes the previous output
# before each full build instead (what the figures before 2026-11-28 measured).
set -euo pipefail

runs=5
noop_runs=3
cold_runs=3
sizes="1000 10000"
shapes="standard independent"
huge=0
huge_hugo=0
with_hugo=1
dossier=""
wait_max=60
seed=1
scratch="${BENCH_SCRATCH:-/tmp/dossier-bench}"
fresh=1

usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --noop-runs) noop_runs="$2"; shift 2 ;;
    --cold-runs) cold_runs="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    --huge) huge=1; shift ;;
    --huge-hugo) huge=1; huge_hugo=1; shift ;;
    --no-hugo) with_hugo=0; shift ;;
    --wait) wait_max="$2"; shift 2 ;;
    --dossier) dossier="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --scratch) scratch="$2"; shift 2 ;;
    --reuse-paths) fresh=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [ "$huge" = 1 ]; then
  sizes="$sizes 100000"
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
mkdir -p "$scratch"
scratch="$(cd "$scratch" && pwd)"
# Never-used output folders of this run's full builds.
fresh_dir="$scratch/fresh-$$"
trap 'rm -rf "$fresh_dir"' EXIT

# --- tools -----------------------------------------------------------------------------------
apt_install() {
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}
if [ "$with_hugo" = 1 ] && ! command -v hugo >/dev/null; then
  apt_install hugo
fi
if [ ! -x /usr/bin/time ]; then
  apt_install time
fi

if [ -z "$dossier" ]; then
  echo "Building dossier and the corpus generator (release)..."
  (cd "$repo" && cargo build --release --quiet --bin dossier --example gen-corpus)
  dossier="$target/release/dossier"
else
  echo "Building the corpus generator (release)..."
  (cd "$repo" && cargo build --release --quiet --example gen-corpus)
fi
gen="$target/release/examples/gen-corpus"

# --- helpers ---------------------------------------------------------------------------------
results="$scratch/results"
rm -rf "$results"
mkdir -p "$results"

# The corpus of shape-N (e.g. standard-1000), generated unless the cached one was made by the
# same generator.
corpus() {
  local key="$1" dir="$scratch/$1"
  local shape="${key%-*}" n="${key##*-}"
  local want
  want="$( (cat "$repo/examples/gen-corpus.rs" "$repo"/examples/common/*.rs; find "$repo/bench/hugo" -type f | sort | xargs cat) \
    | sha256sum | cut -c1-16)-seed$seed-hugo$with_hugo"
  if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$with_hugo" = 1 ]; then
      "$gen" "$n" "$dir/dossier" --seed "$seed" --shape "$shape" --hugo "$dir/hugo"
    else
      "$gen" "$n" "$dir/dossier" --seed "$seed" --shape "$shape"
    fi
    echo "$want" >"$dir/stamp"
  fi
}

# An empty output folder: the old one is removed (and flushed to disk) outside the measurement.
clean() {
  rm -rf "$1"
  sync
}

# output_for KEY TOOL NAME: the output folder of a full build of corpus KEY, printed: a folder
# never used before (NAME under the run's fresh folder), or with --reuse-paths and at 100,000
# briefs the tool's usual one, emptied.
output_for() {
  local key="$1" tool="$2" name="$3"
  if [ "$fresh" = 1 ] && [ "${key##*-}" != 100000 ]; then
    mkdir -p "$fresh_dir"
    sync
    echo "$fresh_dir/$name"
  else
    clean "$scratch/$key/out-$tool"
    echo "$scratch/$key/out-$tool"
  fi
}

# build TOOL KEY OUT: the command that builds corpus KEY (shape-N) into OUT.
build_cmd() {
  local tool="$1" key="$2" out="$3"
  case "$tool" in
    dossier) echo "$dossier" build --quiet --root "$scratch/$key/dossier" --output "$out" ;;
    hugo) echo hugo --quiet -s "$scratch/$key/hugo" -d "$out" ;;
  esac
}

# CPU seconds all processes have used so far (from /proc/stat), to tell how much of the machine
# other processes took during a measurement.
busy_ticks() {
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}
hz="$(getconf CLK_TCK)"

# Waits until other processes use less than a tenth of a core (over half a second), at most
# $wait_max seconds; once that timed out, at most 5 s (the machine is busy: do not wait forever).
settle() {
  local deadline=$((SECONDS + wait_max)) b0 b1
  while [ "$SECONDS" -lt "$deadline" ]; do
    b0="$(busy_ticks)"
    sleep 0.5
    b1="$(busy_ticks)"
    if [ $((b1 - b0)) -le $((hz / 20)) ]; then
      return 0
    fi
  done
  if [ "$wait_max" -gt 5 ]; then
    echo "   (other processes keep the CPUs busy: measuring anyway; see the 'others' column)"
    wait_max=5
  fi
}

# measure LABEL TOOL KEY OUT: one build under /usr/bin/time -v; appends
# "wall_s cpu_s rss_kib others_cpu_s" to LABEL (others: CPU time of other processes meanwhile).
measure() {
  local label="$1" tool="$2" key="$3" out="$4"
  local tv="$scratch/time-v.txt" err="$scratch/stderr.txt"
  local cmd
  cmd="$(build_cmd "$tool" "$key" "$out")"
  settle
  local b0
  b0="$(busy_ticks)"
  local t0="$EPOCHREALTIME"
  # shellcheck disable=SC2086 # the paths have no spaces by construction
  if ! /usr/bin/time -v -o "$tv" $cmd >/dev/null 2>"$err"; then
    echo "compare.sh: the build failed: $cmd" >&2
    cat "$err" >&2
    exit 1
  fi
  local t1="$EPOCHREALTIME"
  local b1
  b1="$(busy_ticks)"
  awk -v t0="$t0" -v t1="$t1" -v busy="$((b1 - b0))" -v hz="$hz" -F': ' '
    /User time \(seconds\)/ { user = $2 }
    /System time \(seconds\)/ { sys = $2 }
    /Maximum resident set size/ { rss = $2 }
    END {
      others = busy / hz - user - sys
      printf "%.3f %.2f %d %.2f\n", t1 - t0, user + sys, rss, others < 0 ? 0 : others
    }' "$tv" >>"$results/$label"
}

# median FILE COLUMN
median() {
  awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '
    { v[NR] = $1 }
    END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# spread FILE: "min-max" of the wall times
spread() {
  awk '{ print $1 }' "$1" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

tools_for() {
  if [ "$with_hugo" = 1 ] && { [ "$1" != 100000 ] || [ "$huge_hugo" = 1 ]; }; then
    echo "dossier hugo"
  else
    echo "dossier"
  fi
}

# --- runs ------------------------------------------------------------------------------------
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
  "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
if [ "$dossier" = "$target/release/dossier" ]; then
  echo "dossier: the working tree at $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$(cd "$repo" && git status --porcelain -- src themes Cargo.toml 2>/dev/null | grep -q . && echo '(with uncommitted changes)')"
else
  echo "dossier: $dossier"
fi
if [ "$with_hugo" = 1 ]; then
  echo "hugo: $(hugo version | cut -d' ' -f2)"
fi
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

for shape in $shapes; do
for n in $sizes; do
  key="$shape-$n"
  corpus "$key"
  tools="$(tools_for "$n")"
  n_runs="$runs"
  n_noop="$noop_runs"
  n_cold="$cold_runs"
  if [ "$n" = 100000 ]; then
    n_runs=$((runs < 3 ? runs : 3))
    n_noop=1
    n_cold=1
  fi
  echo "== $shape shape, $n briefs: $n_runs full builds and $n_noop no-op rebuilds per tool ($tools)"
  # Warm-up (not measured): brings the corpus and the binaries into the page cache.
  if [ "$n" != 100000 ]; then
    for tool in $tools; do
      out="$scratch/$key/out-$tool"
      clean "$out"
      measure "warmup" "$tool" "$key" "$out"
    done
  fi
  for r in $(seq 1 "$n_runs"); do
    order="$tools"
    if [ $((r % 2)) = 0 ]; then
      order="$(echo "$tools" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')"
    fi
    for tool in $order; do
      out="$(output_for "$key" "$tool" "$key-$tool-$r")"
      measure "$key-$tool-full" "$tool" "$key" "$out"
    done
  done
  # First builds: no citation cache (as on a fresh clone), so every citation form is formatted
  # by hayagriva; each writes the cache again, removed before the next and kept for the runs below.
  for r in $(seq 1 "$n_cold"); do
    out="$(output_for "$key" dossier "$key-dossier-cold-$r")"
    rm -rf "$scratch/$key/dossier/.dossier-cache"
    sync
    measure "$key-dossier-cold" dossier "$key" "$out"
  done
  out="$scratch/$key/out-dossier"
  clean "$out"
  measure "warmup" dossier "$key" "$out"
  # No-op rebuilds: the output of the previous build is there and nothing changed.
  for r in $(seq 1 "$n_noop"); do
    order="$tools"
    if [ $((r % 2)) = 0 ]; then
      order="$(echo "$tools" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')"
    fi
    for tool in $order; do
      measure "$key-$tool-noop" "$tool" "$key" "$scratch/$key/out-$tool"
    done
  done
  for tool in $tools; do
    out="$scratch/$key/out-$tool"
    echo "$(find "$out" -type f | wc -l) $(du -sb "$out" | awk '{ printf "%.0f", $1 / 1e6 }')" >"$results/$key-$tool-files"
  done
  # Where dossier's time goes: a full build and a no-op rebuild with --verbose (stage times).
  out="$scratch/$key/out-dossier"
  clean "$out"
  for kind in full noop; do
    "$dossier" build --verbose --root "$scratch/$key/dossier" --output "$out" 2>&1 >/dev/null \
      | awk '{ $1 = $1; printf "%s%s", sep, $0; sep = ", " } END { print "" }' >"$results/$key-stages-$kind"
  done
done
done
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ----------------------------------------------------------------------------------
row() { # row KEY TOOL KIND (KEY: shape-N)
  local f="$results/$1-$2-$3"
  [ -s "$f" ] || return 0
  local files="-" mb="-"
  if [ -s "$results/$1-$2-files" ]; then
    read -r files mb <"$results/$1-$2-files"
  fi
  printf "%-18s %-8s %7.2f  %-11s %7.2f %9.0f %8s %9s %7.2f\n" "$1" "$2" "$(median "$f" 1)" "$(spread "$f")" \
    "$(median "$f" 2)" "$(awk -v k="$(median "$f" 3)" 'BEGIN { print k / 1024 }')" "$files" "$mb" \
    "$(median "$f" 4)"
}
ratio_row() { # ratio_row KEY KIND
  local d="$results/$1-dossier-$2" h="$results/$1-hugo-$2"
  [ -s "$d" ] && [ -s "$h" ] || return 0
  printf "%-18s %-8s %7s  %-11s %7s %9s\n" "$1" "d/h" "$(ratio "$(median "$d" 1)" "$(median "$h" 1)")" "" \
    "$(ratio "$(median "$d" 2)" "$(median "$h" 2)")" "$(ratio "$(median "$d" 3)" "$(median "$h" 3)")"
}
header() {
  printf "%-18s %-8s %7s  %-11s %7s %9s %8s %9s %7s\n" "shape-briefs" "tool" "wall s" "(min-max)" "CPU s" \
    "peak MiB" "files" "output MB" "others"
}

keys="$(for shape in $shapes; do for n in $sizes; do printf "%s " "$shape-$n"; done; done)"
echo
if [ "$fresh" = 1 ]; then
  echo "== Full build into a new output folder (median of $runs; d/h = dossier / Hugo)"
else
  echo "== Full build into an empty output folder, the previous one just deleted (median of $runs; d/h = dossier / Hugo)"
fi
header
for key in $keys; do
  for tool in dossier hugo; do row "$key" "$tool" full; done
  ratio_row "$key" full
done

echo
echo "== First build without the citation cache (.dossier-cache/ removed; median of $cold_runs, dossier only)"
header
for key in $keys; do
  row "$key" dossier cold
  # The first build against Hugo's full build (Hugo has no cache to lose).
  if [ -s "$results/$key-dossier-cold" ] && [ -s "$results/$key-hugo-full" ]; then
    cold="$results/$key-dossier-cold" hugo_full="$results/$key-hugo-full"
    printf "%-18s %-8s %7s  %-11s %7s %9s\n" "$key" "d/h" \
      "$(ratio "$(median "$cold" 1)" "$(median "$hugo_full" 1)")" "" \
      "$(ratio "$(median "$cold" 2)" "$(median "$hugo_full" 2)")" \
      "$(ratio "$(median "$cold" 3)" "$(median "$hugo_full" 3)")"
  fi
done

echo
echo "== No-op rebuild: the same build again over its own output (median of $noop_runs)"
header
for key in $keys; do
  for tool in dossier hugo; do row "$key" "$tool" noop; done
  ratio_row "$key" noop
done

echo
echo "== Scaling of the full build: value at N / value at 1000"
printf "%-18s %-8s %7s %7s %9s\n" "shape-briefs" "tool" "wall" "CPU" "peak RSS"
for key in $keys; do
  [ "${key##*-}" = 1000 ] && continue
  for tool in dossier hugo; do
    big="$results/$key-$tool-full" small="$results/${key%-*}-1000-$tool-full"
    if [ ! -s "$big" ] || [ ! -s "$small" ]; then
      continue
    fi
    printf "%-18s %-8s %7s %7s %9s\n" "$key" "$tool" "$(ratio "$(median "$big" 1)" "$(median "$small" 1)")" \
      "$(ratio "$(median "$big" 2)" "$(median "$small" 2)")" "$(ratio "$(median "$big" 3)" "$(median "$small" 3)")"
  done
done

echo
echo "== dossier stages (dossier build --verbose: one full build, then one no-op rebuild)"
for key in $keys; do
  for kind in full noop; do
    if [ -s "$results/$key-stages-$kind" ]; then
      printf "%-18s %-5s %s\n" "$key" "$kind" "$(cat "$results/$key-stages-$kind")"
    fi
  done
done
echo
echo "others: CPU seconds that other processes used during a run (median); well above 0, the"
echo "machine was shared and the wall times are pessimistic."
echo "Raw measurements (wall s, CPU s, peak RSS KiB, others' CPU s per run): $results/"
