#!/usr/bin/env bash
# Concurrent WebSocket or MQTT VUs on ONE standalone executor, and the memory they cost.
#
#   PROTOCOL=ws   VUS=10000 DURATION=60 benchmarks/vus-10k.sh
#   PROTOCOL=mqtt VUS=10000 DURATION=60 benchmarks/vus-10k.sh
#
# Each VU keeps one connection open to a local peer (ws: benchmarks/WsEcho, a Kestrel echo server;
# mqtt: a private mosquitto), sends one message per iteration (a WebSocket text message answered by its
# echo, or an MQTT QoS 1 publish acknowledged by PUBACK) and then thinks THINK_MS (5 s), so the message
# rate stays modest: the point is concurrency and memory, not throughput. The stage ramps from 0 to VUS
# over RAMP seconds, then holds VUS for DURATION seconds (stage time = RAMP + DURATION).
#
# While the run goes, the script samples every SAMPLE seconds the executor's RSS (/proc/PID/status VmRSS),
# its threads and CPU, and the established connections on the peer's port (ss). It prints the executor's
# RSS idle (before the run) and at the plateau (median of the samples where the peer held all VUS
# connections), (plateau - idle) / VUS, the report's requests and failures by class, the report's most VUs,
# and what the peer counted (WsEcho /stats, or mosquitto's $SYS/broker/clients/*).
#
# Environment (all optional):
#   PROTOCOL=ws           ws or mqtt
#   VUS=10000             concurrent VUs (the stage's issue_num, all on one executor)
#   DURATION=60           seconds held at VUS after the ramp
#   RAMP=20               seconds of linear ramp-up from 0 VUs (stage ramp_up); 0 = all VUs at once
#   THINK_MS=5000         think time after each message (think time card)
#   SAMPLE=2              seconds between samples
#   SKIP_BUILD=1          start the last Release build without rebuilding
#   DOTNET_*              passed on to the executor (e.g. DOTNET_gcServer=0)
#
# Runs as root (it raises `ulimit -n` for itself and its children). Installs jq, curl, mosquitto and
# mosquitto-clients from Debian packages when they are missing. Load goes only to 127.0.0.1, and every
# wait is bounded in time.
set -euo pipefail

PROTOCOL="${PROTOCOL:-ws}"
VUS="${VUS:-10000}"
DURATION="${DURATION:-60}"
RAMP="${RAMP:-20}"
THINK_MS="${THINK_MS:-5000}"
SAMPLE="${SAMPLE:-2}"
TENANT="bench0000project"
SECRET="bench-$RANDOM$RANDOM"
[[ "$PROTOCOL" == ws || "$PROTOCOL" == mqtt ]] || { echo "PROTOCOL must be ws or mqtt" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/vus-10k.XXXXXX)"
PEER_PID=""
CP_PID=""
EX_PID=""
SAMPLER_PID=""

# shellcheck source=lib/stack.sh
source "$REPO/benchmarks/lib/stack.sh"
trap 'end_benchmark $? "$SAMPLER_PID" "$EX_PID" "$CP_PID" "$PEER_PID"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# --- limits ------------------------------------------------------------------------------------
# Every VU holds one socket in the executor and one in the peer (plus the peer's listener, the
# executor's gRPC channel, the runtime's own files): 10k VUs need well over 10k descriptors per process.
# Each process runs with the same limit; VUS + 2000 is the least that works, 2 x VUS + 10000 leaves room.
NOFILE=$(( VUS * 2 + 10000 ))
ulimit -Hn "$NOFILE" 2>/dev/null || true     # root may raise the hard limit (not in a container without CAP_SYS_RESOURCE)
HARD="$(ulimit -Hn)"
if [[ "$HARD" != unlimited ]] && (( HARD < NOFILE )); then
    NOFILE="$HARD"
fi
if (( NOFILE < VUS + 2000 )); then
    echo "the open files limit (hard $HARD) is too low for $VUS connections per process: raise it (ulimit -Hn, as root)" >&2
    exit 1
fi
ulimit -n "$NOFILE"
# All connections go from 127.0.0.1 to one port of 127.0.0.1: each needs its own ephemeral source port.
read -r PORT_LO PORT_HI < /proc/sys/net/ipv4/ip_local_port_range
PORTS=$(( PORT_HI - PORT_LO + 1 ))
if (( PORTS < VUS + 2000 )); then
    echo "ip_local_port_range $PORT_LO-$PORT_HI has $PORTS ports, too few for $VUS connections to one address:port" >&2
    exit 1
