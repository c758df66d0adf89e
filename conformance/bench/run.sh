#!/usr/bin/env bash
# The benchmark suite, one command:  conformance/bench/run.sh
# On a demo archive of $ROWS ObsCore rows (default 1,000,000; kept in $BENCH_DIR between
# runs), with the release build:
#   1. full-row dumps of 100k and ROWS rows, BINARY2 and TABLEDATA, next to psql COPY
#      (tap_dump.sh): rows/s, MB/s, ratio to psql, server peak RSS;
#   2. cone searches, random 1–30 arcmin cones around the densest fields, 32 concurrent
#      clients (cones.sh: wrk, $CONE_SECONDS s, default 30): requests/s, p50, p99, next to
#      pgbench running the same SQL; again with MAXREC=100;
#   3. ADQL translation of the 71 real client queries (criterion): median per query;
#   4. a 200×200×100 SODA cutout of a 2 GiB cube against astropy and a raw read (soda_cutout.sh);
#   5. 1,000 async jobs submitted at once: all complete? jobs per second;
#   6. each of the real clients' ADQL queries through /tap/sync next to pgbench running its
#      SQL (client_queries.sh): ratios, their geometric mean;
#   7. interval queries (5 spellings × spectral/temporal) and counts by the grouping columns,
#      before and after their indexes (queries.sh);
#   8. a mixed workload: cones, dumps, async jobs and page searches alone, then at once
#      (mixed.sh): p99 of each, mixed over alone; asking again at once, then with pauses.
# Prints a table and writes it into README.md (between the bench markers) with the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
source deploy/lib.sh
source conformance/bench/lib.sh
ensure_packages "${SERVER_PACKAGES[@]}" bc wrk
ensure_rust
ensure_python_clients   # astropy for the SODA comparison
cargo build --release --locked -q -p vo-server
bin=$root/target/release/voarchive
rows=${ROWS:-1000000}
bench_dir=${BENCH_DIR:-/tmp/vo-bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
machine="$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(psql --version | awk '{ print $NF }' | sed 's/^/PostgreSQL /')"
echo "machine: $machine"

echo "== 1. full-row dumps"
conformance/bench/tap_dump.sh 100000 "$rows" | tee "$out/dump"

# a server on the big archive for 2 and 5 (no per-client limit: the load tool is one client)
export VO_DATA_DIR="$bench_dir/$rows" VO_DB_PORT=$(free_port) VO_PORT=$(free_port)
export VO_CONFIG=$out/bench.toml
printf '[access]\nper_client_requests = 0\n[tap.async]\nworkers = 2\nworkers_per_client = 2\nretention_seconds = 3600\n[quotas.account]\nactive_jobs = 1000\njobs = 2000\n' >"$VO_CONFIG"
"$bin" db start >/dev/null 2>&1
base=http://127.0.0.1:$VO_PORT
"$bin" serve >"$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; "$bin" db stop >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
until curl -sf "$base/tap/availability" >/dev/null; do sleep 0.2; done
wait_settled

echo "== 2. cone searches, 32 clients (service, then PostgreSQL alone)"
conformance/bench/cones.sh "$base" | tee "$out/cones"
conformance/bench/cones.sh "$base" 100 | tee -a "$out/cones"

echo "== 6. the real clients' queries, each next to PostgreSQL"
conformance/bench/client_queries.sh "$base" | tee "$out/clients"

echo "== 5. 1,000 async jobs at once"
"$bin" user create bench >/dev/null <<<"bench-password" 2>/dev/null || true
start=$(date +%s.%N)
since=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
seq 1000 | xargs -P 32 -I{} curl -s -o /dev/null -u bench:bench-password "$base/tap/async" \
    -d LANG=ADQL -d PHASE=RUN --data-urlencode "QUERY=SELECT TOP 10 obs_id, s_ra, s_dec FROM ivoa.obscore WHERE s_dec > -{}"
submitted=$(date +%s.%N)
count_phase() { curl -s -u bench:bench-password "$base/tap/async?PHASE=$1&AFTER=$since" | { grep -o '<uws:jobref' || true; } | wc -l; }
while :; do
    done_jobs=$(count_phase COMPLETED); failed=$(count_phase ERROR)
    [ $((done_jobs + failed)) -ge 1000 ] && break
    sleep 0.5
done
finished=$(date +%s.%N)
jobs_seconds=$(echo "$finished - $start" | bc -l)
jobs_rate=$(echo "1000 / $jobs_seconds" | bc -l)
submit_seconds=$(echo "$submitted - $start" | bc -l)
printf 'submitted in %.1f s; %s COMPLETED, %s ERROR after %.1f s: %.0f jobs/s\n' \
    "$submit_seconds" "$done_jobs" "$failed" "$jobs_seconds" "$jobs_rate" | tee "$out/jobs"
echo "== 8. a mixed workload: each class alone, then all at once"
conformance/bench/mixed.sh "$base" | tee "$out/mixed"
# the same classes with the pauses users make (each class alone well within the machine)
MIXED_PACE=1 conformance/bench/mixed.sh "$base" | tee -a "$out/mixed"
kill "$server"; wait "$server" 2>/dev/null || true
"$bin" db stop >/dev/null 2>&1 || true

echo "== 9. cones on a fleet: one node, behind HAProxy, two nodes, two nodes and a replica"
conformance/bench/fleet.sh 200000 | tee "$out/fleet"
echo "== 7. interval queries and counts, before and after their indexes"
conformance/bench/queries.sh "$rows" | tee "$out/queries"

echo "== 3. ADQL translation (criterion)"
cargo bench -q -p vo-adql --bench translate -- --noplot >/dev/null 2>&1
translate_median=$(python3 -c '
import json, glob
for path in sorted(glob.glob("target/criterion/translate/all*/new/estimates.json")):
    print("%.1f" % (json.load(open(path))["median"]["point_estimate"] / 1000))')
echo "median per query: $translate_median µs"

echo "== 4. SODA cutout"
conformance/bench/soda_cutout.sh | tee "$out/soda"

# the table
dump_row() { awk -v r="$1" -v f="$2" '$1 == r && $2 == f { printf "%s rows/s, %s MB/s, %s of psql, RSS %s %s", $4, $5, $6, $7, $8 }' "$out/dump"; }
psql_row() { awk -v r="$1" '$1 == r && $2 == "psql" { printf "%s rows/s", $5 }' "$out/dump"; }
cone_row() { awk -v l="$1" '$2 == l && $3 == "service" { s = sprintf("%s req/s, p50 %s ms, p99 %s ms%s", $4, $5, $6, $7 ? ", " $7 : ""); r = $4 }
    $2 == l && $3 == "postgres" { p = sprintf("PostgreSQL alone (pgbench, same SQL): %s/s, p50 %s ms, p99 %s ms", $4, $5, $6); q = $4 }
    $2 == l && $3 == "prepared" { m = sprintf("prepared (pgbench -M prepared): %s/s, p50 %s ms", $4, $5); pq = $4 }
    END { printf "%s; %s; %s; service/PostgreSQL %.2f, service/prepared %.2f", s, p, m, r / q, r / pq }' "$out/cones"; }
soda_line=$(grep "^target" "$out/soda" | sed "s/^target //" | tr "\n" ";" | sed "s/;$//")
table=$(cat <<TABLE
Machine: $machine. Command: \`conformance/bench/run.sh\` (ROWS=$rows), $(date -u +%Y-%m-%d).

| benchmark | target | measured |
|---|---|---|
| dump 100k rows, BINARY2 | ≥ 70% of psql, RSS < 100 MB | $(dump_row 100000 votable/b2) (psql COPY: $(psql_row 100000)) |
| dump 100k rows, TABLEDATA | ≥ 70% of psql, RSS < 100 MB | $(dump_row 100000 votable) |
| dump $rows rows, BINARY2 | ≥ 70% of psql, RSS < 100 MB | $(dump_row "$rows" votable/b2) (psql COPY: $(psql_row "$rows")) |
| dump $rows rows, TABLEDATA | ≥ 70% of psql, RSS < 100 MB | $(dump_row "$rows" votable) |
| cone searches (1–30′, dense fields), 32 clients, ${CONE_SECONDS:-30} s each | p50 ≤ 5 ms | $(cone_row all) |
| the same cones with MAXREC=100 (per-request cost) | — | $(cone_row maxrec=100) |
| ADQL translation, 70 real client queries (criterion; the 71st needs an upload) | median ≤ 50 µs | ${translate_median} µs per query |
| SODA cutout 200×200×100 of a 2 GiB cube | ≤ 1.5× raw read, ≥ 5× faster than astropy | $soda_line |
| 1,000 async jobs submitted at once | all complete | $(cat "$out/jobs") |
| the 70 real client queries, each through /tap/sync next to pgbench (same SQL, every row) | each ≤ 1.25× PostgreSQL | $(tail -1 "$out/clients") |
| interval queries, 10 spellings, with the range index (before → after) | index used | $(awk '$1 == "range" && $NF ~ /range_idx/ { n += 1 } END { printf "%d of 10 use it", n }' "$out/queries"); see queries.sh's table |
TABLE
)
echo
echo "$table"
python3 - "$table" <<'PY'
import sys, re
table = sys.argv[1]
path = "README.md"
text = open(path).read()
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
block = f"{start}\n{table}\n{end}"
if start in text:
    text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
else:
    text = text.replace("\n## Limits (today)", f"\n### Benchmark suite\n\n{block}\n\n## Limits (today)")
open(path, "w").write(text)
PY
echo "README.md updated"
exit 0
