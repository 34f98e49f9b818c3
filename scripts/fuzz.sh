#!/usr/bin/env bash
# Coverage-guided fuzzing of the input parsers with cargo-fuzz (libFuzzer).
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 15)
# cargo-fuzz wants nightly; RUSTC_BOOTSTRAP=1 lets the stable toolchain, the only one here, take
# the same flags. Prints each target's run count; exits non-zero on a crash (artifacts in
# fuzz/artifacts/). No AddressSanitizer (-s none): planmap has no unsafe code for it to watch,
# and without it the build is shorter and a target runs 3 to 5 times as many inputs (panics
# and hangs are what is looked for).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
export RUSTC_BOOTSTRAP=1
cd fuzz
cargo fuzz build -O -s none >/dev/null 2>&1 || cargo fuzz build -O -s none
for t in extract_text query_params geojson_body cql_filter; do
  # an input that takes over 10 s is a hang, reported like a crash
  out=$(cargo fuzz run -O -s none "$t" -- -max_total_time="$secs" -timeout=10 2>&1) || { echo "$out" | tail -n 40; exit 1; }
  echo "fuzz $t: $(echo "$out" | grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' | tail -n 1)"
done
