#!/usr/bin/env bash
# Runs every test of PerfTest. Needs the .NET SDK; starts what the tests need and stops it:
#   - PostgreSQL: a throw-away cluster on a private port and data dir (installed from
#     Debian packages first when missing and we are root).
#   - kubectl: only installed here (Debian package), to render deploy/kubernetes in tests/Deploy.Tests;
#     iproute2 (ip netns) for its cluster simulation, which runs the rendered pods in network namespaces.
#   - chromium (the console's browser tests), nodejs and npm (the console's chart library in the build): only
#     installed here (Debian packages, when missing and we are root).
#   - nginx (with its RTMP module), ffmpeg and mosquitto: only installed here (Debian packages, when
#     missing and we are root); the streaming and MQTT tests start their own nginx and brokers on private 127.0.0.1 ports, never
#     the system services.
# Ends with the summary line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

work=$(mktemp -d /tmp/perftest-test.XXXXXX)
chmod 755 "$work"
pg_data="$work/pg"
# A free private port (several runs may share a machine).
pg_port=${PERFTEST_PG_PORT:-}
if [ -z "$pg_port" ]; then
  for p in $(seq 55432 55531); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then pg_port=$p; break; fi
  done
fi
pg_bin=""

find_pg_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pg_bin="$d"; fi
  done
}

as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_pg() {
  if [ -n "$pg_bin" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_pg_user "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap stop_pg EXIT

find_pg_bin
if [ -z "$pg_bin" ] && [ "$(id -u)" = 0 ]; then
  echo "== installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  find_pg_bin
fi
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL (initdb, pg_ctl) is not installed and cannot be installed (not root): install the Debian package postgresql" >&2
  exit 1
fi
# The other real peers of the tests, from Debian packages: nginx serves HLS and, with its RTMP module,
# live RTMP; ffmpeg makes the test streams, mosquitto is the MQTT broker.
peers=()
[ -x /usr/sbin/nginx ] || peers+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || peers+=(libnginx-mod-rtmp)
[ -x /usr/bin/ffmpeg ] || peers+=(ffmpeg)
[ -x /usr/sbin/mosquitto ] || peers+=(mosquitto)
# kubectl renders the Kubernetes manifests (kubectl kustomize) for tests/Deploy.Tests; no cluster is used.
command -v kubectl >/dev/null 2>&1 || peers+=(kubectl)
# ip (network namespaces, veth pairs, a bridge) and setpriv: tests/Deploy.Tests' cluster simulation runs the
# production overlay's pods as processes in namespaces of their own (root only; docs/deployment.md).
command -v ip >/dev/null 2>&1 || peers+=(iproute2)
command -v setpriv >/dev/null 2>&1 || peers+=(util-linux)
# chromium: tests/Console.Tests drive the console in Debian's browser through Playwright (its own browser
# builds cannot be downloaded here). node and npm: the control plane's build installs the console's chart
# library (uPlot) from src/ControlPlane/Console/web/package-lock.json.
[ -x /usr/bin/chromium ] || peers+=(chromium)
command -v npm >/dev/null 2>&1 || peers+=(nodejs npm)
# tmux: tests/Cli.Tests run `perftest run` on a real terminal to see its live view and send it Ctrl-C.
command -v tmux >/dev/null 2>&1 || peers+=(tmux)
if [ ${#peers[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages the tests need: ${peers[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "== installing ${peers[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${peers[@]}" >/dev/null
  # The packages may start (or, for the RTMP module, restart) system services (nginx on 80 and 1935,
  # mosquitto on 1883); the tests do not use them, so
  # stop them (best effort: a CI machine may run no init system).
  for service in nginx mosquitto; do
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now "$service" >/dev/null 2>&1 || true; fi
    if command -v service >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
  done
fi
# A Debian install may start its own cluster on 5432; ours is separate and leaves that alone.
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; fi
echo "== starting a throw-away PostgreSQL ($pg_bin) on port $pg_port in $pg_data"
as_pg_user "$pg_bin/initdb" -D "$pg_data" -U perftest --auth=trust -E UTF8 >/dev/null
as_pg_user "$pg_bin/pg_ctl" -D "$pg_data" -w -t 60 \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
  -l "$work/pg.log" start >/dev/null
export PERFTEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=perftest;Database=postgres;Pooling=true;Maximum Pool Size=20"

echo "== dotnet test"
results="$work/results"
status=0
# -m:1: one test assembly at a time, so the end-to-end runs (real seconds of load, TPS pacing,
# latency bounds) do not share the 2 cores with the other suites.
dotnet test PerfTest.sln -c Release -m:1 --logger "trx" --results-directory "$results" "$@" || status=$?

# The runner's own summary, summed over every test project.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); passed=$((passed + ${p:-0}))
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p'); failed=$((failed + ${f:-0}))
  n=$(echo "$counters" | sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p'); skipped=$((skipped + ${n:-0}))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test was executed" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test failed (exit $status) before or around the tests: a build error or a crashed test host, see above" >&2
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
