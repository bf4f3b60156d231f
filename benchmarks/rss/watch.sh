#!/usr/bin/env bash
# Watches the executor of a running benchmarks/vus-10k.sh, to tell GC growth from retained memory.
#
#   PROTOCOL=mqtt VUS=2000 THINK_MS=1000 RAMP=10 DURATION=230 SAMPLE=5 KEEP_WORK=1 benchmarks/vus-10k.sh >run.out 2>&1 &
#   benchmarks/rss/watch.sh OUT run.out [--tools] 30 90 150 210
#
# Finds the executor's pid in the benchmark's output ("standalone executor (pid N"), then from that moment:
# - every 5 s: VmRSS, RssAnon, RssFile (/proc/PID/status) into OUT/rss.txt;
# - at each given second: a copy of /proc/PID/smaps (OUT/smaps-T.txt; summarise with smaps-summary.py);
# - with --tools: also dotnet-counters (System.Runtime, every 5 s, OUT/counters.csv; table with counters-table.py)
#   and a dotnet-gcdump at each given second (OUT/dump-T.gcdump; `dotnet-gcdump report` lists the types). A
#   gcdump induces a full blocking GC, so its heap is the live managed heap after a full GC. Both use EventPipe,
#   whose buffers add to the RSS: leave --tools out to measure the RSS itself.
# Do not take a full dump (dotnet-dump) or attach a debugger during a run: a pause of a few seconds makes the
# control plane drop the executor ("Executor vus10k was lost").
# Needs `dotnet tool install -g dotnet-counters dotnet-gcdump` for --tools. Everything ends with the executor.
set -euo pipefail
export PATH="$PATH:$HOME/.dotnet/tools"
OUT="$1"; LOG="$2"; shift 2
TOOLS=""
if [[ "${1:-}" == --tools ]]; then TOOLS=1; shift; fi
mkdir -p "$OUT"
PID=""
for _ in $(seq 1 600); do
    PID="$(sed -n 's/.*standalone executor (pid \([0-9]*\).*/\1/p' "$LOG" 2>/dev/null | head -n 1)"
    [[ -n "$PID" ]] && break
    sleep 0.5
done
[[ -n "$PID" ]] || { echo "no executor pid in $LOG after 300 s" >&2; exit 1; }
echo "$PID" >"$OUT/pid"
sleep 3
T0="$(date +%s)"
CPID=""
if [[ -n "$TOOLS" ]]; then
    timeout 1800 dotnet-counters collect -p "$PID" --refresh-interval 5 --format csv -o "$OUT/counters.csv" \
        --counters System.Runtime >"$OUT/counters.log" 2>&1 &
    CPID=$!
fi
( while kill -0 "$PID" 2>/dev/null; do
    echo "$(( $(date +%s) - T0 )) $(awk '/^(VmRSS|RssAnon|RssFile):/ {printf "%s ", $2}' "/proc/$PID/status" 2>/dev/null)"
    sleep 5
  done ) >"$OUT/rss.txt" &
RPID=$!
for t in "$@"; do
    now=$(( $(date +%s) - T0 ))
    (( t > now )) && sleep $(( t - now ))
    kill -0 "$PID" 2>/dev/null || break
    cp "/proc/$PID/smaps" "$OUT/smaps-$t.txt" 2>/dev/null || true
    if [[ -n "$TOOLS" ]]; then
        timeout 120 dotnet-gcdump collect -p "$PID" -o "$OUT/dump-$t.gcdump" >"$OUT/gcdump-$t.log" 2>&1 || true
    fi
done
wait "$RPID" || true
if [[ -n "$CPID" ]]; then kill "$CPID" 2>/dev/null || true; wait "$CPID" 2>/dev/null || true; fi
