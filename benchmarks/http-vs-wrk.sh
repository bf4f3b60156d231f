#!/usr/bin/env bash
# Side-by-side throughput of wrk and the PerfTest executor against the same local nginx.
#
#   benchmarks/http-vs-wrk.sh
#
# Both generators use 64 keep-alive connections sending GET / for 15 s to an nginx on a free
# 127.0.0.1 port that answers a fixed 200 "ok". The script prints both requests per second and
# the ratio executor/wrk. Every round also checks that the executor's report is exact: the requests nginx counted
# (stub_status) while the executor ran equal the report's `requests`. Nothing leaves the loopback interface.
#
# Environment (all optional):
#   CONNECTIONS=64        connections for wrk and VUs for the executor (one keep-alive connection each)
#   DURATION=15           seconds of load for each generator
#   WRK_THREADS=1         wrk -t (one thread, as the issue's peer: the executor's figure is compared with wrk -t1)
#   NGINX_WORKERS=1       nginx worker_processes (1 or auto); see docs/performance.md
#   WARMUP=10             seconds of one executor run before the first round, not measured: the control plane's first
#                         run JIT-compiles some 4,000 methods (plan building, protobuf, reports) during its first
#                         seconds, and recompiles its per-second and API code optimised some 1,200 more seconds
#                         later, which a service that has run before does not; 0 = none
#   ROUNDS=3              rounds of wrk and the executor back to back (in alternating order); the ratio reported is the median of the
#                         rounds' ratios, since this shared machine's speed drifts from minute to minute
#   EXECUTOR=standalone   standalone: a standalone executor process (private resource group 1), as
#                         deployed; embedded: the executor inside the control plane
#   SKIP_BUILD=1          start the last Release build without rebuilding
#   DOTNET_*              passed on to the control plane (e.g. DOTNET_gcServer=0, DOTNET_TieredPGO=0)
#
# Installs nginx, wrk, jq and curl from Debian packages when they are missing (needs root).
set -euo pipefail

CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-15}"
WRK_THREADS="${WRK_THREADS:-1}"
NGINX_WORKERS="${NGINX_WORKERS:-1}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-10}"
EXECUTOR="${EXECUTOR:-standalone}"
TENANT="bench0000project"
SECRET="bench-$RANDOM$RANDOM"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/http-vs-wrk.XXXXXX)"
NGINX_PID=""
CP_PID=""
EX_PID=""

cleanup() {
    local rc=$?
    stop_pid "$EX_PID"
    stop_pid "$CP_PID"
    stop_pid "$NGINX_PID" QUIT
    if [[ $rc -ne 0 ]]; then
        echo "failed (exit $rc); logs kept in $WORK" >&2
        tail -n 30 "$WORK/controlplane.log" 2>/dev/null >&2 || true
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=lib/stack.sh
source "$REPO/benchmarks/lib/stack.sh"

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
    log "installing ${missing[*]} from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq
    timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The Debian package enables and starts its own nginx on port 80; this script does not need it.
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
    if [[ -f /run/nginx.pid ]]; then kill -QUIT "$(cat /run/nginx.pid)" 2>/dev/null || true; fi
fi

# Percent of the machine's CPUs busy between two sys_ticks samples.
busy_pct() { awk -v a="$1" -v b="$2" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2])}'; }
nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); }
CLK_TCK="$(getconf CLK_TCK)"
NPROC="$(nproc)"

# --- nginx -------------------------------------------------------------------------------------
start_nginx

# --- control plane (Release, embedded executor), and the standalone executor -------------------
build_release
start_control_plane
GEN_PID="$CP_PID"
if [[ "$EXECUTOR" == standalone ]]; then
    start_executor bench
    GEN_PID="$EX_PID"
fi

# --- the executor's task (created once, started once per round) ----------------------------------------------------------------------------------
project="$(api POST /test-suites '{"name":"http-vs-wrk"}' | jq -er '.project_id')"
task="$(api POST /tasks "{\"name\":\"http-vs-wrk\",\"project_id\":$project}" | jq -er '.task_id')"
case_id="$(api POST /task-cases "{\"name\":\"get\",\"type\":0,\"task_id\":$task}" | jq -er '.json.task_case_id')"
content="$(jq -nc --arg url "$TARGET" '{contents: [{content_id: 0, data_type: 0, content: [{content_type: 2, content: {
    name: "get", method: "GET", url: $url, protocol_type: 1, connect_timeout: 5000, return_timeout: 5000,
    headers: [], body_type: 0, bodys: []}}]}]}')"
