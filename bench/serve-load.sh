#!/usr/bin/env bash
# Load benchmark of `dossier serve` on loopback, while a brief is being edited (not a timed test:
# it prints figures, and fails only on errors or memory growth). On a copy of the bundled example
# site it runs two rounds (a warm-up and a measured one) of wrk with C connections for S seconds
# each, over a mix of URLs (home, a listing page, brief, author and source pages, the citation
# index, style.css, search.js, search index files, an image read from disk, a redirect) plus a
# second wrk on a missing page (deliberate 404s), while:
#   - a loop rewrites a brief's body every ~200 ms, so rebuilds and live reloads happen throughout;
#   - 4 live-reload streams (curl) are open and count the reload events;
#   - the server's RSS (VmRSS of /proc/PID/status) is sampled every second.
# It prints, per round: requests, socket errors, statuses, p50/p90/p99/max latency, and RSS at the
# start, peak and end. It exits 1 if a request failed (a socket error, a status outside 2xx/3xx on
# the site's URLs, anything but 404 on the probe) or if the RSS at the end of the measured round
# exceeds the end of the warm-up round by more than GROWTH_KIB (default 16 MiB).
#
#   bench/serve-load.sh [SECONDS] [CONNECTIONS]     # defaults: 30 and 200 (8 of them on the probe)
#   DOSSIER=/path/to/dossier bench/serve-load.sh    # a prebuilt binary instead of a release build
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
connections="${2:-200}"
growth_kib="${GROWTH_KIB:-16384}"
probe_connections=8
main_connections=$((connections - probe_connections))

if ! command -v wrk >/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y wrk
fi
if [ -z "${DOSSIER:-}" ]; then
  cargo build --release --quiet --bin dossier
  DOSSIER="$PWD/target/release/dossier"
fi

work="$(mktemp -d /tmp/dossier-serve-load.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A copy of the example site, so that the edits never touch the repository.
mkdir "$work/site"
cp -r site.toml briefs static refs "$work/site/"
brief="$work/site/briefs/2023/korea-chip-exports-2023.md"

"$DOSSIER" serve --root "$work/site" --port 0 >"$work/serve.log" 2>&1 &
server=$!
pids+=("$server")
for _ in $(seq 600); do
  grep -q "Serving the site at" "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
url="$(grep -o 'http://[^ ]*' "$work/serve.log" | head -1)"
origin="${url%/the-peninsula/}"
base="/the-peninsula"
paths=(
  "$base/" "$base/page/2/" "$base/korea-chip-exports-2023/" "$base/north-korea-crypto-theft/"
  "$base/kaesong-precedent/" "$base/authors/" "$base/authors/elena-marsh/"
  "$base/authors/jiwoo-han/" "$base/citations/" "$base/citations/ham-dprk-tracker/"
  "$base/tags/" "$base/style.css" "$base/search.js" "$base/search/index.json"
  "$base/search/i/0.json.gz" "$base/search/d/3.json.gz" "$base/images/port-cranes.svg" "/"
)
probe="$base/no-such-page/"

# Every URL answers before the load: a missing page would otherwise show up only as errors.
for path in "${paths[@]}"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$origin$path")"
  case "$status" in
    2?? | 3??) ;;
    *) echo "error: $path answered $status before the load" >&2; exit 1 ;;
  esac
done

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }
( while kill -0 "$server" 2>/dev/null; do echo "$(date +%s) $(rss)"; sleep 1; done ) \
  >"$work/rss" 2>/dev/null &
pids+=("$!")
for i in 1 2 3 4; do
  curl -sN "$origin/__dossier/events" >"$work/events.$i" 2>/dev/null &
  pids+=("$!")
done
original="$(cat "$brief")"
(
  n=0
  while :; do
    n=$((n + 1))
    printf '%s\n\nRevision %d of this brief, written during the load test.\n' "$original" "$n" >"$brief"
    sleep 0.2
  done
) &
editor=$!
pids+=("$editor")

