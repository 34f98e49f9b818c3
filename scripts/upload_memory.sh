#!/usr/bin/env bash
# Memory under a burst of uploads (issue 27): N concurrent POST /plans of SIZE_MIB each against
# the release build with a data directory, then the server's peak RSS (VmHWM) and the answers'
# status codes. Uploads past the upload memory budget (config.rs UPLOAD_MEMORY_BYTES) wait with
# their bodies unread; those that wait past WRITE_WAIT get 503 with Retry-After.
#   scripts/upload_memory.sh                 96 uploads of 7 MiB
#   N=32 SIZE_MIB=2 scripts/upload_memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-96}
SIZE_MIB=${SIZE_MIB:-7}
PORT=${PORT:-18090}
cargo build --release -q
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
# N distinct plan texts of SIZE_MIB each (a line that names projects, then prose, and a first
# line of its own so that no two are one stored plan)
python3 - "$work" "$N" "$SIZE_MIB" <<'PY'
import sys
work, n, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# a plan is mostly prose: a few projects, then pages of policy
head = "加快推进博乐至阿拉山口高速公路建设，建设赛里木湖景区，新建精河县工业园区。\n"
prose = "坚持以人民为中心的发展思想，完整准确全面贯彻新发展理念，推动经济社会高质量发展。\n"
body = head + prose * (mib * 1024 * 1024 // len(prose.encode()) - 2)
for i in range(n):
    with open(f"{work}/plan{i}.txt", "w", encoding="utf-8") as f:
        f.write(f"博尔塔拉蒙古自治州第{i}号上传测试行动计划\n")
        f.write(body)
PY
./target/release/planmap serve --addr 127.0.0.1:$PORT --data "$work/data" --token bench \
  --max-plan-bytes $(( (SIZE_MIB + 1) * 1024 * 1024 )) 2>"$work/log" &
pid=$!
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$PORT/conformance" >/dev/null && break; sleep 0.1; done
kb() { awk -v k="$1" '$1 == k":" {print $2}' /proc/$pid/status; }
echo "RSS before: $(kb VmRSS) kB"
start=$(date +%s.%N)
seq 0 $((N - 1)) | xargs -P "$N" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  -H 'Authorization: Bearer bench' -H 'Content-Type: text/plain; charset=utf-8' \
  --data-binary @"$work/plan{}.txt" "http://127.0.0.1:$PORT/plans" >"$work/codes"
end=$(date +%s.%N)
echo "uploads: $N x $SIZE_MIB MiB in $(python3 -c "print(f'{$end - $start:.1f}')") s"
echo "answers: $(sort "$work/codes" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
echo "peak RSS (VmHWM): $(( $(kb VmHWM) / 1024 )) MiB; RSS after: $(( $(kb VmRSS) / 1024 )) MiB"
