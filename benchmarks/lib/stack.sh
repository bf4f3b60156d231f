# Shared by the benchmark scripts (sourced, not run): a Release control plane with embedded SQLite, an optional
# standalone executor in private resource group 1, the REST API through curl, and /proc readings.
# Expects REPO, WORK, TENANT and SECRET to be set; sets CP_PID, CP_PORT, API, GRPC_PORT, EX_PID and CLUSTER.

log() { printf '== %s\n' "$*" >&2; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Stops a process: the signal (TERM by default), up to 10 s to exit, then KILL.
stop_pid() { # pid [signal]
    local pid="$1" sig="${2:-TERM}"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -"$sig" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
}

# Sums utime+stime (clock ticks) of the given pids and their threads; 0 for pids that are gone.
cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        if [[ -r /proc/$pid/stat ]]; then
            read -r -a fields < <(sed 's/^.*) //' "/proc/$pid/stat")
            total=$((total + fields[11] + fields[12]))
        fi
    done
    echo "$total"
}

# Busy and total clock ticks of the whole machine (all CPUs), from /proc/stat.
sys_ticks() { awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat; }

# Builds the control plane and the executor (Release) unless SKIP_BUILD is set.
build_release() {
    [[ -n "${SKIP_BUILD:-}" ]] && return 0
    log "building src/ControlPlane and src/Executor (Release)"
    timeout 600 dotnet build -c Release "$REPO/src/ControlPlane" -v quiet -nologo >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; exit 1; }
    timeout 600 dotnet build -c Release "$REPO/src/Executor" -v quiet -nologo >>"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; exit 1; }
}

# Starts the control plane (embedded SQLite in $WORK, or what CP_EXTRA's extra arguments say) and waits until its API answers.
# With "aggregate-only", the DOTNET_* settings meant for a standalone executor are kept away from it.
start_control_plane() { # [aggregate-only]
    local cp_dir="$REPO/src/ControlPlane/bin/Release/net10.0" strip=()
    CP_PORT="$(free_port)"
    API="http://127.0.0.1:$CP_PORT/v1/$TENANT"
    GRPC_PORT="$(free_port)"
    if [[ "${1:-}" == aggregate-only ]]; then
        strip=($(env | awk -F= '/^DOTNET_/ {printf "-u %s ", $1}'))
    fi
    (cd "$cp_dir" && exec env "${strip[@]}" dotnet PerfTest.ControlPlane.dll --Urls="http://127.0.0.1:$CP_PORT" \
        --Storage:SqlitePath="$WORK/perftest.db" --Executors:SharedSecret="$SECRET" \
        --Executors:GrpcUrl="http://127.0.0.1:$GRPC_PORT" ${CP_EXTRA:-}) >"$WORK/controlplane.log" 2>&1 &
    CP_PID=$!
    CLUSTER='"cluster_id":0,"cluster_type":"shared-cluster-internet"'
    for i in $(seq 1 300); do
        curl -fsS -o /dev/null "$API/test-suites" 2>/dev/null && break
        kill -0 "$CP_PID" 2>/dev/null || { echo "control plane exited" >&2; cat "$WORK/controlplane.log" >&2; exit 1; }
        [[ $i -eq 300 ]] && { echo "control plane did not answer on port $CP_PORT within 30 s" >&2; exit 1; }
        sleep 0.1
    done
    log "control plane on 127.0.0.1:$CP_PORT (pid $CP_PID)"
}

