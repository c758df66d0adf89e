#!/usr/bin/env bash
# Cone searches under 32 concurrent clients, the service next to PostgreSQL alone:
#   conformance/bench/cones.sh BASE_URL [MAXREC]
# With VO_DATA_DIR and VO_DB_PORT naming the running archive's cluster (as for `voarchive
# serve`). Random 1–30 arcmin cones around the 50 densest fields (cones.lua, cone.adql):
#   service:  wrk, 32 connections, ADQL over /tap/sync as CSV (MAXREC if given);
#   postgres: pgbench, 32 clients, the same cones in the SQL the translator emits, rows
#             fetched (LIMIT MAXREC+1 if given, as the service asks for one more row to
#             detect overflow), once parsed and planned per query (-M extended: "postgres")
#             and once prepared per connection and reused (-M prepared: "prepared").
# $CONE_SECONDS (default 30) each, after a 5 s warm-up. Prints one line per side:
#   cones <all|maxrec=N> <service|postgres|prepared> <per second> <p50 ms> <p99 ms> [non-2xx]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$1
maxrec=${2:-}
seconds=${CONE_SECONDS:-30}
source deploy/lib.sh
source conformance/bench/lib.sh
prepare_release wrk
label=${maxrec:+maxrec=$maxrec}; label=${label:-all}
pg=(-h "$VO_DATA_DIR/pg" -p "$VO_DB_PORT" -U postgres -d vo)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export CONE_FIELDS=$(cone_fields)
if [ -n "$maxrec" ]; then export CONE_MAXREC=$maxrec; else unset CONE_MAXREC; fi

# the service: wrk's rate and latency distribution
wrk -t2 -c32 -d5s --timeout 30s -s conformance/bench/cones.lua "$base" >/dev/null
wrk -t2 -c32 -d"${seconds}s" --timeout 30s --latency -s conformance/bench/cones.lua "$base" >"$work/wrk"
printf 'cones %s service %s\n' "$label" "$(wrk_rate_and_latency "$work/wrk")"

# PostgreSQL alone: the translator's SQL for the same template, one pgbench script per field
sql=$(sed 's/{ra}/111.11111/; s/{dec}/22.22222/; s/{radius}/0.33333/' conformance/bench/cone.adql | "$bin" adql translate)
for n in 111.11111 22.22222 0.33333; do
    [ "$(grep -o "$n" <<<"$sql" | wc -l)" -eq 1 ] || { echo "cones.sh: the translated SQL does not hold $n once: $sql" >&2; exit 1; }
done
sql=$(sed 's/111\.11111/:ra/; s/22\.22222/:dec/; s/0\.33333/:radius/' <<<"$sql")
[ -n "$maxrec" ] && sql="$sql LIMIT $((maxrec + 1))"
scripts=()
i=0
while read -r ra dec; do
    i=$((i + 1))
    cat >"$work/field$i.sql" <<SQL
\\set ra $ra + (random(0, 1000000) / 1000000.0 - 0.5) * 0.2
\\set dec $dec + (random(0, 1000000) / 1000000.0 - 0.5) * 0.2
\\set radius (1 + random(0, 1000000) / 1000000.0 * 29) / 60
$sql;
SQL
    scripts+=(-f "$work/field$i.sql")
done < <(tr ';' '\n' <<<"$CONE_FIELDS")
for mode in extended prepared; do
    rm -f "$work"/cones.*
    pgbench "${pg[@]}" -n -c 32 -j 2 -M "$mode" -T 5 "${scripts[@]}" >/dev/null 2>&1
    (cd "$work" && pgbench "${pg[@]}" -n -c 32 -j 2 -M "$mode" -T "$seconds" -l --log-prefix=cones "${scripts[@]}" >"$work/pgbench" 2>&1)
    # per-transaction log: the third field is the latency in µs
    failed=$(awk '/^number of failed transactions/ { print $5 }' "$work/pgbench")
    [ "${failed:-0}" = 0 ] || { echo "cones.sh: pgbench: $failed failed transactions" >&2; cat "$work/pgbench" >&2; exit 1; }
    cat "$work"/cones.* | awk '{ print $3 / 1000 }' | sort -g >"$work/latencies"
    count=$(wc -l <"$work/latencies")
    pct() { awk -v n="$count" -v p="$1" 'NR == int(n * p + 0.999999) { printf "%.2f", $1; exit }' "$work/latencies"; }
    side=postgres; [ "$mode" = prepared ] && side=prepared
    printf 'cones %s %s %s %s %s\n' "$label" "$side" \
        "$(awk '/^tps/ { printf "%.2f", $3 }' "$work/pgbench")" "$(pct 0.5)" "$(pct 0.99)"
done
