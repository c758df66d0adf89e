# Shared by deploy/demo and deploy/test: install what is missing, on Debian 12.

# ensure_packages PKG...: installs the Debian packages that are not installed yet.
ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages: ${missing[*]} — run as root, or install them: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
    fi
    command -v cargo >/dev/null 2>&1 || { echo "cargo not found: install a Rust toolchain (rustup)" >&2; exit 1; }
}

# The database server and pgSphere, plus what building needs.
SERVER_PACKAGES=(postgresql-15 postgresql-15-pgsphere gcc libc6-dev pkg-config ca-certificates curl)

# A Python (./.venv) with the clients the conformance checks and benchmarks use (astropy,
# pyvo, astroquery, ALminer, pandas, pyarrow, matplotlib); exports VO_PYTHON.
ensure_python_clients() {
    ensure_packages python3-venv
    local venv=.venv
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import astropy, numpy, pyvo, astroquery, pandas, pyarrow, matplotlib, alminer, mocpy, cdshealpix, prometheus_client, sickle, lxml" 2>/dev/null; then
        [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check -r conformance/requirements.txt
        "$venv/bin/pip" install -q --disable-pip-version-check --no-deps -r conformance/requirements-nodeps.txt
    fi
    export VO_PYTHON="$PWD/$venv/bin/python"
}

# The name resolver's catalogue, written to $1 unless it is there: OpenNGC (Mattia Verga and
# contributors, CC-BY-SA-4.0) as the PyPI package pyongc ships it, read by deploy/openngc.py
# from the wheel pip downloads (nothing else is fetched). Exports VO_NAMES_CATALOGUE.
PYONGC_VERSION=1.2.2
ensure_name_catalogue() {
    local out=$1
    # (written again when it predates the redshift column)
    if [ ! -s "$out" ] || ! head -2 "$out" | grep -q redshift; then
        ensure_packages python3-venv
        [ -x .venv/bin/pip ] || python3 -m venv .venv
        local wheels
        wheels=$(mktemp -d)
        .venv/bin/pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
            --dest "$wheels" "pyongc==$PYONGC_VERSION"
        mkdir -p "$(dirname "$out")"
        .venv/bin/python deploy/openngc.py "$wheels/pyongc-$PYONGC_VERSION-py3-none-any.whl" "$out"
        rm -rf "$wheels"
    fi
    VO_NAMES_CATALOGUE="$(realpath "$out")"
    export VO_NAMES_CATALOGUE
}

# The spectral reference data (the line list and the ALMA site's atmosphere), written to the
# directory $1 unless there: deploy/spectra.py reads them from the wheels of three PyPI
# packages that pip downloads (spectralradex and memoir-lpd, MIT: LAMDA and CDMS/JPL line
# data; deshima-sensitivity, MIT: the ALMA site's transmission). Exports VO_REFERENCE_DIR.
SPECTRALRADEX_VERSION=1.1.5
MEMOIR_VERSION=1.1
DESHIMA_VERSION=0.3.2
ensure_spectral_reference() {
    local out=$1
    if [ ! -s "$out/lines.tsv" ] || [ ! -s "$out/atmosphere.tsv" ]; then
        ensure_packages python3-venv
        [ -x .venv/bin/pip ] || python3 -m venv .venv
        local wheels
        wheels=$(mktemp -d)
        .venv/bin/pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
            --dest "$wheels" "spectralradex==$SPECTRALRADEX_VERSION" "memoir-lpd==$MEMOIR_VERSION" \
            "deshima-sensitivity==$DESHIMA_VERSION"
        mkdir -p "$out"
        .venv/bin/python deploy/spectra.py "$wheels"/spectralradex-"$SPECTRALRADEX_VERSION"-*.whl \
            "$wheels/memoir_lpd-$MEMOIR_VERSION-py3-none-any.whl" \
            "$wheels/deshima_sensitivity-$DESHIMA_VERSION-py3-none-any.whl" "$out"
        rm -rf "$wheels"
    fi
    VO_REFERENCE_DIR="$(realpath "$out")"
    export VO_REFERENCE_DIR
}

# The web page's third-party code from npm (Aladin Lite, embedded by the build; playwright-core
# for the page's browser test), as package-lock.json pins it.
ensure_web_assets() {
    command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
    local app=crates/vo-web/app
    if [ ! -f "$app/node_modules/aladin-lite/dist/aladin.js" ] || [ ! -d "$app/node_modules/playwright-core" ] \
        || [ ! -f "$app/node_modules/uplot/dist/uPlot.esm.js" ] \
        || [ "$app/package-lock.json" -nt "$app/node_modules/.package-lock.json" ]; then
        (cd "$app" && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

# An S3-compatible object store on loopback for the fleet's job results: moto's server
# (PyPI moto[server], Apache-2.0) in its own venv, ./.venv-s3. Exports S3_SERVER.
MOTO_VERSION=5.2.6
ensure_s3_server() {
    ensure_packages python3-venv
    if [ ! -x .venv-s3/bin/moto_server ]; then
        python3 -m venv .venv-s3
        .venv-s3/bin/pip install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
    fi
    export S3_SERVER="$PWD/.venv-s3/bin/moto_server"
}