# One round: the URL mix and the probe at the same time; prints the rounds' summary lines.
round() {
  local name="$1"
  wrk -t2 -c"$main_connections" -d"${seconds}s" --latency -s bench/serve-load.lua "$origin" \
    -- "${paths[@]}" >"$work/$name.main" 2>&1 &
  local main=$!
  wrk -t1 -c"$probe_connections" -d"${seconds}s" -s bench/serve-load.lua "$origin" \
    -- "$probe" >"$work/$name.probe" 2>&1 || true
  wait "$main" || true
}
field() { grep -o "$2=[^ ]*" <<<"$1" | cut -d= -f2; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

failed=0
# The machine may be shared: the load average says how much the figures are worth.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start_rss="$(rss)"
start_time="$(date +%s)"
for name in warm-up measured; do
  round "$name"
  end="$(rss)"
  if [ "$name" = warm-up ]; then end_warmup="$end"; else end_measured="$end"; fi
  main="$(grep '^SERVE-LOAD' "$work/$name.main" || true)"
  probed="$(grep '^SERVE-LOAD' "$work/$name.probe" || true)"
  if [ -z "$main" ] || [ -z "$probed" ]; then
    echo "error: wrk did not finish the $name round" >&2
    cat "$work/$name.main" "$work/$name.probe" >&2
    exit 1
  fi
  socket=0
  for kind in connect read write timeout; do
    socket=$((socket + $(field "$main" $kind) + $(field "$probed" $kind)))
  done
  bad="$(field "$main" statuses | tr ',' '\n' | awk -F: '$1 < 200 || $1 >= 400 { n += $2 } END { print n + 0 }')"
  probe_bad="$(field "$probed" statuses | tr ',' '\n' | awk -F: '$1 != 404 { n += $2 } END { print n + 0 }')"
  probes="$(field "$probed" requests)"
  requests=$(($(field "$main" requests) + probes))
  echo "$name round: ${seconds} s, $connections connections ($probe_connections on the 404 probe):" \
    "$requests requests ($probes probes), $((requests / seconds)) per second"
  echo "  errors: $socket socket errors, $bad bad statuses on site URLs, $probe_bad probes not 404" \
    "(statuses: $(field "$main" statuses); probe: $(field "$probed" statuses))"
  echo "  latency of site URLs: p50 $(ms "$(field "$main" p50_us)") ms," \
    "p90 $(ms "$(field "$main" p90_us)") ms, p99 $(ms "$(field "$main" p99_us)") ms," \
    "max $(ms "$(field "$main" max_us)") ms"
  if [ "$socket" -ne 0 ] || [ "$bad" -ne 0 ] || [ "$probe_bad" -ne 0 ]; then
    failed=1
  fi
done
kill "$editor"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
peak="$(awk -v since="$start_time" '$1 >= since && $2 > max { max = $2 } END { print max + 0 }' "$work/rss")"
rebuilds="$(grep -c 'changed (' "$work/serve.log" || true)"
reloads="$(cat "$work"/events.* | grep -c '^event: reload' || true)"
echo "edits: $rebuilds rebuilds during the run; $reloads reload events on 4 live-reload streams"
echo "RSS: start $((start_rss / 1024)) MiB, peak $((peak / 1024)) MiB," \
  "end of warm-up $((end_warmup / 1024)) MiB, end $((end_measured / 1024)) MiB" \
  "(KiB: $start_rss, $peak, $end_warmup, $end_measured)"
growth=$((end_measured - end_warmup))
if [ "$growth" -gt "$growth_kib" ]; then
  echo "error: RSS grew by $growth KiB in the measured round (bound $growth_kib KiB)" >&2
  failed=1
fi
if grep -q "^error\|panicked" "$work/serve.log"; then
  echo "error: the server reported errors:" >&2
  grep "^error\|panicked" "$work/serve.log" >&2
  failed=1
fi
[ "$failed" -eq 0 ] && echo "serve-load: no errors"
exit "$failed"
