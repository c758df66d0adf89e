#!/usr/bin/env bash
# A mixed workload: each class of request alone, then all at once, on a running archive:
#   conformance/bench/mixed.sh BASE_URL
# With VO_DATA_DIR and VO_DB_PORT naming the running archive's cluster (as for `voarchive
# serve`). The classes ($MIXED_SECONDS s each, default 20; then as long all together):
#   cones   wrk, 16 connections, random 1–30 arcmin cones with MAXREC=100 (cones.lua);
#   dumps   2 clients in a loop, 100,000 full rows each as BINARY2 (TAP sync);
#   async   2 clients in a loop: a job of 1,000 rows submitted with PHASE=RUN, its phase
#           polled every 0.1 s until COMPLETED, its result fetched (the whole round);
#   page    4 clients in a loop, what the page asks when a user searches around a field: a
#           10 arcmin cone, every column, VOTable, MAXREC=2000.
# Prints per class the requests done, p50 and p99 alone and mixed (ms), and p99 mixed over
# p99 alone (the target: within 2).
#
# MIXED_PACE=1: the same clients, each pausing after every answer — a cone connection 40 ms,
# a dump client 2 s, an async client and a page client 1 s — as users and their scripts do,
# instead of asking again at once. Each class then runs at a rate the machine serves with
# room to spare alone, the four together near what it can serve in all, and the ratio says
# what the other classes cost each one. Without it every client asks again at once: each
# class alone takes the whole machine, so together none can keep its own p99.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$1
seconds=${MIXED_SECONDS:-20}
source conformance/bench/lib.sh
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

export CONE_FIELDS=$(cone_fields)
export CONE_MAXREC=100
paced=${MIXED_PACE:-0}
# each class's pause after an answer (s), when paced
think() { [ "$paced" = 1 ] || { echo 0; return; }; case $1 in dumps) echo 2 ;; *) echo 1 ;; esac; }
[ "$paced" = 1 ] && export CONE_THINK_MS=40
read -r page_ra page_dec < <(tr ';' '\n' <<<"$CONE_FIELDS" | head -1)

# one client's loop of a class until $deadline, one latency (ms) a line into $1
loop() {
    local out=$1 deadline=$2 class=$3 pause
    pause=$(think "$class")
    while [ "$(date +%s)" -lt "$deadline" ]; do
        [ "$pause" = 0 ] || sleep "$pause"
        case $class in
        dumps)
            curl -s -o /dev/null -w '%{time_total}\n' "$base/tap/sync" -d LANG=ADQL -d RESPONSEFORMAT=votable/b2 \
                --data-urlencode "QUERY=SELECT TOP 100000 * FROM ivoa.obscore" ;;
        page)
            curl -s -o /dev/null -w '%{time_total}\n' "$base/tap/sync" -d LANG=ADQL -d RESPONSEFORMAT=votable -d MAXREC=2000 \
                --data-urlencode "QUERY=SELECT * FROM ivoa.obscore WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', $page_ra, $page_dec, 0.1667)) = 1" ;;
        async)
            local start job phase
            start=$(date +%s.%N)
            job=$(curl -s -o "$work/refused" -w '%{redirect_url}' "$base/tap/async" -d LANG=ADQL -d PHASE=RUN \
                --data-urlencode "QUERY=SELECT TOP 1000 obs_id, s_ra, s_dec, target_name FROM ivoa.obscore WHERE s_dec > -$((RANDOM % 80))")
            [ -n "$job" ] || { echo "mixed.sh: a job was refused: $(cat "$work/refused")" >&2; exit 1; }
            phase=
            while [ "$phase" != COMPLETED ]; do
                sleep 0.1
                phase=$(curl -s "$job/phase")
                case $phase in ERROR|ABORTED) echo "mixed.sh: job $job ended $phase" >&2; break ;; esac
            done
            curl -s -o /dev/null "$job/results/result"
            # the round ends with the result; the job is deleted after (a client keeps few)
            echo "$(date +%s.%N) - $start" | bc -l
            curl -s -o /dev/null -X DELETE "$job" ;;
        esac
    done | awk '{ printf "%.1f\n", $1 * 1000 }' >>"$out"
}

# wrk's latency distribution for the cones, in ms: p50 p99 requests
cones() {
    wrk -t1 -c16 -d"${seconds}s" --timeout 60s --latency -s conformance/bench/cones.lua "$base" >"$1"
}
wrk_figures() {
    echo "$(awk '$1 == "50%" { print $2 }' "$1" | wrk_ms) $(awk '$1 == "99%" { print $2 }' "$1" | wrk_ms) $(awk '/requests in/ { print $1 }' "$1")"
}
# p50 p99 requests of a file of latencies
figures() {
    local n
    n=$(wc -l <"$1")
    [ "$n" -gt 0 ] || { echo "- - 0"; return; }
    sort -g "$1" | awk -v n="$n" 'NR == int(n * 0.5 + 0.999999) { p50 = $1 } NR == int(n * 0.99 + 0.999999) { p99 = $1 } END { print p50, p99, n }'
}

clients() { case $1 in dumps|async) echo 2 ;; page) echo 4 ;; esac; }
run_class() { # class, file prefix: its clients until the deadline
    local class=$1 prefix=$2 deadline=$3
    for c in $(seq "$(clients "$class")"); do loop "$prefix.$class" "$deadline" "$class" & done
}

# warm: the table in the buffers, each class once
wrk -t1 -c16 -d3s -s conformance/bench/cones.lua "$base" >/dev/null
for class in dumps page async; do loop "$work/warm" $(( $(date +%s) + 1 )) "$class"; done

for class in cones dumps async page; do
    if [ "$class" = cones ]; then
        cones "$work/alone.cones"
    else
        run_class "$class" "$work/alone" $(( $(date +%s) + seconds ))
        wait
    fi
done
deadline=$(( $(date +%s) + seconds ))
for class in dumps async page; do run_class "$class" "$work/mixed" "$deadline"; done
cones "$work/mixed.cones"
wait

label=mixed
[ "$paced" = 1 ] && label=paced
printf '%-5s %-6s %7s %9s %9s %9s %9s %9s %12s\n' '' class alone_n p50 p99 mixed_n p50 p99 "p99 ratio"
for class in cones dumps async page; do
    if [ "$class" = cones ]; then
        read -r a50 a99 an < <(wrk_figures "$work/alone.cones")
        read -r m50 m99 mn < <(wrk_figures "$work/mixed.cones")
    else
        read -r a50 a99 an < <(figures "$work/alone.$class")
        read -r m50 m99 mn < <(figures "$work/mixed.$class")
    fi
    printf "$label"' %-6s %7s %9s %9s %9s %9s %9s %12s\n' "$class" "$an" "$a50" "$a99" "$mn" "$m50" "$m99" \
        "$(awk -v a="$a99" -v m="$m99" 'BEGIN { if (a > 0) printf "%.2f", m / a; else print "-" }')"
done
