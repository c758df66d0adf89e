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
