#!/usr/bin/env bash
# Many concurrent keep-alive HTTP connections on ONE standalone executor, at a low rate each, spread over source
# addresses: the memory per connection and the latency against a target of fixed latency.
#
#   CONNS=18000 benchmarks/connections.sh
#
# The target is benchmarks/DelayTarget (Kestrel) on 127.0.0.1, answering GET / after DELAY_MS (50 ms). Each VU keeps
# one keep-alive connection, sends one GET and thinks INTERVAL_MS (10 s), so the machine serves about CONNS / 10
# requests per second: the point is connections and memory, not throughput. The executor binds its connections to
# SOURCES (Executor:SourceAddresses, 127.0.0.2-127.0.0.200) in turn. The stage ramps from 0 to CONNS over RAMP
# seconds, then holds CONNS for DURATION seconds.
#
# It samples every SAMPLE seconds the executor's RSS, threads and CPU and the connections the target holds (ss), and
# prints: RSS idle and at the plateau (median of the samples where the target held all CONNS connections),
# (plateau - idle) / CONNS, the report's requests, failures by class, tp50/tp99 against DELAY_MS, the target's own
# count and how long it held the requests (held_p99_ms: above DELAY_MS is the target's lateness; the report's tp99
# above held_p99_ms is the generator's or the kernel's), and how many source addresses the connections came from.
#
# Environment (all optional):
#   CONNS=18000           concurrent VUs = connections (issue_num, all on one executor)
#   SOURCES=127.0.0.2-127.0.0.200   Executor:SourceAddresses; empty: the kernel picks (one source address)
#   INTERVAL_MS=10000     think time after each request
#   DELAY_MS=50           the target's fixed latency
#   RAMP=60               seconds of linear ramp-up from 0 (stage ramp_up)
#   DURATION=120          seconds held at CONNS after the ramp
#   SAMPLE=2              seconds between samples
#   SKIP_BUILD=1          start the last Release build without rebuilding
#   KEEP_WORK=1           keep the temp directory (logs, samples.txt, report.json)
#   DOTNET_*              passed on to the executor and the target (not the control plane)
#
# Each connection is a descriptor in the executor and one in the target: both need CONNS + ~1000 open files. The
# script raises `ulimit -n` to the hard limit and refuses to run below that. Load goes only to 127.0.0.0/8, and every
# wait is bounded in time.
set -euo pipefail

CONNS="${CONNS:-18000}"
SOURCES="${SOURCES-127.0.0.2-127.0.0.200}"
SOURCES_SHOWN="${SOURCES:-one address, the kernel picks}"
INTERVAL_MS="${INTERVAL_MS:-10000}"
DELAY_MS="${DELAY_MS:-50}"
RAMP="${RAMP:-60}"
DURATION="${DURATION:-120}"
SAMPLE="${SAMPLE:-2}"
TENANT="bench0000project"
SECRET="bench-$RANDOM$RANDOM"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/connections.XXXXXX)"
TARGET_PID=""
CP_PID=""
EX_PID=""
SAMPLER_PID=""

# shellcheck source=lib/stack.sh
source "$REPO/benchmarks/lib/stack.sh"
trap 'end_benchmark $? "$SAMPLER_PID" "$EX_PID" "$CP_PID" "$TARGET_PID"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- limits ------------------------------------------------------------------------------------
NOFILE=$(( CONNS + 10000 ))
ulimit -Hn "$NOFILE" 2>/dev/null || true     # needs CAP_SYS_RESOURCE above the current hard limit
HARD="$(ulimit -Hn)"
if [[ "$HARD" != unlimited ]] && (( HARD < NOFILE )); then
    NOFILE="$HARD"
fi
if (( NOFILE < CONNS + 1000 )); then
    echo "the open files limit (hard $HARD) is too low for $CONNS connections per process (executor and target each" \
         "need CONNS + ~1000): raise the hard limit (ulimit -Hn with CAP_SYS_RESOURCE, LimitNOFILE, the container's nofile)" >&2
    exit 1
fi
ulimit -n "$NOFILE"
read -r PORT_LO PORT_HI < /proc/sys/net/ipv4/ip_local_port_range
PORTS=$(( PORT_HI - PORT_LO + 1 ))
if [[ -z "$SOURCES" ]] && (( PORTS < CONNS + 2000 )); then
    echo "ip_local_port_range $PORT_LO-$PORT_HI has $PORTS ports, too few for $CONNS connections from one address: set SOURCES" >&2
    exit 1
fi
log "ulimit -n $(ulimit -n); ip_local_port_range $PORT_LO-$PORT_HI ($PORTS ports per source address); sources $SOURCES_SHOWN"

missing=()
for tool in jq curl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
install_packages "${missing[@]}"

# --- build -------------------------------------------------------------------------------------
build_projects src/ControlPlane src/Executor benchmarks/DelayTarget

