#!/usr/bin/env bash
# Interval queries with and without the range indexes, and counts by the grouping columns
# with and without index-only scans, in one run:
#   conformance/bench/queries.sh [ROWS]      (default 200000)
# On a demo archive of ROWS ObsCore rows (kept in $BENCH_DIR/ROWS between runs), five
# spellings each of spectral and temporal interval conditions (a value inside, written three
# ways, and the frequency also with strict bounds; an overlap, as SIA2 BAND/TIME send it; a
# containment) and a wide one: the SQL the translator writes (with the interval's range,
# which its SP-GiST index answers, for narrow intervals) next to the same comparisons alone
# (what it wrote before), each run $RUNS times
# (default 5) in PostgreSQL with EXPLAIN ANALYZE. Then counts by band, type, rights and
# category as a sequential scan (index scans switched off: the plan before the load's
# VACUUM and the pair's index) and as PostgreSQL now plans them. Then SPECTRAL_WINDOW_OVERLAPS
# (an observation's individual spectral windows, ALMA's frequency constraint) as a
# sequential scan and as PostgreSQL plans it with the windows' GiST index. Prints the median
# execution time, the ratio, the planner's estimate and the rows found, and how each plan
# reads the table.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/lib.sh
source conformance/bench/lib.sh
prepare_release bc
rows=${1:-200000}
runs=${RUNS:-5}
bench_dir=${BENCH_DIR:-/tmp/vo-bench}

export VO_DATA_DIR="$bench_dir/$rows" VO_DB_PORT=$(free_port) VO_CONFIG=/dev/null
mkdir -p "$VO_DATA_DIR"
"$bin" db start >/dev/null 2>&1
trap '"$bin" db stop >/dev/null 2>&1 || true' EXIT
if [ ! -f "$VO_DATA_DIR/.demo-done" ]; then
    start=$(date +%s)
    "$bin" demo --rows "$rows" --files 0 --no-small-files >/dev/null 2>&1
    touch "$VO_DATA_DIR/.demo-done"
    echo "demo of $rows rows made in $(( $(date +%s) - start )) s"
fi
psql_vo() { psql -X -q -At -h "$VO_DATA_DIR/pg" -p "$VO_DB_PORT" -U postgres -d vo "$@"; }
psql_vo -c "ANALYZE ivoa.obscore" >/dev/null
# warm: the table in the buffers, as a running archive has it
psql_vo -c "EXPLAIN (ANALYZE, TIMING OFF) SELECT * FROM ivoa.obscore" >/dev/null

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(psql --version | head -1)"
echo "rows: $(psql_vo -c 'SELECT count(*) FROM ivoa.obscore')"
# one plan's figures: execution ms, estimated rows, actual rows, how the table is read
# (the second argument: settings for the session first)
measure() {
    local sql=$1 set=${2:-} plan times
    psql_vo -c "$set EXPLAIN (ANALYZE, TIMING OFF) $sql" >/dev/null   # its indexes read once
    times=$(for _ in $(seq "$runs"); do
        psql_vo -c "$set EXPLAIN (ANALYZE, TIMING OFF) $sql" | awk -F': ' '/Execution Time/ { print $2 + 0 }'
    done | median)
    plan=$(psql_vo -c "$set EXPLAIN (ANALYZE, TIMING OFF) $sql")
    local estimate actual access
    estimate=$(head -1 <<<"$plan" | sed -E 's/.*rows=([0-9]+) width.*/\1/')
    actual=$(head -1 <<<"$plan" | sed -E 's/.*actual rows=([0-9]+).*/\1/')
    access=$(grep -oE 'Seq Scan|Index Only Scan using [a-z_]+|Index Scan using [a-z_]+|Bitmap Index Scan on [a-z_]+' <<<"$plan" | sort -u | paste -sd, -)
    echo "$times $estimate $actual $access"
}
printf '%-34s %-7s %10s %8s %9s %8s  %s\n' query plan ms ratio estimate rows "table read by"
while IFS='|' read -r name condition; do
    adql="SELECT * FROM ivoa.obscore WHERE $condition"
    with_range=$(printf '%s' "$adql" | "$bin" adql translate)
    # before: the same translation without the range (literals written +x, which the
    # translator does not read as bounds; the same values)
    plain=$(printf 'SELECT * FROM ivoa.obscore WHERE %s' "$(printf ' %s' "$condition" | sed -E 's/([^a-z_0-9.])([0-9][0-9.]*)/\1+\2/g')" | "$bin" adql translate)
    [ "$plain" != "$with_range" ] || [[ "$name" == wide* ]] || { echo "no range added for: $condition" >&2; exit 1; }
    read -r t_plain e_plain a_plain access_plain <<<"$(measure "$plain")"
    read -r t_range e_range a_range access_range <<<"$(measure "$with_range")"
    printf '%-34s %-7s %10.2f %8s %9s %8s  %s\n' "$name" before "$t_plain" 1.00 "$e_plain" "$a_plain" "$access_plain"
    printf '%-34s %-7s %10.2f %8.2f %9s %8s  %s\n' "" range "$t_range" "$(echo "$t_plain / $t_range" | bc -l)" "$e_range" "$a_range" "$access_range"