fi
log "ulimit -n $(ulimit -n); ip_local_port_range $PORT_LO-$PORT_HI ($PORTS ports) for $VUS connections"

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
if [[ "$PROTOCOL" == mqtt ]]; then
    [[ -x /usr/sbin/mosquitto ]] || missing+=(mosquitto)
    command -v mosquitto_sub >/dev/null 2>&1 || missing+=(mosquitto-clients)
fi
if ((${#missing[@]})); then
    install_packages "${missing[@]}"
    # The Debian package may start its own broker on port 1883; this script does not use it.
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now mosquitto >/dev/null 2>&1 || true; fi
fi

# Established TCP connections whose local port is the peer's: the connections the peer holds.
peer_conns() { port_conns "$PEER_PORT"; }
CLK_TCK="$(getconf CLK_TCK)"

# --- build -------------------------------------------------------------------------------------
build_projects src/ControlPlane src/Executor benchmarks/WsEcho

# --- peer --------------------------------------------------------------------------------------
PEER_PORT="$(free_port)"
if [[ "$PROTOCOL" == ws ]]; then
    ECHO_DIR="$REPO/benchmarks/WsEcho/bin/Release/net10.0"
    [[ -f "$ECHO_DIR/PerfTest.WsEcho.dll" ]] || { echo "no $ECHO_DIR/PerfTest.WsEcho.dll (build first)" >&2; exit 1; }
    (cd "$ECHO_DIR" && exec dotnet PerfTest.WsEcho.dll --urls "http://127.0.0.1:$PEER_PORT") >"$WORK/peer.log" 2>&1 &
    PEER_PID=$!
    TARGET_URL="ws://127.0.0.1:$PEER_PORT/ws"
    peer_stats() { curl -fsS --max-time 5 "http://127.0.0.1:$PEER_PORT/stats" 2>/dev/null || echo '{}'; }
    wait_http "http://127.0.0.1:$PEER_PORT/stats" "$PEER_PID" WsEcho "$WORK/peer.log"
    log "WsEcho on $TARGET_URL (pid $PEER_PID)"
else
    cat > "$WORK/mosquitto.conf" <<EOF
listener $PEER_PORT 127.0.0.1
allow_anonymous true
max_connections -1
persistence false
sys_interval 1
connection_messages false
log_dest stdout
log_type error
log_type warning
log_type notice
EOF
    /usr/sbin/mosquitto -c "$WORK/mosquitto.conf" >"$WORK/peer.log" 2>&1 &
    PEER_PID=$!
    TARGET_URL="mqtt://127.0.0.1:$PEER_PORT"
    sys_topic() { timeout 5 mosquitto_sub -h 127.0.0.1 -p "$PEER_PORT" -C 1 -W 4 -t "\$SYS/broker/$1" 2>/dev/null || echo "?"; }
    peer_stats() {
        jq -nc --arg connected "$(sys_topic clients/connected)" --arg maximum "$(sys_topic clients/maximum)" \
            --arg total "$(sys_topic clients/total)" --arg received "$(sys_topic 'publish/messages/received')" \
            '{connected: $connected, maximum: $maximum, total: $total, publish_received: $received}'
    }
    for i in $(seq 1 300); do
        timeout 2 mosquitto_sub -h 127.0.0.1 -p "$PEER_PORT" -C 1 -W 1 -t '$SYS/broker/version' >/dev/null 2>&1 && break
        kill -0 "$PEER_PID" 2>/dev/null || { echo "mosquitto exited" >&2; cat "$WORK/peer.log" >&2; exit 1; }
        [[ $i -eq 300 ]] && { echo "mosquitto did not answer within 30 s" >&2; exit 1; }
        sleep 0.1
    done
    log "$(/usr/sbin/mosquitto -h 2>&1 | head -n 1) on $TARGET_URL (pid $PEER_PID, open files limit $(awk '/Max open files/ {print $4}' "/proc/$PEER_PID/limits"))"
fi

# --- control plane and standalone executor ------------------------------------------------------
start_control_plane aggregate-only  # the control plane only aggregates: the DOTNET_* settings are the executor's
start_executor vus10k

# --- project, task, case -----------------------------------------------------------------------
project="$(api POST /test-suites '{"name":"vus-10k"}' | jq -er '.project_id')"
task="$(api POST /tasks "{\"name\":\"vus-10k-$PROTOCOL\",\"project_id\":$project}" | jq -er '.task_id')"
case_id="$(api POST /task-cases "{\"name\":\"$PROTOCOL\",\"type\":0,\"task_id\":$task}" | jq -er '.json.task_case_id')"
if [[ "$PROTOCOL" == ws ]]; then
    # One text message per iteration, answered by its echo (check_end_type 0: one whole message).
    card="$(jq -nc --arg url "$TARGET_URL" '{name: "ws", protocol_type: 9, url: $url, message_type: "text",
        bodys: ["{\"op\":\"ping\"}"], check_end_type: 0, connect_timeout: 10000, return_timeout: 10000, headers: []}')"
else
    # One QoS 1 publish per iteration, ended by its PUBACK. The card's topic is fixed (cards do not template
    # it); each VU has its own session and client id. No one subscribes, so the broker only acknowledges.
    card="$(jq -nc --arg url "$TARGET_URL" '{name: "mqtt", protocol_type: 11, url: $url, action: "publish",
        topic: "perftest/vus10k", qos: 1, payload: "{\"t\":21}", keep_alive: 60, connect_timeout: 10000, return_timeout: 10000}')"
fi
content="$(jq -nc --argjson card "$card" --argjson think "$THINK_MS" '{contents: [{content_id: 0, data_type: 0, content: [
    {content_type: 2, content: $card}, {content_type: 1, content: {think_time: $think}}]}]}')"