# --- target ------------------------------------------------------------------------------------
TARGET_PORT="$(free_port)"
TARGET_DIR="$REPO/benchmarks/DelayTarget/bin/Release/net10.0"
[[ -f "$TARGET_DIR/PerfTest.DelayTarget.dll" ]] || { echo "no $TARGET_DIR/PerfTest.DelayTarget.dll (build first)" >&2; exit 1; }
(cd "$TARGET_DIR" && exec dotnet PerfTest.DelayTarget.dll --urls "http://127.0.0.1:$TARGET_PORT" --DelayMs "$DELAY_MS") \
    >"$WORK/target.log" 2>&1 &
TARGET_PID=$!
TARGET_URL="http://127.0.0.1:$TARGET_PORT/"
target_stats() { curl -fsS --max-time 5 "http://127.0.0.1:$TARGET_PORT/stats" 2>/dev/null || echo '{}'; }
target_conns() { port_conns "$TARGET_PORT"; }
wait_http "http://127.0.0.1:$TARGET_PORT/stats" "$TARGET_PID" DelayTarget "$WORK/target.log"
log "DelayTarget on $TARGET_URL, $DELAY_MS ms per request (pid $TARGET_PID)"

# --- control plane and standalone executor ------------------------------------------------------
# The default quotas (docs/security.md#quotas) allow 10,000 VUs per stage: this run asks for CONNS.
CP_EXTRA="--Limits:Executor:MaxVus=$CONNS --Limits:Tenant:MaxRunningVus=$CONNS ${CP_EXTRA:-}"
start_control_plane aggregate-only
Executor__SourceAddresses="$SOURCES" start_executor conns
grep -E "source addresses|Open files limit" "$WORK/executor.log" | sed 's/^/   executor: /' >&2 || true

# --- project, task, case -----------------------------------------------------------------------
project="$(api POST /test-suites '{"name":"connections"}' | jq -er '.project_id')"
task="$(api POST /tasks "{\"name\":\"connections\",\"project_id\":$project}" | jq -er '.task_id')"
case_id="$(api POST /task-cases "{\"name\":\"get\",\"type\":0,\"task_id\":$task}" | jq -er '.json.task_case_id')"
content="$(jq -nc --arg url "$TARGET_URL" --argjson think "$INTERVAL_MS" '{contents: [{content_id: 0, data_type: 0, content: [
    {content_type: 2, content: {name: "get", method: "GET", url: $url, protocol_type: 1, connect_timeout: 10000,
        return_timeout: 10000, headers: [], body_type: 0, bodys: []}},
    {content_type: 1, content: {think_time: $think}}]}]}')"
api PUT "/task-cases/$case_id/target/content" "$content" | jq -e 'has("error_code") | not' >/dev/null \
    || { echo "the case content was refused" >&2; exit 1; }
STAGE_TIME=$(( RAMP + DURATION ))
stage="{\"name\":\"hold\",\"operate_mode\":0,\"time\":$STAGE_TIME,\"pressure_mode\":0,\"issue_num\":$CONNS,\"current_user_num\":0,\"ramp_up\":$RAMP}"
reply="$(api PUT "/task-cases/$case_id/target/stage" "{\"stages\":[$stage]}")"
jq -e 'has("error_code") | not' <<<"$reply" >/dev/null || { echo "the stage was refused: $reply" >&2; exit 1; }
log "case: GET $TARGET_URL + think ${INTERVAL_MS} ms; stage: 0 -> $CONNS VUs over ${RAMP} s, $STAGE_TIME s in all"

sleep 5  # let the executor's start-up settle (JIT, first GCs)
RSS_IDLE="$(rss_kb "$EX_PID")"
log "executor idle: RSS $((RSS_IDLE / 1024)) MB, $(threads "$EX_PID") threads; load average $(cut -d' ' -f1-3 /proc/loadavg)"
sample_process "$EX_PID" target_conns >"$WORK/samples.txt" &
SAMPLER_PID=$!

# --- run ---------------------------------------------------------------------------------------
c0="$(cpu_ticks "$EX_PID")"; p0="$(cpu_ticks "$TARGET_PID")"; s0="$(sys_ticks)"; t0="$(date +%s%N)"
run="$(api POST "/test-suites/$project/tasks/$task" \
    "{$CLUSTER,\"without_package\":0,\"network_info\":{\"network_type\":\"internet\"},\"status\":9}" | jq -er '.result.task_run_id')"
log "run $run started; sampling every $SAMPLE s"
status=""
AT_PLATEAU=""
SOURCES_SEEN="?"
for i in $(seq 1 $(( (STAGE_TIME + 180) * 2 ))); do
    sleep 0.5
    status="$(api GET "/tasks/$task" | jq -r '.taskInfo.run_status')"
    [[ "$status" == 2 || "$status" == 3 ]] && break
    if [[ -z "$AT_PLATEAU" ]] && (( ($(date +%s%N) - t0) / 1000000000 >= STAGE_TIME - 10 )); then
        AT_PLATEAU="$(target_stats)"
        # The distinct source addresses of the connections the target holds.
        SOURCES_SEEN="$(ss -Htn state established "( sport = :$TARGET_PORT )" | awk '{sub(/:[0-9]+$/, "", $4); print $4}' | sort -u | wc -l)"
        log "target near the end of the plateau: $AT_PLATEAU; connections from $SOURCES_SEEN source addresses"
    fi