# Starts a standalone executor in private resource group 1 and waits until it registered.
start_executor() { # id
    local ex_dir="$REPO/src/Executor/bin/Release/net10.0" id="$1"
    (cd "$ex_dir" && exec dotnet PerfTest.Executor.dll --Urls="http://127.0.0.1:$(free_port)" \
        --Executor:ControlPlaneUrl="http://127.0.0.1:$GRPC_PORT" --Executor:SharedSecret="$SECRET" \
        --Executor:ClusterId=1 --Executor:Id="$id") >"$WORK/executor.log" 2>&1 &
    EX_PID=$!
    for i in $(seq 1 300); do
        grep -q "Registered as $id" "$WORK/executor.log" 2>/dev/null && break
        kill -0 "$EX_PID" 2>/dev/null || { echo "executor exited" >&2; cat "$WORK/executor.log" >&2; exit 1; }
        [[ $i -eq 300 ]] && { echo "executor did not register within 30 s" >&2; cat "$WORK/executor.log" >&2; exit 1; }
        sleep 0.1
    done
    CLUSTER='"cluster_id":1,"cluster_type":"private-cluster"'
    log "standalone executor (pid $EX_PID, open files limit $(awk '/Max open files/ {print $4}' "/proc/$EX_PID/limits")) registered in private resource group 1"
}

api() { # method path [json]
    curl -sS --max-time 30 -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$API$2"
}

# Starts nginx as its own process (config in $WORK/nginx, a free 127.0.0.1 port) answering GET / with "200 ok";
# sets NGINX_PID and TARGET. NGINX_WORKERS: worker_processes (default 1).
start_nginx() {
    local bin port
    bin="$(command -v nginx || echo /usr/sbin/nginx)"
    port="$(free_port)"
    mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
    cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes ${NGINX_WORKERS:-1};
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        location / {
            default_type text/plain;
            return 200 "ok";
        }
        # nginx_requests reads it: how many requests nginx answered, to check a generator's count against.
        location = /nginx_status {
            stub_status;
        }
    }
}
NGINX
    "$bin" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
    NGINX_PID=$!
    TARGET="http://127.0.0.1:$port/"
    for i in $(seq 1 50); do
        curl -fsS -o /dev/null "$TARGET" 2>/dev/null && break
        kill -0 "$NGINX_PID" 2>/dev/null || { echo "nginx did not start" >&2; cat "$WORK/nginx/logs/error.log" >&2; exit 1; }
        [[ $i -eq 50 ]] && { echo "nginx did not answer on $TARGET" >&2; exit 1; }
        sleep 0.1
    done
    log "nginx $("$bin" -v 2>&1 | sed 's/.*\///') on $TARGET, worker_processes ${NGINX_WORKERS:-1}"
}

# The requests nginx (started by start_nginx) has handled so far, this look at /nginx_status itself included.
nginx_requests() {
    curl -fsS --max-time 5 "${TARGET}nginx_status" | awk 'NR == 3 {print $3}'
}

# Starts a throw-away PostgreSQL cluster in $WORK/pg (installed from Debian packages when missing; root) on a free
# loopback port; sets PG_BIN, PG_DSN (a connection string) and CP_EXTRA for start_control_plane. Stop it with stop_postgres.
start_postgres() {
    local port
    for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/initdb" ]] && PG_BIN="$d"; done
    if [[ -z "${PG_BIN:-}" ]]; then
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/initdb" ]] && PG_BIN="$d"; done
    fi
    port="$(free_port)"
    mkdir -p "$WORK/pg" "$WORK/pg-run" && chown postgres "$WORK/pg" "$WORK/pg-run"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -U perftest --auth=trust -E UTF8 >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -w -t 60 \
        -o "-p $port -k $WORK/pg-run -c listen_addresses=127.0.0.1" -l "$WORK/pg-run/pg.log" start >/dev/null
    PG_DSN="Host=127.0.0.1;Port=$port;Username=perftest;Database=postgres;MaxPoolSize=20"
    CP_EXTRA="--Storage:Provider=Postgres --ConnectionStrings:Postgres=$PG_DSN"
    log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (fsync on)"
}

stop_postgres() {
    if [[ -n "${PG_BIN:-}" && -f "$WORK/pg/postmaster.pid" ]]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
}

# VmRSS (kB) and thread count of a process; 0 when it is gone.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Established TCP connections whose local port is $1: the connections a local server on that port holds.
port_conns() { ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l; }

