# What the benchmark scripts share (sourced from the repository's root, after deploy/lib.sh).

# The packages ($@ besides the server's), Rust, and the release binary as $bin.
prepare_release() {
    ensure_packages "${SERVER_PACKAGES[@]}" "$@"
    ensure_rust
    cargo build --release --locked -q -p vo-server
    bin=$PWD/target/release/voarchive
}

# A TCP port free on loopback now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The median of the numbers on standard input, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The archive's 50 densest fields (VO_DATA_DIR, VO_DB_PORT) as "ra dec;ra dec;…": where the
# benchmark's cones go (cones.lua).
cone_fields() {
    psql -h "$VO_DATA_DIR/pg" -p "$VO_DB_PORT" -U postgres -d vo -Atc \
    "SELECT string_agg(ra || ' ' || dec, ';') FROM (SELECT round(s_ra::numeric, 1) AS ra, round(s_dec::numeric, 1) AS dec \
     FROM ivoa.obscore GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 50) f"
}

# Waits until the server's start-up work on the archive (VO_DATA_DIR, VO_DB_PORT) is over: no
# other session of the database active for 5 s in a row (at a million rows the objects in
# the footprints and the similar projects take minutes), so that it does not run beside
# what is measured. Says how long it waited.
wait_settled() {
    local start quiet=0
    start=$(date +%s)
    while [ "$quiet" -lt 5 ] && [ $(($(date +%s) - start)) -lt 1800 ]; do
        if [ "$(psql -h "$VO_DATA_DIR/pg" -p "$VO_DB_PORT" -U postgres -d vo -Atc \
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'")" = 0 ]; then
            quiet=$((quiet + 1))
        else
            quiet=0
        fi
        sleep 1
    done
    echo "(the server's start-up work took $(($(date +%s) - start)) s)" >&2
}

# A wrk latency (as wrk prints it: us, ms, s or m) on standard input, in milliseconds.
wrk_ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; else if (v ~ /m$/) v = v * 60000; printf "%.2f", v }'; }

# The figures of a `wrk --latency` output file: "<requests/s> <p50 ms> <p99 ms> [non-2xx:N]".
wrk_rate_and_latency() {
    printf '%s %s %s %s' "$(awk '/Requests\/sec/ { print $2 }' "$1")" \
        "$(awk '$1 == "50%" { print $2 }' "$1" | wrk_ms)" \
        "$(awk '$1 == "99%" { print $2 }' "$1" | wrk_ms)" \
        "$(awk '/Non-2xx/ { print "non-2xx:" $NF }' "$1")"
}