done
t1="$(date +%s%N)"; c1="$(cpu_ticks "$EX_PID")"; p1="$(cpu_ticks "$TARGET_PID")"; s1="$(sys_ticks)"
if [[ "$status" != 2 ]]; then
    echo "run did not end normally (run_status $status)" >&2
    api POST "/test-suites/$project/tasks/$task" "{$CLUSTER,\"without_package\":0,\"network_info\":{\"network_type\":\"internet\"},\"status\":2}" >/dev/null || true
    exit 1
fi
sleep 3
TARGET_AFTER="$(target_stats)"
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
grep -c "ran out of file descriptors" "$WORK/executor.log" >"$WORK/emfile.txt" || true

case_run="$(api GET "/tasks/$task" | jq -er '.taskInfo.related_temp_running_data[0].related_temp_running_id')"
api GET "/task-run-infos/$run/case-run-infos/$case_run/reports?brokens_limit_count=1000" >"$WORK/report.json"
read -r REQUESTS SUCCESS REFUSED TIMEOUT OTHERS PARSED TP50 TP99 AVG < <(jq -r '.result.details.data[0].performance
    | "\(.requests) \(.successCount) \(.failedRefused) \(.failedTimeout) \(.failedOthers) \(.failedParsed) \(.tp50) \(.tp99) \(.averageRespTime)"' "$WORK/report.json")
VUS_MAX="$(jq -r '[.result.brokens.vusers_brokens.vusers[]?] | max // "?"' "$WORK/report.json")"

# --- figures -----------------------------------------------------------------------------------
RSS_PLATEAU="$(plateau_rss "$WORK/samples.txt" "$CONNS")"
read -r N_PLATEAU RSS_MAX CONNS_MAX THREADS_MAX < <(awk -v n="$CONNS" '
    { if ($5 > c) c = $5; if ($2 > r) r = $2; if ($3 > t) t = $3 } $5 >= n { k++ } END { print k + 0, r + 0, c + 0, t + 0 }' "$WORK/samples.txt")
wall=$(( (t1 - t0) / 1000000 ))
pct() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v ms="$wall" 'BEGIN {printf "%.0f", 100 * t / hz / (ms / 1000)}'; }
BUSY="$(awk -v a="$s0" -v b="$s1" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2])}')"
PER_CONN="$(awk -v p="$RSS_PLATEAU" -v i="$RSS_IDLE" -v n="$CONNS" 'BEGIN { if (p > 0) printf "%.1f KB", (p - i) / n; else print "n/a (the target never held all connections)" }')"

echo
echo "samples (s since start, executor RSS MB, threads, connections the target held):"
awk '{printf "  %5.0f s  %6.0f MB  %4d threads  %6d conns\n", $1 / 1000, $2 / 1024, $3, $5}' "$WORK/samples.txt"
echo
echo "case              GET $TARGET_URL (DelayTarget, $DELAY_MS ms), then ${INTERVAL_MS} ms think, per VU; sources $SOURCES_SHOWN"
echo "stage             0 -> $CONNS VUs over ${RAMP} s, then $DURATION s at $CONNS, one standalone executor"
echo "machine           $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "connections       target held max $CONNS_MAX (ss), from $SOURCES_SEEN source addresses; report vusers max $VUS_MAX"
echo "requests          $REQUESTS (success $SUCCESS), avg ${AVG} ms, tp50 ${TP50} ms, tp99 ${TP99} ms (target's fixed latency $DELAY_MS ms)"
echo "failures          refused $REFUSED, timeout $TIMEOUT, others $OTHERS, parse $PARSED; EMFILE warnings $(cat "$WORK/emfile.txt")"
echo "target (plateau)  $AT_PLATEAU"
echo "target (after)    $TARGET_AFTER"
echo "plateau           $N_PLATEAU samples with all $CONNS connections"
echo "executor RSS      idle $((RSS_IDLE / 1024)) MB; plateau median $((RSS_PLATEAU / 1024)) MB; max $((RSS_MAX / 1024)) MB; threads max $THREADS_MAX"
echo "per connection    (plateau - idle) / $CONNS = $PER_CONN"
echo "CPU (100% = 1 core) executor $(pct $((c1 - c0)))%, target $(pct $((p1 - p0)))% over the run; machine $BUSY% busy"
if [[ "$SUCCESS" != "$REQUESTS" ]]; then
    echo "WARNING: successCount ($SUCCESS) != requests ($REQUESTS)" >&2
fi
