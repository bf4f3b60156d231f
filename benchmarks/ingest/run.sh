#!/usr/bin/env bash
# Ingest at scale: a real Release control plane stores the seconds of EXECUTORS simulated executors that speak the real
# gRPC contract (IngestBench/: they register in private group 1, heartbeat, and answer Run with RATE seconds a second
# each of CARDS-card snapshots; RATE=0: as fast as the control plane takes them). The run is started through the REST
# API like any other. Prints the rate held (stored/s against offered), the lag from a second made to it being stored,
# the control plane's RSS, and checks that every second is stored exactly once and the report counts every request.
#   benchmarks/ingest/run.sh                                  # 100 executors x 50 cards in real time, 60 s, SQLite
#   RATE=0 DURATION=20 benchmarks/ingest/run.sh               # the most it holds
#   STORE=postgres RATE=5 benchmarks/ingest/run.sh            # 500 seconds/s offered, private PostgreSQL
#   SILENCE=10: Executors:SilenceSeconds of the control plane (3); KEEP_WORK=1 keeps the logs and timeline.tsv
# Runs as root (PostgreSQL runs as its own user). Load stays on 127.0.0.1; every wait is bounded.
set -euo pipefail

EXECUTORS="${EXECUTORS:-100}"
CARDS="${CARDS:-50}"
RATE="${RATE:-1}"
DURATION="${DURATION:-60}"
STORE="${STORE:-sqlite}"
TENANT="bench0000project"
SECRET="bench-$RANDOM$RANDOM"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d /tmp/ingest-bench.XXXXXX)"
chmod 755 "$WORK"
# shellcheck source=../lib/stack.sh
source "$REPO/benchmarks/lib/stack.sh"

cleanup() {
    stop_pid "${BENCH_PID:-}"
    stop_pid "${CP_PID:-}"
    stop_postgres
    [[ -n "${KEEP_WORK:-}" ]] && { log "kept $WORK"; return; }
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v jq >/dev/null 2>&1 || install_packages jq
start_store
# SILENCE: Executors:SilenceSeconds, how long a stream may send nothing before its executor is attached again, then
# lost (3 s by default). On a machine shared with other work the simulated executors may be starved that long.
CP_EXTRA="${CP_EXTRA:-} --Executors:SilenceSeconds=${SILENCE:-3}"
build_release
if [[ -z "${SKIP_BUILD:-}" ]]; then
    timeout 600 dotnet build -c Release "$REPO/benchmarks/ingest/IngestBench" -v quiet -nologo >>"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; exit 1; }
fi
start_control_plane

log "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo)"
timeout $((DURATION * 3 + 900)) dotnet "$REPO/benchmarks/ingest/IngestBench/bin/Release/net10.0/PerfTest.IngestBench.dll" \
    "http://127.0.0.1:$GRPC_PORT" "$SECRET" "$DB_ARG" "$CP_PID" "$EXECUTORS" "$RATE" "$DURATION" "$WORK" >"$WORK/bench.out" 2>"$WORK/bench.err" &
BENCH_PID=$!
for i in $(seq 1 600); do
    [[ -f "$WORK/ready" ]] && break
    kill -0 "$BENCH_PID" 2>/dev/null || { echo "the simulated executors exited" >&2; cat "$WORK/bench.err" >&2; exit 1; }
    [[ $i -eq 600 ]] && { echo "the simulated executors did not register within 60 s" >&2; exit 1; }
    sleep 0.1
done
CLUSTER='"cluster_id":1,"cluster_type":"private-cluster"'

project="$(api POST /test-suites '{"name":"ingest"}' | jq -er '.project_id')"
task="$(api POST /tasks "{\"name\":\"ingest\",\"project_id\":$project}" | jq -er '.task_id')"
case_id="$(api POST /task-cases "{\"name\":\"cards\",\"type\":0,\"task_id\":$task}" | jq -er '.json.task_case_id')"
# The cards are compiled (their metric keys) but never sent: the executors are simulated.
content="$(get_cards_content "http://127.0.0.1:9/" "$CARDS")"
api PUT "/task-cases/$case_id/target/content" "$content" >/dev/null
api PUT "/task-cases/$case_id/target/stage" \
    "{\"stages\":[{\"operate_mode\":0,\"time\":$DURATION,\"pressure_mode\":0,\"issue_num\":$((EXECUTORS * 10))}]}" >/dev/null
log "$EXECUTORS simulated executors x $CARDS cards, RATE=$RATE seconds/s each (0: as fast as taken), $DURATION s, store $STORE"
run="$(api POST "/test-suites/$project/tasks/$task" \
    "{$CLUSTER,\"without_package\":0,\"network_info\":{\"network_type\":\"internet\"},\"status\":9}" | jq -er '.result.task_run_id')"

status="$(wait_run_end "$task" $((DURATION * 3 + 600)))"
bench_rc=0
wait "$BENCH_PID" || bench_rc=$?
BENCH_PID=""
cat "$WORK/bench.err" >&2
grep -v '^RESULT' "$WORK/bench.out"
[[ "$status" == 2 ]] || { echo "the run did not end normally (run_status $status)" >&2; tail -20 "$WORK/controlplane.log" >&2; exit 1; }

case_run="$(api GET "/tasks/$task" | jq -er '.taskInfo.related_temp_running_data[0].related_temp_running_id')"
expected="$(sed -n 's/^RESULT.* case_requests=\([0-9]*\).*/\1/p' "$WORK/bench.out")"
reported="$(curl -sS --max-time 120 "http://127.0.0.1:$CP_PORT/v1/$TENANT/task-run-infos/$run/case-run-infos/$case_run/reports?brokens_limit_count=1" \
    | jq -r '.result.details.data[0].performance.requests')"
echo "report: requests $reported, sent $expected: $([[ "$reported" == "$expected" ]] && echo equal || echo DIFFERENT)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ "$bench_rc" == 0 && "$reported" == "$expected" ]] || { echo "FAILED: a second was lost or counted twice (see above)" >&2; exit 1; }
