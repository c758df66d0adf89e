#!/usr/bin/env bash
# The real clients' ADQL queries, each through the service next to PostgreSQL alone:
#   conformance/bench/client_queries.sh BASE_URL
# With VO_DATA_DIR and VO_DB_PORT naming the running archive's cluster (as for `voarchive
# serve`). For every query of ../shared/conformance/clients/adql_real.jsonl (but the one
# that uploads a table): its SQL as the translator writes it (MAXREC as the service's
# default, so LIMIT 1000001), run by pgbench on one connection for 3 s (at least once; the
# connection's first, cold run weighs little), parsed and planned each time as the service
# does (-M extended, every row fetched), and the ADQL sent to /tap/sync (a VOTable, as the
# clients ask) by wrk on one kept-alive connection for 3 s — as pgbench keeps its connection,
# and as pyvo and astroquery keep theirs (a requests session). A query slower than that
# window is timed by curl instead ($RUNS runs, default 5). Also shown: curl's median over a
# new connection each, whose cost on this machine is ~0.7 ms of the client's and the
# kernel's own (python's http.server answers a new connection no faster).
# Prints per query the rows, PostgreSQL's and the service's average milliseconds and their
# ratio, then the geometric mean of the ratios, how many are within 1.25×, and the queries
# slower than 200 ms where PostgreSQL is not.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$1
runs=${RUNS:-5}
source deploy/lib.sh
source conformance/bench/lib.sh
prepare_release bc wrk
pg=(-h "$VO_DATA_DIR/pg" -p "$VO_DB_PORT" -U postgres -d vo)
queries=../shared/conformance/clients/adql_real.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$queries" "$work" <<'PY'
import json, sys, pathlib, urllib.parse
out = pathlib.Path(sys.argv[2])
for n, line in enumerate(l for l in open(sys.argv[1]) if l.strip()):
    q = json.loads(line)
    if "TAP_UPLOAD" in q["adql"]:
        continue
    (out / f"{n:02d}.adql").write_text(q["adql"])
    (out / f"{n:02d}.client").write_text(q.get("client", "?"))
    body = urllib.parse.urlencode({"LANG": "ADQL", "REQUEST": "doQuery", "QUERY": q["adql"]})
    (out / f"{n:02d}.lua").write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.body = "{body}"\n')
PY

printf '%-4s %-10s %9s %10s %10s %7s %12s  %s\n' query client rows "psql ms" "tap ms" ratio "new conn ms" adql
: >"$work/ratios"
# wrk's average latency in milliseconds, or nothing when no request ended in the window
wrk_ms() {
    wrk -t1 -c1 -d3s --timeout 120s -s "$1" "$base/tap/sync" | awk '
        /requests in/ { n = $1 }
        /Latency/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                    f = (u == "us" ? 0.001 : (u == "s" ? 1000 : (u == "m" ? 60000 : 1))); ms = v * f }
        END { if (n > 0) printf "%.3f", ms }'
}
for adql_file in "$work"/*.adql; do
    n=$(basename "$adql_file" .adql)
    sql=$("$bin" adql translate --maxrec 1000000 <"$adql_file")
    printf '%s;\n' "$sql" >"$work/$n.sql"
    rows=$(psql "${pg[@]}" -XAtc "SELECT count(*) FROM ($sql) AS q")
    pg_ms=$(pgbench "${pg[@]}" -n -M extended -T 3 -f "$work/$n.sql" 2>/dev/null \
        | awk '/latency average/ { print $4 }')
    new_ms=$(for _ in $(seq "$runs"); do
        curl -s -o /dev/null -w '%{time_total}\n' -d LANG=ADQL -d REQUEST=doQuery \
            --data-urlencode "QUERY@$adql_file" "$base/tap/sync"
    done | median | awk '{ printf "%.2f", $1 * 1000 }')
    tap_ms=$(wrk_ms "$work/$n.lua")
    [ -n "$tap_ms" ] || tap_ms=$new_ms
    ratio=$(echo "$tap_ms / $pg_ms" | bc -l)
    echo "$ratio $tap_ms $pg_ms $n" >>"$work/ratios"
    printf '%-4s %-10s %9s %10.2f %10.2f %7.2f %12.2f  %s\n' "$n" "$(cat "$work/$n.client")" "$rows" "$pg_ms" "$tap_ms" "$ratio" "$new_ms" \
        "$(tr '\n' ' ' <"$adql_file" | cut -c1-70)"
done
awk '{ s += log($1); n += 1; if ($1 <= 1.25) ok += 1; if ($2 > 200 && $3 <= 200) slow = slow " " $4 }
     END { printf "geometric mean %.2f over %d queries; %d within 1.25x; slower than 200 ms where PostgreSQL is not:%s\n",
           exp(s / n), n, ok, (slow == "" ? " none" : slow) }' "$work/ratios"
