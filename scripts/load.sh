#!/usr/bin/env bash
# HTTP load on the release build over loopback, with Debian's wrk.
#   scripts/load.sh            each query kind alone for 10 s, 64 connections, 2 threads
#   DURATION=60 scripts/load.sh  the same for 60 s, then a 60 s mixed read load (issue 8)
# Prints requests/s, p50 and p99 latency, non-2xx/3xx answers and socket errors per run, and the
# server's RSS before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
PORT=${PORT:-18080}
cargo build --release -q
./target/release/planmap serve --addr 127.0.0.1:$PORT 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/conformance" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$pid/status; }
echo "RSS before: $(rss)"
lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
-- a mixed read load: bbox, nearest, within, county lookup, one item, a collection page
local paths = {
  "/collections/projects/items?bbox=82.5,46.4,83.7,47.3&limit=50",
  "/search/nearest?lon=84.9&lat=44.4&k=10",
  "/search/within?lon=87.6&lat=43.8&km=50&limit=50",
  "/counties/at?lon=82.98&lat=46.75",
  "/collections/airport/items?limit=10",
  "/collections/projects/items?limit=100&offset=200",
  "/collections/counties/items/654201",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("  %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors: %d non-2xx/3xx, %d socket (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
LUA
run() {
  echo "$1:"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$lua" "$2" | tail -n 1
}
# single-kind runs reuse the done() reporter with a one-path script
single() {
  local one
  one=$(mktemp --suffix=.lua)
  sed "s|^local paths = {|local paths = { \"$2\" } local _unused = {|" "$lua" >"$one"
  echo "$1:"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$one" "http://127.0.0.1:$PORT" | tail -n 1
  rm -f "$one"
}
single "bbox query" "/collections/projects/items?bbox=82.5,46.4,83.7,47.3\&limit=10"
single "nearest query" "/search/nearest?lon=84.9\&lat=44.4\&k=5"
single "county lookup" "/counties/at?lon=82.98\&lat=46.75"
if [ "$DURATION" -ge 60 ]; then
  run "mixed read load" "http://127.0.0.1:$PORT"
fi
echo "RSS after: $(rss)"
rm -f "$lua"
