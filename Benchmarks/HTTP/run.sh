#!/usr/bin/env bash
# HTTP webhook ingest under wrk (Debian's `wrk`), against the same server's trivial `/health` as
# the baseline, measured in the same run; and the hub's peak RSS (VmHWM) while it serves the store
# given and takes that load. Prints a Markdown section; with --write FILE, replaces it in FILE.
#
# The webhooks are Kannel MO callbacks (`GET /webhooks/kannel/inbound?secret=…&id=…`): the channel
# checks a secret in the query, so wrk can send a new message per request (a new `id` from its Lua
# script) without computing an HMAC per body. A 2xx means the message is stored (group commit,
# synchronous = FULL).
#
# usage: Benchmarks/HTTP/run.sh --binary PATH [--store SQLITE_FILE] [--seconds N] [--connections C] [--profile] [--write FILE]
#   --binary  a release build: swift build -c release --product switchboard --scratch-path .build-bench
#   --profile after the measured runs, a third ingest run (not measured) under `perf record`
#             (Debian's linux-perf; cpu-clock samples with frame-pointer call graphs): where the
#             hub's time goes, by thread, by library and by frame, in a section of its own
#   --store   a SQLite store to serve (copied first; default: a new empty one), e.g. the one
#             `switchboard generate` makes (docs/benchmarks.md, "Reads at a million messages")
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source-path=SCRIPTDIR/../../scripts/lib
source scripts/lib/daemons.sh
BINARY="" STORE="" SECONDS_EACH=10 CONNECTIONS=64 WRITE="" PROFILE=""
while [ $# -gt 0 ]; do
    case "$1" in
    --binary) BINARY="$2"; shift 2 ;;
    --store) STORE="$2"; shift 2 ;;
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --write) WRITE="$2"; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$BINARY" ] || { echo "--binary must name a built switchboard" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/sb-http-bench.XXXXXX)"
PORT=23191
SECRET="bench-kannel-secret-0123456789"
HUB_PID=""
cleanup() {
    stop_process "$HUB_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "$STORE" ]; then cp "$STORE" "$WORK/hub.sqlite"; fi
cat >"$WORK/hub.yaml" <<YAML
server:
  host: 127.0.0.1
  port: $PORT
storage:
  sqlite:
    path: $WORK/hub.sqlite
channels:
  - id: kannel
    type: kannel
    settings:
      secret: $SECRET
      sendsms_url: http://127.0.0.1:9/cgi-bin/sendsms
      username: bench
      password: bench-password
      from: "12345"
      default_region: US
YAML
cat >"$WORK/ingest.lua" <<'LUA'
-- One new message per request: the thread number and a counter make the id unique, and the
-- senders cycle over 5,000 French mobile numbers (new and returning customers).
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  counter = 0
end
request = function()
  counter = counter + 1
  local sender = string.format("%%2B336123%05d", (counter * 7 + tid * 13) % 5000)
  local path = "/webhooks/kannel/inbound?secret=" .. secret .. "&from=" .. sender ..
    "&to=12345&text=Where+is+my+order%3F&charset=UTF-8&coding=0&id=w" .. tid .. "-" .. counter
  return wrk.format("GET", path)
end
LUA
sed -i "1i secret = \"$SECRET\"" "$WORK/ingest.lua"

"$BINARY" serve --config "$WORK/hub.yaml" >"$WORK/hub.log" 2>&1 &
HUB_PID=$!
wait_for_hub "$PORT" "$HUB_PID" "$WORK/hub.log"

run_wrk() { wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@"; }
echo "== baseline: GET /health" >&2
run_wrk "http://127.0.0.1:$PORT/health" >"$WORK/health.txt"
echo "== ingest: Kannel MO callbacks" >&2
run_wrk -s "$WORK/ingest.lua" "http://127.0.0.1:$PORT" >"$WORK/ingest.txt"
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$HUB_PID/status")
requests=$(awk '/requests in/ {print $1}' "$WORK/ingest.txt")
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM messages WHERE channel = 'kannel'\").fetchone()[0])" "$WORK/hub.sqlite")
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
p() { awk -v q="$2" '$1 == q {print $2}' "$1"; }
non2xx() {
    local count
    count=$(awk '/Non-2xx/ {print $5}' "$1")
    echo "${count:-0}"
}
health_rate=$(rate "$WORK/health.txt")
ingest_rate=$(rate "$WORK/ingest.txt")
ratio=$(awk -v a="$ingest_rate" -v b="$health_rate" 'BEGIN { printf "%.0f", a / b * 100 }')
machine="$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo) RAM"
store_text="a new empty store"
[ -n "$STORE" ] && store_text="a copy of $(basename "$STORE") ($(du -h "$STORE" | cut -f1))"

section="<!-- http-ingest-benchmark:begin -->
#### Webhook ingest over HTTP, and memory

Measured $(date -u +%Y-%m-%dT%H:%M:%SZ) on $machine, \`$BINARY\`; wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s on the same
machine over 127.0.0.1; the hub serving $store_text.

| | requests/s | p50 | p99 | non-2xx |
|---|---:|---:|---:|---:|
| baseline: \`GET /health\` | $health_rate | $(p "$WORK/health.txt" 50%) | $(p "$WORK/health.txt" 99%) | $(non2xx "$WORK/health.txt") |
| ingest: Kannel MO callback, stored before the 200 | $ingest_rate | $(p "$WORK/ingest.txt" 50%) | $(p "$WORK/ingest.txt" 99%) | $(non2xx "$WORK/ingest.txt") |
| **ratio ingest / baseline** | **$ratio %** | | | target ≥ 50 % |

The ingest run sent $requests requests and the store holds $stored Kannel messages afterwards (every 2xx is a stored
message; requests still in flight when wrk stopped may be stored too).
Peak RSS of the hub (VmHWM) after both runs: **$((rss_kb / 1024)) MB** (target ≤ 150 MB).
<!-- http-ingest-benchmark:end -->"
profile_section=""
if [ -n "$PROFILE" ]; then
    command -v perf >/dev/null || { echo "perf is missing (apt-get install linux-perf)" >&2; exit 1; }
    echo "== profile: ingest under perf record (not measured)" >&2
    run_wrk -s "$WORK/ingest.lua" "http://127.0.0.1:$PORT" >"$WORK/profile-wrk.txt" &
    wrk_pid=$!
    sleep 1
    perf record -q -e cpu-clock -F 499 -g -p "$HUB_PID" -o "$WORK/perf.data" -- sleep $((SECONDS_EACH > 4 ? SECONDS_EACH - 3 : 2)) 2>/dev/null
    wait "$wrk_pid"
    set +o pipefail # `head` ends the reports' pipelines early
    report() { perf report -i "$WORK/perf.data" --stdio -g none "$@" 2>/dev/null | grep -v '^#' | grep '%' | swift demangle --simplified; }
    samples=$(perf report -i "$WORK/perf.data" --stdio -g none --no-children -n --sort comm 2>/dev/null | awk '$1 ~ /%$/ { n += $2 } END { print n }')
    by_thread=$(report --no-children --sort comm | awk '{ printf "| %s | %s |\n", $2, $1 }' | head -6)
    by_library=$(report --no-children --sort dso | awk '{ printf "| %s | %s |\n", $2, $1 }' | head -8)
    # Frames of the hub's own code (and its packages), by the share of samples under them.
    frames=$(report --children --sort dso,symbol | awk '$3 == "switchboard" { share = $1; $1 = ""; $2 = ""; $3 = ""; $4 = ""; sub(/^ +/, ""); sub(/ +- +-$/, ""); printf "| %s | `%s` |\n", share, substr($0, 1, 110) }' |
        grep -v 'thunk\|partial apply\|reabstraction\|run()\|setupThreadAndEventLoop\|ThreadOpsPosix' | head -25)
    profile_section="<!-- http-ingest-profile:begin -->
#### Where the hub's time goes during ingest

Profiled $(date -u +%Y-%m-%dT%H:%M:%SZ): \`perf record -e cpu-clock -F 499 -g\` on the hub during a third ingest
run like the one above, $samples samples. Percentages are of the hub's samples; wrk's own CPU is not in them.

| thread | share |
|---|---:|
$by_thread

| library | share (self) |
|---|---:|
$by_library

| share (inclusive) | frame in the hub's code |
|---:|---|
$frames
<!-- http-ingest-profile:end -->"
    set -o pipefail
fi

echo "$section"
if [ -n "$profile_section" ]; then echo "$profile_section"; fi
if [ -n "$WRITE" ]; then
    python3 Benchmarks/write_section.py "$WRITE" "$section"
    if [ -n "$profile_section" ]; then
        python3 Benchmarks/write_section.py "$WRITE" "$profile_section" "<!-- http-ingest-benchmark:end -->"
    fi
fi
