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