# Samples a process every SAMPLE (default 2) seconds while it lives, one line per sample:
#   t_ms rss_kb threads cpu_ticks connections machine_busy_ticks machine_total_ticks
# t_ms counts from the first sample; connections is what the command "$2" prints (e.g. "port_conns 8080").
sample_process() { # pid connections-command
    local pid="$1" t0 s
    t0="$(date +%s%N)"
    while kill -0 "$pid" 2>/dev/null; do
        s="$(sys_ticks)"
        echo "$(( ($(date +%s%N) - t0) / 1000000 )) $(rss_kb "$pid") $(threads "$pid") $(cpu_ticks "$pid") $($2) $s"
        sleep "${SAMPLE:-2}"
    done
}

# The median RSS (kB) of the samples of sample_process in file $1 whose connections reached $2: the plateau.
# 0 when no sample did.
plateau_rss() { # samples-file connections
    awk -v n="$2" '$5 >= n {print $2}' "$1" | sort -n \
        | awk '{a[NR] = $1} END {if (NR == 0) print 0; else print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'
}

# The end of a benchmark script (call it from its EXIT trap with $?): stops the given pids in that order, then
# removes $WORK, or keeps it and says so when the script failed (with the tail of the executor's log) or KEEP_WORK is set.
end_benchmark() { # exit-code pid...
    local rc="$1" pid
    shift
    for pid in "$@"; do stop_pid "$pid"; done
    if [[ $rc -ne 0 ]]; then
        echo "failed (exit $rc); logs kept in $WORK" >&2
        tail -n 30 "$WORK/executor.log" 2>/dev/null >&2 || true
    elif [[ -n "${KEEP_WORK:-}" ]]; then
        echo "logs and samples kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# Installs the given Debian packages (apt-get update first); nothing when none is given.
install_packages() { # package...
    (($#)) || return 0
    log "installing $* from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq
    timeout 600 apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Waits up to 30 s until GET url answers 2xx; exits the script when the process exits first or the time runs out.
wait_http() { # url pid name log-file
    local i
    for i in $(seq 1 300); do
        curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; cat "$4" >&2; exit 1; }
        sleep 0.1
    done
    echo "$3 did not answer $1 within 30 s" >&2
    exit 1
}

# Builds the given projects (paths below $REPO) in Release, in that order, unless SKIP_BUILD is set.
build_projects() { # project...
    [[ -n "${SKIP_BUILD:-}" ]] && return 0
    log "building $* (Release)"
    local project
    for project in "$@"; do
        timeout 900 dotnet build -c Release "$REPO/$project" -v quiet -nologo >>"$WORK/build.log" 2>&1 \
            || { cat "$WORK/build.log" >&2; exit 1; }
    done
}

# The control plane's store for STORE: `sqlite` (default, a file in $WORK) or `postgres` (start_postgres; stop it
# with stop_postgres). Sets DB_ARG, what start_control_plane passes on.
start_store() {
    if [[ "${STORE:-sqlite}" == postgres ]]; then
        start_postgres
        DB_ARG="$PG_DSN"
    else
        DB_ARG="$WORK/perftest.db"
    fi
}

# The target content of a case of N HTTP GET cards named get-0 ... get-(N-1), each to the URL prefix followed by
# its number.
get_cards_content() { # url-prefix n
    jq -nc --arg url "$1" --argjson n "$2" '{contents: [{content_id: 0, data_type: 0, content: [range($n) | {content_type: 2,
        content: {name: "get-\(.)", method: "GET", url: "\($url)\(.)", protocol_type: 1, connect_timeout: 5000,
        return_timeout: 5000, headers: [], body_type: 0, bodys: []}}]}]}'
}

# Polls task $1's run_status every $3 s (0.5) until its run ended (2 or 3), for at most $2 s; prints the last status.
wait_run_end() { # task max-seconds [interval]
    local status="" interval="${3:-0.5}" polls
    polls="$(awk -v s="$2" -v i="$interval" 'BEGIN {print int(s / i)}')"
    for _ in $(seq 1 "$polls"); do
        sleep "$interval"
        status="$(api GET "/tasks/$1" | jq -r '.taskInfo.run_status')"
        [[ "$status" == 2 || "$status" == 3 ]] && break
    done
    echo "$status"
}