done <<'QUERIES'
frequency inside (<=, >=)|em_min <= 0.0013004 AND em_max >= 0.0013004
frequency inside (BETWEEN)|0.0013004 BETWEEN em_min AND em_max
frequency inside (reversed)|0.0013004 >= em_min AND em_max >= 0.0013004
frequency inside (<, >)|em_min < 0.0013004 AND em_max > 0.0013004
band overlapping (SIA2 BAND)|em_min <= 0.00086897 AND em_max >= 0.00086847
windows inside a band|em_min >= 0.00086700 AND em_max <= 0.00087000
date inside (<=, >=)|t_min <= 58500.5 AND t_max >= 58500.5
date inside (BETWEEN)|58500.5 BETWEEN t_min AND t_max
date inside (reversed)|58500.5 >= t_min AND t_max >= 58500.5
days overlapping (SIA2 TIME)|t_min <= 58502 AND t_max >= 58500
observations inside days|t_min >= 58500 AND t_max <= 58510
wide: windows inside 211–275 GHz|em_min >= 0.0010902 AND em_max <= 0.0014208
QUERIES

printf '\n%-34s %-7s %10s %8s %9s %8s  %s\n' count plan ms ratio estimate rows "table read by"
while IFS='|' read -r name adql; do
    sql=$(printf '%s' "$adql" | "$bin" adql translate)
    read -r t_plain e_plain a_plain access_plain <<<"$(measure "$sql" "SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off;")"
    read -r t_index e_index a_index access_index <<<"$(measure "$sql")"
    printf '%-34s %-7s %10.2f %8s %9s %8s  %s\n' "$name" rows "$t_plain" 1.00 "$e_plain" "$a_plain" "$access_plain"
    printf '%-34s %-7s %10.2f %8.2f %9s %8s  %s\n' "" index "$t_index" "$(echo "$t_plain / $t_index" | bc -l)" "$e_index" "$a_index" "$access_index"
done <<'QUERIES'
by band and product type|SELECT band_list, dataproduct_type, COUNT(*) AS n FROM ivoa.obscore GROUP BY band_list, dataproduct_type
by band|SELECT band_list, COUNT(*) AS n FROM ivoa.obscore GROUP BY band_list
by data rights|SELECT data_rights, COUNT(*) AS n FROM ivoa.obscore GROUP BY data_rights
by scientific category|SELECT scientific_category, COUNT(*) AS n FROM ivoa.obscore GROUP BY scientific_category
all rows|SELECT COUNT(*) AS n FROM ivoa.obscore
QUERIES

printf '\n%-34s %-7s %10s %8s %9s %8s  %s\n' "spectral windows" plan ms ratio estimate rows "table read by"
while IFS='|' read -r name condition; do
    sql=$(printf 'SELECT * FROM ivoa.obscore WHERE %s' "$condition" | "$bin" adql translate)
    read -r t_plain e_plain a_plain access_plain <<<"$(measure "$sql" "SET enable_indexscan = off; SET enable_bitmapscan = off;")"
    read -r t_index e_index a_index access_index <<<"$(measure "$sql")"
    printf '%-34s %-7s %10.2f %8s %9s %8s  %s\n' "$name" scan "$t_plain" 1.00 "$e_plain" "$a_plain" "$access_plain"
    printf '%-34s %-7s %10.2f %8.2f %9s %8s  %s\n' "" index "$t_index" "$(echo "$t_plain / $t_index" | bc -l)" "$e_index" "$a_index" "$access_index"
done <<'QUERIES'
a window on CO 2-1 (230.538 GHz)|SPECTRAL_WINDOW_OVERLAPS(frequency_support, 230.538, 230.538) = 1
a window in 345.0–345.5 GHz|SPECTRAL_WINDOW_OVERLAPS(frequency_support, 345.0, 345.5) = 1
wide: a window in band 3|SPECTRAL_WINDOW_OVERLAPS(frequency_support, 84, 116) = 1
QUERIES