api PUT "/task-cases/$case_id/target/content" "$content" >/dev/null
set_stage() { # seconds
    api PUT "/task-cases/$case_id/target/stage" \
        "{\"stages\":[{\"operate_mode\":0,\"time\":$1,\"pressure_mode\":0,\"issue_num\":$CONNECTIONS}]}" >/dev/null
}
set_stage "$DURATION"
run_wrk() {
# --- wrk ---------------------------------------------------------------------------------------
WRK_CMD=(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$TARGET")
log "${WRK_CMD[*]}"
n0="$(cpu_ticks $(nginx_pids))"; s0="$(sys_ticks)"; t0="$(date +%s%N)"
TIMEFORMAT='%U %S'
{ time timeout $((DURATION + 30)) "${WRK_CMD[@]}" >"$WORK/wrk.txt"; } 2>"$WORK/wrk.time"
t1="$(date +%s%N)"; n1="$(cpu_ticks $(nginx_pids))"; s1="$(sys_ticks)"
WRK_BUSY="$(busy_pct "$s0" "$s1")"
cat "$WORK/wrk.txt"
WRK_RPS="$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.txt")"
[[ -n "$WRK_RPS" ]] || { echo "no Requests/sec in wrk output" >&2; exit 1; }
WRK_ERRORS="$(awk '/Non-2xx|Socket errors/' "$WORK/wrk.txt")"
wall=$(( (t1 - t0) / 1000000 ))
WRK_NGINX_CPU="$(awk -v t=$((n1 - n0)) -v hz="$CLK_TCK" -v ms="$wall" 'BEGIN {printf "%.0f", 100 * t / hz / (ms / 1000)}')"
WRK_CPU="$(awk -v ms="$wall" '{printf "%.0f", 100 * ($1 + $2) / (ms / 1000)}' "$WORK/wrk.time")"
# CPU time per request (user + system), in microseconds.
WRK_US="$(awk -v r="$WRK_RPS" -v d="$DURATION" '{printf "%.1f", 1e6 * ($1 + $2) / (r * d)}' "$WORK/wrk.time")"

}

# Starts the task and waits until it ended (sets run and status: 2 when it ended normally).
run_task() { # seconds of its stage
run="$(api POST "/test-suites/$project/tasks/$task" \
    "{$CLUSTER,\"without_package\":0,\"network_info\":{\"network_type\":\"internet\"},\"status\":9}" \
    | jq -er '.result.task_run_id')"
status=""
# Not asked during the stage: each look is a request the control plane (the embedded executor's process) serves.
sleep "$1"
for i in $(seq 1 $((60 * 4))); do
    sleep 0.25
    status="$(api GET "/tasks/$task" | jq -r '.taskInfo.run_status')"
    [[ "$status" == 2 || "$status" == 3 ]] && break
done
}