api PUT "/task-cases/$case_id/target/content" "$content" | jq -e '.' >/dev/null
STAGE_TIME=$(( RAMP + DURATION ))
if (( RAMP > 0 )); then
    stage="{\"name\":\"hold\",\"operate_mode\":0,\"time\":$STAGE_TIME,\"pressure_mode\":0,\"issue_num\":$VUS,\"current_user_num\":0,\"ramp_up\":$RAMP}"
else
    stage="{\"name\":\"hold\",\"operate_mode\":0,\"time\":$STAGE_TIME,\"pressure_mode\":0,\"issue_num\":$VUS}"
fi
api PUT "/task-cases/$case_id/target/stage" "{\"stages\":[$stage]}" | jq -e '.' >/dev/null
log "case: $PROTOCOL card to $TARGET_URL + think ${THINK_MS} ms; stage: 0 -> $VUS VUs over ${RAMP} s, $STAGE_TIME s in all"

# --- idle figures ------------------------------------------------------------------------------
sleep 5  # let the executor's start-up settle (JIT, first GCs)
RSS_IDLE="$(rss_kb "$EX_PID")"
THREADS_IDLE="$(threads "$EX_PID")"
log "executor idle: RSS $((RSS_IDLE / 1024)) MB, $THREADS_IDLE threads"

# --- sampler -----------------------------------------------------------------------------------
sample_process "$EX_PID" peer_conns >"$WORK/samples.txt" &
SAMPLER_PID=$!

# --- run ---------------------------------------------------------------------------------------
c0="$(cpu_ticks "$EX_PID")"; p0="$(cpu_ticks "$PEER_PID")"; s0="$(sys_ticks)"; t0="$(date +%s%N)"
run="$(api POST "/test-suites/$project/tasks/$task" \
    "{$CLUSTER,\"without_package\":0,\"network_info\":{\"network_type\":\"internet\"},\"status\":9}" \
    | jq -er '.result.task_run_id')"
log "run $run started; sampling every $SAMPLE s"
status=""
PEER_AT_PLATEAU=""
for i in $(seq 1 $(( (STAGE_TIME + 120) * 2 ))); do
    sleep 0.5
    status="$(api GET "/tasks/$task" | jq -r '.taskInfo.run_status')"
    [[ "$status" == 2 || "$status" == 3 ]] && break
    # The peer's own counters, read once near the end of the plateau (all VUs connected by then).
    if [[ -z "$PEER_AT_PLATEAU" ]] && (( ($(date +%s%N) - t0) / 1000000000 >= STAGE_TIME - 5 )); then
        PEER_AT_PLATEAU="$(peer_stats)"
        log "peer near the end of the plateau: $PEER_AT_PLATEAU"
    fi
done
t1="$(date +%s%N)"; c1="$(cpu_ticks "$EX_PID")"; p1="$(cpu_ticks "$PEER_PID")"; s1="$(sys_ticks)"
if [[ "$status" != 2 ]]; then
    echo "run did not end normally (run_status $status)" >&2
    api POST "/test-suites/$project/tasks/$task" \
        '{"cluster_id":1,"cluster_type":"private-cluster","without_package":0,"network_info":{"network_type":"internet"},"status":2}' >/dev/null || true
    exit 1
fi
sleep 3
PEER_AFTER="$(peer_stats)"
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""

