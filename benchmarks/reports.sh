#!/usr/bin/env bash
# How long the report of a long run takes to read, and how much the control plane grows while reading it.
#
#   benchmarks/reports.sh                                 # 24 h, 50 cards, 1 executor, embedded SQLite
#   STORE=postgres benchmarks/reports.sh                  # the same on a private PostgreSQL
#   HOURS=1 CARDS=10 EXECUTORS=4 SKIP_BUILD=1 benchmarks/reports.sh
#   RUN=real benchmarks/reports.sh                        # a real 180 s run: 10 cards at 20 iterations/s to nginx
#
# A Release control plane (lib/stack.sh) gets a project and a task through the API; PerfTest.ReportBench then writes
# a finished case run of HOURS hours into its store, faster than real time, through RunStore.AddSecondsAsync (what the
# control plane does with each second an executor streams), 20 requests per card per second. The control plane's own
# rollup service folds the seconds as they come; once every second is rolled up, each read below is made ROUNDS times
# through the API. RUN=real instead runs a case of CARDS (10) GET cards against a local nginx at 20 iterations/s
# for DURATION (180) s on the embedded executor, and reads its report. Before each read the control plane's peak RSS is reset (/proc/PID/clear_refs 5): its growth is
# VmHWM after the read minus VmRSS before it. Loopback only; every wait is bounded.
set -euo pipefail

RUN="${RUN:-soak}"
HOURS="${HOURS:-24}"
CARDS="${CARDS:-$([[ "$RUN" == real ]] && echo 10 || echo 50)}"
DURATION="${DURATION:-180}"
EXECUTORS="${EXECUTORS:-1}"
STORE="${STORE:-sqlite}"
ROUNDS="${ROUNDS:-3}"
TENANT="bench0000project"
SECRET="bench-$RANDOM$RANDOM"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/reports-bench.XXXXXX)"
chmod 755 "$WORK"
# shellcheck source=lib/stack.sh
source "$REPO/benchmarks/lib/stack.sh"

cleanup() {
    stop_pid "${CP_PID:-}"
    stop_pid "${NGINX_PID:-}"
    stop_postgres
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v jq >/dev/null 2>&1 || install_packages jq

start_store

build_release
if [[ -z "${SKIP_BUILD:-}" ]]; then
    timeout 600 dotnet build -c Release "$REPO/benchmarks/ReportBench" -v quiet -nologo >>"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; exit 1; }
fi
start_control_plane
BENCH="$REPO/benchmarks/ReportBench/bin/Release/net10.0/PerfTest.ReportBench.dll"

project="$(api POST /test-suites '{"name":"reports"}' | jq -er '.project_id')"
task="$(api POST /tasks "{\"name\":\"$RUN\",\"project_id\":$project}" | jq -er '.task_id')"

soak_run() {
    log "writing $HOURS h x $CARDS cards x $EXECUTORS executor(s) of seconds ($STORE)"
    local t0 t1 t2
    t0="$(date +%s)"
    read -r run case_run < <(timeout 7200 dotnet "$BENCH" "$DB_ARG" "$TENANT" "$project" "$task" "$HOURS" "$CARDS" "$EXECUTORS" | tail -1)
    t1="$(date +%s)"
    timeout 3700 dotnet "$BENCH" wait-rolled "$DB_ARG" "$case_run"
    t2="$(date +%s)"
    log "written in $((t1 - t0)) s; all rolled up $((t2 - t1)) s after the last was written"
}

real_run() {
    start_nginx
    local case_id content status
    case_id="$(api POST /task-cases "{\"name\":\"cards\",\"type\":0,\"task_id\":$task}" | jq -er '.json.task_case_id')"
    content="$(get_cards_content "$TARGET" "$CARDS")"
    api PUT "/task-cases/$case_id/target/content" "$content" >/dev/null
    api PUT "/task-cases/$case_id/target/stage" \
        "{\"stages\":[{\"operate_mode\":0,\"time\":$DURATION,\"pressure_mode\":1,\"tps_value\":20,\"issue_num\":50}]}" >/dev/null
    log "a real run: $CARDS cards at 20 iterations/s for $DURATION s against $TARGET"
    run="$(api POST "/test-suites/$project/tasks/$task" \
        "{$CLUSTER,\"without_package\":0,\"network_info\":{\"network_type\":\"internet\"},\"status\":9}" | jq -er '.result.task_run_id')"
    status="$(wait_run_end "$task" $((DURATION + 90)) 0.25)"
    [[ "$status" == 2 ]] || { echo "the run did not end normally (run_status $status)" >&2; exit 1; }
    case_run="$(api GET "/tasks/$task" | jq -er '.taskInfo.related_temp_running_data[0].related_temp_running_id')"
}

if [[ "$RUN" == real ]]; then real_run; else soak_run; fi
rss_idle="$(awk '/VmRSS/ {print $2}' "/proc/$CP_PID/status")"

# One read: "seconds growth_kB bytes".
read_once() { # path from the root
    echo 5 >"/proc/$CP_PID/clear_refs"
    local before after took size
    before="$(awk '/VmRSS/ {print $2}' "/proc/$CP_PID/status")"
    read -r took size < <(curl -sS --max-time 120 -o "$WORK/read.json" -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$CP_PORT$1")
    after="$(awk '/VmHWM/ {print $2}' "/proc/$CP_PID/status")"
    jq -e '.result // .taskInfo // .' "$WORK/read.json" >/dev/null || { echo "bad answer from $1" >&2; head -c 500 "$WORK/read.json" >&2; exit 1; }
    echo "$took $((after - before)) $size"
}

declare -A READS=(
    [report]="/v1/$TENANT/task-run-infos/$run/case-run-infos/$case_run/reports?brokens_limit_count=1000"
    [chart_card]="/v2/$TENANT/task-run-infos/$run/case-run-infos/$case_run/detail/$case_run-0/chart"
    [detail_all_cards]="/v2/$TENANT/task-run-infos/$run/case-run-infos/$case_run/detail"
    [log_outline]="/v2/$TENANT/task-run-infos/$run/reports/log-outline"
)
printf '\n%-18s %-28s %-28s %s\n' read "seconds (each round)" "RSS growth MB (each round)" "answer bytes"
for name in report chart_card detail_all_cards log_outline; do
    times=(); growths=(); size=0
    for _ in $(seq 1 "$ROUNDS"); do
        read -r took grew size < <(read_once "${READS[$name]}")
        times+=("$took"); growths+=("$(awk -v k="$grew" 'BEGIN {printf "%.1f", k / 1024}')")
    done
    printf '%-18s %-28s %-28s %s\n' "$name" "${times[*]}" "${growths[*]}" "$size"
done
jq -r '.result.details.data[0].performance | "whole run: requests \(.requests), tps \(.tps), tp50 \(.tp50) ms, tp99 \(.tp99) ms, tp99.99 \(.tp9999) ms, maxNetworkTraffic \(.maxNetworkTraffic)"' \
    < <(curl -sS --max-time 120 "http://127.0.0.1:$CP_PORT${READS[report]}")
echo "control plane RSS before the reads: $((rss_idle / 1024)) MB; store: $STORE; run: $RUN"