run_executor() {
log "executor: $CONNECTIONS VUs, GET $TARGET, ${DURATION} s"
NGINX_BEFORE="$(nginx_requests)"
n0="$(cpu_ticks $(nginx_pids))"; c0="$(cpu_ticks "$GEN_PID")"; s0="$(sys_ticks)"; t0="$(date +%s%N)"
run_task "$DURATION"
t1="$(date +%s%N)"; n1="$(cpu_ticks $(nginx_pids))"; c1="$(cpu_ticks "$GEN_PID")"; s1="$(sys_ticks)"
EXEC_BUSY="$(busy_pct "$s0" "$s1")"
if [[ "$status" != 2 ]]; then
    echo "executor run did not end normally (run_status $status)" >&2
    api POST "/test-suites/$project/tasks/$task" \
        '{"cluster_id":0,"cluster_type":"shared-cluster-internet","without_package":0,"network_info":{"network_type":"internet"},"status":2}' >/dev/null || true
    exit 1
fi
case_run="$(api GET "/tasks/$task" | jq -er '.taskInfo.related_temp_running_data[0].related_temp_running_id')"
api GET "/task-run-infos/$run/case-run-infos/$case_run/reports?brokens_limit_count=1000" >"$WORK/report.json"
# Less this look's own request.
NGINX_SEEN=$(( $(nginx_requests) - NGINX_BEFORE - 1 ))
read -r REQUESTS SUCCESS TPS TP50 TP99 AVG < <(jq -r '.result.details.data[0].performance
    | "\(.requests) \(.successCount) \(.tps) \(.tp50) \(.tp99) \(.averageRespTime)"' "$WORK/report.json")
PER_SECOND="$(jq -r '[.result.brokens.tps_brokens.tps[] | round] | map(tostring) | join(" ")' "$WORK/report.json")"
EXEC_RPS="$(awk -v r="$REQUESTS" -v d="$DURATION" 'BEGIN {printf "%.2f", r / d}')"
wall=$(( (t1 - t0) / 1000000 ))
EXEC_NGINX_CPU="$(awk -v t=$((n1 - n0)) -v hz="$CLK_TCK" -v ms="$wall" 'BEGIN {printf "%.0f", 100 * t / hz / (ms / 1000)}')"
EXEC_CPU="$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v ms="$wall" 'BEGIN {printf "%.0f", 100 * t / hz / (ms / 1000)}')"
EXEC_US="$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v r="$REQUESTS" 'BEGIN {printf "%.1f", 1e6 * t / hz / r}')"

echo "executor report: requests $REQUESTS, successCount $SUCCESS, tps $TPS, avg ${AVG} ms, tp50 ${TP50} ms, tp99 ${TP99} ms"
echo "executor requests per second, second by second: $PER_SECOND"
if [[ "$SUCCESS" != "$REQUESTS" ]]; then
    echo "WARNING: successCount ($SUCCESS) != requests ($REQUESTS)" >&2
fi
if [[ "$NGINX_SEEN" == "$REQUESTS" ]]; then
    echo "exact: nginx answered $NGINX_SEEN requests while the executor ran = the report's requests"
else
    echo "NOT EXACT: nginx answered $NGINX_SEEN requests while the executor ran, the report says $REQUESTS" >&2
    INEXACT=$((INEXACT + 1))
fi

}

print_round() {
RATIO="$(awk -v e="$EXEC_RPS" -v w="$WRK_RPS" 'BEGIN {printf "%.3f", e / w}')"
echo
echo "target            $TARGET (nginx worker_processes $NGINX_WORKERS, $NPROC CPUs)"
echo "load              $CONNECTIONS keep-alive connections, GET, ${DURATION} s each"
printf 'wrk               %12.2f requests/s   (CPU, 100%% = one core: wrk %s%%, nginx %s%%; whole machine %s%% busy)\n' \
    "$WRK_RPS" "$WRK_CPU" "$WRK_NGINX_CPU" "$WRK_BUSY"
printf 'executor          %12.2f requests/s   (report: requests %s / %s s, tps %s)\n' "$EXEC_RPS" "$REQUESTS" "$DURATION" "$TPS"
printf '                  (%s executor; CPU over the whole run incl. start and report, 100%% = one core: executor process %s%%, nginx %s%%; whole machine %s%% busy)\n' "$EXECUTOR" \
    "$EXEC_CPU" "$EXEC_NGINX_CPU" "$EXEC_BUSY"
echo "CPU per request   wrk $WRK_US µs; executor $EXEC_US µs (its whole process over the run, start and report included)"
[[ -n "$WRK_ERRORS" ]] && echo "wrk errors:       $WRK_ERRORS"
echo "ratio executor/wrk  $RATIO"
}

if ((WARMUP > 0)); then
    log "warm-up: one executor run of $WARMUP s, not measured"
    set_stage "$WARMUP"
    run_task "$WARMUP"
    [[ "$status" == 2 ]] || { echo "the warm-up run did not end normally (run_status $status)" >&2; exit 1; }
    set_stage "$DURATION"
fi

RATIOS=()
INEXACT=0
for round in $(seq 1 "$ROUNDS"); do
    log "round $round of $ROUNDS"
    # Alternate the order (wrk first in odd rounds, the executor first in even ones), so a machine that
    # speeds up or slows down over a round does not favour one side.
    if (( round % 2 == 1 )); then
        run_wrk
        run_executor
    else
        run_executor
        run_wrk
    fi
    print_round
    RATIOS+=("$RATIO")
done
MEDIAN="$(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')"
echo
echo "ratios executor/wrk by round: ${RATIOS[*]}"
echo "median ratio executor/wrk     $MEDIAN"
if ((INEXACT)); then
    echo "the report was not exact in $INEXACT of $ROUNDS rounds" >&2
    exit 1
fi
echo "the report was exact in every round (nginx's count = the report's requests)"