case_run="$(api GET "/tasks/$task" | jq -er '.taskInfo.related_temp_running_data[0].related_temp_running_id')"
api GET "/task-run-infos/$run/case-run-infos/$case_run/reports?brokens_limit_count=1000" >"$WORK/report.json"
read -r REQUESTS SUCCESS REFUSED TIMEOUT OTHERS PARSED ASSERT TPS TP50 TP99 AVG THREADS_MAX < <(jq -r '.result.details.data[0].performance
    | "\(.requests) \(.successCount) \(.failedRefused) \(.failedTimeout) \(.failedOthers) \(.failedParsed) \(.failedAssert) \(.tps) \(.tp50) \(.tp99) \(.averageRespTime) \(.currentThreadNum)"' "$WORK/report.json")
VUS_MAX="$(jq -r '[.result.brokens.vusers_brokens.vusers[]?] | max // "?"' "$WORK/report.json")"

# --- figures from the samples ------------------------------------------------------------------
# Plateau: the samples where the peer held all VUS connections.
read -r N_PLATEAU RSS_PLATEAU RSS_MAX THREADS_PLATEAU PLATEAU_CPU PLATEAU_BUSY CONNS_MAX FIRST_FULL LAST_FULL < <(awk -v vus="$VUS" -v hz="$CLK_TCK" '
    { if ($5 > cmax) cmax = $5; if ($2 > rmax) rmax = $2 }
    $5 >= vus { n++; thr = $3; if (n == 1) { t0 = $1; c0 = $4; b0 = $6; a0 = $7; first = $1 } t1 = $1; c1 = $4; b1 = $6; a1 = $7 }
    END {
        if (n == 0) { print 0, 0, rmax, 0, 0, 0, cmax + 0, -1, -1; exit }
        med = 0
        cpu = (t1 > t0) ? 100 * (c1 - c0) / hz / ((t1 - t0) / 1000) : 0
        busy = (a1 > a0) ? 100 * (b1 - b0) / (a1 - a0) : 0
        printf "%d %d %d %d %.0f %.0f %d %.1f %.1f\n", n, med, rmax, thr, cpu, busy, cmax, first / 1000, t1 / 1000
    }' "$WORK/samples.txt")
RSS_PLATEAU="$(plateau_rss "$WORK/samples.txt" "$VUS")"
wall=$(( (t1 - t0) / 1000000 ))
RUN_CPU="$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v ms="$wall" 'BEGIN {printf "%.0f", 100 * t / hz / (ms / 1000)}')"
PEER_CPU="$(awk -v t=$((p1 - p0)) -v hz="$CLK_TCK" -v ms="$wall" 'BEGIN {printf "%.0f", 100 * t / hz / (ms / 1000)}')"
RUN_BUSY="$(awk -v a="$s0" -v b="$s1" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2])}')"
PER_VU="$(awk -v p="$RSS_PLATEAU" -v i="$RSS_IDLE" -v v="$VUS" 'BEGIN { if (p > 0) printf "%.1f KB (%.3f MB)", (p - i) / v, (p - i) / v / 1024; else print "n/a (the peer never held all VUs)" }')"

echo
echo "samples (s since start, executor RSS MB, threads, peer connections):"
awk '{printf "  %5.0f s  %6.0f MB  %4d threads  %6d conns\n", $1 / 1000, $2 / 1024, $3, $5}' "$WORK/samples.txt"
echo
echo "protocol          $PROTOCOL -> $TARGET_URL, one message then ${THINK_MS} ms think per iteration"
echo "stage             0 -> $VUS VUs over ${RAMP} s, then $DURATION s at $VUS (stage time $STAGE_TIME s), one standalone executor"
echo "machine           $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "VUs reached       report vusers max $VUS_MAX, currentThreadNum $THREADS_MAX; peer connections max $CONNS_MAX (ss)"
echo "requests          $REQUESTS (success $SUCCESS), tps $TPS, avg ${AVG} ms, tp50 ${TP50} ms, tp99 ${TP99} ms"
echo "failures          refused $REFUSED, timeout $TIMEOUT, others $OTHERS, parse $PARSED, checkpoint $ASSERT"
echo "peer (plateau)    $PEER_AT_PLATEAU"
echo "peer (after)      $PEER_AFTER"
echo "plateau           $N_PLATEAU samples with all $VUS connections, from ${FIRST_FULL} s to ${LAST_FULL} s"
echo "executor RSS      idle $((RSS_IDLE / 1024)) MB ($THREADS_IDLE threads); plateau median $((RSS_PLATEAU / 1024)) MB ($THREADS_PLATEAU threads); max $((RSS_MAX / 1024)) MB"
echo "per VU            (plateau - idle) / $VUS = $PER_VU"
echo "CPU (100% = 1 core) executor $PLATEAU_CPU% on the plateau, $RUN_CPU% over the whole run; peer $PEER_CPU% over the run; machine $PLATEAU_BUSY% busy on the plateau, $RUN_BUSY% over the run"
if [[ "$SUCCESS" != "$REQUESTS" ]]; then
    echo "WARNING: successCount ($SUCCESS) != requests ($REQUESTS)" >&2
fi
