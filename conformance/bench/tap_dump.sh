#!/usr/bin/env bash
# Full-row dumps over TAP next to psql, in one run:
#   conformance/bench/tap_dump.sh [ROWS...]      (default: 100000 1000000)
# For each size, a demo archive of that many ObsCore rows (kept in $BENCH_DIR/ROWS between
# runs), the release server on it, and `SELECT * FROM ivoa.obscore` fetched in every result
# format (or those in $FORMATS) with MAXREC=ROWS, next to psql running COPY of the same
# translated SQL to /dev/null. Each measurement is the median of $RUNS runs (default 3). Prints rows/s,
# MB/s, the ratio to psql's row rate, and the server's peak resident memory (VmHWM) since
# its start-up work ended.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/lib.sh
source conformance/bench/lib.sh
prepare_release bc
runs=${RUNS:-3}
bench_dir=${BENCH_DIR:-/tmp/vo-bench}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)

# seconds and bytes of one curl fetch
fetch() { curl -s -o /dev/null -w '%{time_total} %{size_download}\n' --data-urlencode "QUERY=$query" \
    -d LANG=ADQL -d "MAXREC=$1" -d "RESPONSEFORMAT=$2" "http://127.0.0.1:$port/tap/sync"; }

printf '%s\n' "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(psql --version | head -1)"
printf '%-9s %-12s %12s %10s %10s %9s %12s\n' rows format seconds rows/s MB/s vs-psql server-RSS
query="SELECT * FROM ivoa.obscore"
for rows in "${sizes[@]}"; do
    export VO_DATA_DIR="$bench_dir/$rows" VO_DB_PORT=$(free_port) VO_CONFIG=/dev/null
    port=$(free_port)
    export VO_PORT=$port
    mkdir -p "$VO_DATA_DIR"
    "$bin" db start >/dev/null 2>&1
    "$bin" demo --rows "$rows" --files 0 --no-small-files >/dev/null 2>&1
    sql=$(printf '%s' "$query" | "$bin" adql translate --maxrec "$rows")
    "$bin" serve >"$VO_DATA_DIR/serve.log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null; "$bin" db stop >/dev/null 2>&1 || true' EXIT
    until curl -sf "http://127.0.0.1:$port/tap/availability" >/dev/null; do sleep 0.2; done
    wait_settled
    # the peak is counted from here: what the start-up work took is not the dumps'
    echo 5 >"/proc/$server/clear_refs"

    psql_times=$(for _ in $(seq "$runs"); do
        start=$(date +%s.%N)
        psql -q -h "$VO_DATA_DIR/pg" -p "$VO_DB_PORT" -U postgres -d vo -c "COPY ($sql) TO STDOUT" >/dev/null
        echo "$(date +%s.%N) - $start" | bc
    done | median)
    psql_rate=$(echo "$rows / $psql_times" | bc -l)
    printf '%-9s %-12s %12.2f %10.0f %10s %9s %12s\n' "$rows" "psql COPY" "$psql_times" "$psql_rate" - 1.00 -
    for format in ${FORMATS:-votable/b2 votable votable/b csv tsv fits parquet}; do
        results=$(for _ in $(seq "$runs"); do fetch "$rows" "$format"; done)
        seconds=$(awk '{ print $1 }' <<<"$results" | median)
        bytes=$(awk '{ print $2 }' <<<"$results" | median)
        rate=$(echo "$rows / $seconds" | bc -l)
        printf '%-9s %-12s %12.2f %10.0f %10.1f %9.2f %12s\n' "$rows" "$format" "$seconds" "$rate" \
            "$(echo "$bytes / $seconds / 1000000" | bc -l)" "$(echo "$rate / $psql_rate" | bc -l)" \
            "$(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status")"
    done
    kill "$server"; wait "$server" 2>/dev/null || true
    "$bin" db stop >/dev/null
    trap - EXIT
done
