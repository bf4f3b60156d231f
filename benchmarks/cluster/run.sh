#!/usr/bin/env bash
# The production overlay's cluster, simulated (tests/Deploy.Tests/Simulation: every pod a process in a network
# namespace of its own on a private bridge, PostgreSQL the real server), with EXECUTORS executors under a TPS run,
# hit by one fault after another: SIGKILL one executor, scale down to half, scale back up, roll the control plane.
# After each fault, once SETTLE seconds have passed, it prints the load the target answered per second as a ratio to
# the stage's rate (min and mean over HELD seconds), then what the report lost against the target's count, and
# writes that table into docs/performance.md (section "Cluster simulation under faults").
#
#   EXECUTORS=8 TPS=2000 benchmarks/cluster/run.sh
#
# Environment (all optional):
#   EXECUTORS=8    executor pods at the start (the fault "scale down" halves them, "scale up" restores them)
#   TPS=2000       the stage's rate (tps_value); issue_num is a tenth of it
#   HELD=6         seconds of load held before each fault
#   SETTLE=2       seconds after a fault before its seconds count
#   SKIP_BUILD=1   run the last Release build
#   NO_DOCS=1      print only; leave docs/performance.md as it is
#   LOGS=DIR       write each pod's whole log to DIR/POD.log
#
# Runs as root (namespaces, veth pairs, a bridge); needs kubectl, iproute2 and PostgreSQL's server binaries, as
# ./test.sh installs them. Load goes only to the target in its own namespace on the private bridge; the run is
# bounded by its stage time, and every wait by a deadline. Should the load stop before the last fault, the table
# says where, and the script exits 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then echo "run as root: the simulation creates network namespaces and a bridge" >&2; exit 1; fi
if [ "${SKIP_BUILD:-}" != 1 ]; then
  dotnet build benchmarks/cluster/PerfTest.Benchmarks.Cluster.csproj -c Release -v q -nologo >/dev/null
fi
docs=(--docs "$PWD/docs/performance.md")
[ "${NO_DOCS:-}" = 1 ] && docs=()
exec dotnet benchmarks/cluster/bin/Release/net10.0/PerfTest.Benchmarks.Cluster.dll "${docs[@]}"
