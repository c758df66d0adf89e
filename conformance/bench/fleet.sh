#!/usr/bin/env bash
# Cone searches (MAXREC=100) under 32 concurrent clients on the fleet of deploy/fleet, on an
# archive of ROWS rows (default 200000):
#   conformance/bench/fleet.sh [ROWS]
# Straight to one node, then through HAProxy to one node (the other stopped), to two nodes
# (both on the primary: the replica stopped), and to two nodes with the replica taking the
# reads. Every process shares this machine's cores: the figures show the balancer's cost and
# how the work spreads, not what more machines would add. Prints per setting:
#   fleet <setting> <requests per second> <p50 ms> <p99 ms> [non-2xx]
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/lib.sh
source conformance/bench/lib.sh
prepare_release wrk
rows=${1:-200000}
seconds=${CONE_SECONDS:-20}
export FLEET_DIR=${BENCH_DIR:-/tmp/vo-bench}/fleet-$rows FLEET_PORT=${FLEET_PORT:-18200}
export FLEET_DEMO="--rows $rows --files 0 --no-small-files"
export FLEET_NODE_SETTINGS=$'[access]\nper_client_requests = 0'
work=$(mktemp -d)
trap 'deploy/fleet stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
deploy/fleet >/dev/null
balancer=http://127.0.0.1:$FLEET_PORT node_a=http://127.0.0.1:$((FLEET_PORT + 1))
export CONE_FIELDS=$(VO_DATA_DIR=$FLEET_DIR/shared VO_DB_PORT=$((FLEET_PORT + 3)) cone_fields)
export CONE_MAXREC=100
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $rows rows"

measure() {
    wrk -t2 -c32 -d5s --timeout 30s -s conformance/bench/cones.lua "$2" >/dev/null
    wrk -t2 -c32 -d"${seconds}s" --timeout 30s --latency -s conformance/bench/cones.lua "$2" >"$work/wrk"
    printf 'fleet %-28s %s\n' "$1" "$(wrk_rate_and_latency "$work/wrk")"
}
# the replica's state as both nodes see it: wait for their watchers
replica_is() {
    for _ in $(seq 100); do
        a=$(curl -s "$node_a/tap/availability"); b=$(curl -s "http://127.0.0.1:$((FLEET_PORT + 2))/tap/availability")
        if [ "$1" = in ]; then grep -q "takes reads" <<<"$a$b" && ! grep -q "out of rotation" <<<"$a$b" && return 0
        else grep -q "takes reads" <<<"$a$b" || return 0; fi
        sleep 0.2
    done
    echo "the replica did not go $1" >&2; exit 1
}

echo "fleet <setting> <req/s> <p50 ms> <p99 ms>"
deploy/fleet replica stop; replica_is out
deploy/fleet node-b stop; sleep 2
measure "1 node, no balancer" "$node_a"
measure "1 node behind HAProxy" "$balancer"
deploy/fleet node-b start; sleep 2
measure "2 nodes behind HAProxy" "$balancer"
deploy/fleet replica start; replica_is in
measure "2 nodes + replica" "$balancer"
