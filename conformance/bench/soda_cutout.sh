#!/usr/bin/env bash
# SODA cutout bench, in one run:
#   conformance/bench/soda_cutout.sh [CACHE_DIR]
# Generates (once; kept in CACHE_DIR, default a temporary directory removed afterwards) a
# 2 GiB float32 FITS cube of 1024×1024×512×1 pixels (RA, DEC, FREQ, STOKES) and cuts a box
# of 200×200×100 pixels from it three ways, on a warm page cache:
#   raw      one pread per row of exactly the box's bytes (Rust; the floor for any reader)
#   cutout   vo-cutout's real path: Cube::open, Cube::plan of a CIRCLE + BAND request,
#            write_fits of the FITS file to /dev/null
#   astropy  fits.open(path)[0].section[0, z0:z0+100, y0:y0+200, x0:x0+200]
# Each figure is the median of $RUNS runs (default 7; open included). Targets: cutout ≤ 1.5×
# raw, astropy ≥ 5× cutout; the script exits 1 if one is missed. It also checks that the
# cutout's bytes equal the raw read, that astropy reads the same values from the output,
# and that astropy's WCS puts the output's pixel corners where the input's are.
# Needs: cargo, and a Python with astropy and numpy ($VO_PYTHON, default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${VO_PYTHON:-.venv/bin/python}
runs=${RUNS:-7}
if [ $# -ge 1 ]; then
    dir=$1
    mkdir -p "$dir"
else
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
fi
[ -x "$python" ] || { echo "no Python at $python: set VO_PYTHON to one with astropy and numpy" >&2; exit 1; }

build="cargo build --release --locked -q -p vo-cutout --example cutout_bench"
$build
bin=${CARGO_TARGET_DIR:-target}/release/examples/cutout_bench
cube=$dir/soda_bench_1024x1024x512x1.fits
out=$dir/soda_bench_cutout.fits

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
    "$(. /etc/os-release; echo "$PRETTY_NAME"), $(rustc --version | cut -d' ' -f1-2)," \
    "$("$python" -c 'import sys, astropy, numpy; print(f"Python {sys.version.split()[0]}, astropy {astropy.__version__}, numpy {numpy.__version__}")')"
echo "commands:"
echo "  $build"
echo "  $bin generate $cube"
echo "  cat $cube > /dev/null          # warm page cache: all three methods read from memory"
echo "  $bin run $cube $runs $out      # raw and cutout, interleaved"
echo "  $python - $cube $out $runs BOX # astropy .section, and checks of the output"
"$bin" generate "$cube"
cat "$cube" >/dev/null
rust=$("$bin" run "$cube" "$runs" "$out")
read -r x0 y0 z0 nx ny nz < <(awk '$1 == "box" { print $2, $3, $4, $5, $6, $7 }' <<<"$rust")
echo "box: x $x0+$nx, y $y0+$ny, z $z0+$nz (0-based), selected by $(sed -n 's/^request //p' <<<"$rust")"

astropy=$("$python" - "$cube" "$out" "$runs" "$x0" "$y0" "$z0" "$nx" "$ny" "$nz" <<'PY'
import statistics, sys, time, warnings
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS, FITSFixedWarning

cube, out = sys.argv[1], sys.argv[2]
runs, x0, y0, z0, nx, ny, nz = map(int, sys.argv[3:])
times = []
for _ in range(runs):
    start = time.perf_counter()
    with fits.open(cube) as hdus:
        section = hdus[0].section[0, z0:z0 + nz, y0:y0 + ny, x0:x0 + nx]
    times.append(time.perf_counter() - start)
print("astropy", f"{statistics.median(times):.6f}", section.nbytes)

warnings.simplefilter("ignore", FITSFixedWarning)
with fits.open(out) as hdus:
    ours = hdus[0].data
    assert ours.shape == (1, nz, ny, nx), ours.shape
    assert np.array_equal(ours[0], section), "output values differ from astropy's .section"
    w_out = WCS(hdus[0].header)
w_in = WCS(fits.getheader(cube))
worst = 0.0
for i in (-0.5, nx - 0.5):
    for j in (-0.5, ny - 0.5):
        for k in (-0.5, nz - 0.5):
            a = w_out.all_pix2world([[i, j, k, 0]], 0)[0]
            b = w_in.all_pix2world([[x0 + i, y0 + j, z0 + k, 0]], 0)[0]
            assert abs(a[0] - b[0]) < 1e-9 and abs(a[1] - b[1]) < 1e-9, (a, b)
            assert abs(a[2] - b[2]) < 1.0, (a, b)  # Hz
            worst = max(worst, abs(a[0] - b[0]), abs(a[1] - b[1]))
print("check", f"{worst:.1e}")
PY
)
echo "checks: cutout bytes = raw read; astropy reads the same values from the output;" \
    "astropy WCS maps the output's pixel corners to the input's (largest difference" \
    "$(awk '$1 == "check" { print $2 }' <<<"$astropy") deg)"

echo "MB/s counts the box's $((nx * ny * nz * 4)) pixel bytes; the cutout's time includes Cube::open + plan," \
    "$(awk '$1 == "plan" { printf "%.2f ms", $2 * 1000 }' <<<"$rust") alone"
printf '%-9s %12s %10s %12s\n' method seconds MB/s vs-raw
awk -v r="$rust" -v a="$astropy" '
    BEGIN {
        n = split(r "\n" a, lines, "\n")
        for (i = 1; i <= n; i++) {
            split(lines[i], f, " ")
            if (f[1] == "raw" || f[1] == "cutout" || f[1] == "astropy") { t[f[1]] = f[2]; b[f[1]] = f[3] }
        }
        split("raw cutout astropy", order, " ")
        for (i = 1; i <= 3; i++) {
            m = order[i]
            printf "%-9s %12.4f %10.0f %12.2f\n", m, t[m], b[m] / t[m] / 1e6, t[m] / t["raw"]
        }
        ok1 = t["cutout"] <= 1.5 * t["raw"]
        ok2 = t["astropy"] >= 5 * t["cutout"]
        printf "target cutout <= 1.5x raw:    %.2fx  %s\n", t["cutout"] / t["raw"], ok1 ? "PASS" : "FAIL"
        printf "target >= 5x faster than astropy: %.1fx  %s\n", t["astropy"] / t["cutout"], ok2 ? "PASS" : "FAIL"
        exit !(ok1 && ok2)
    }' || status=$?

# Cold cache: evict the cube, cut once, and count the pages the cut brought in.
if command -v fincore >/dev/null; then
    "$python" -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$cube"
    cold=$("$bin" once "$cube" | awk '{ print $2 }')
    resident=$(fincore --bytes --noheadings --output RES "$cube")
    echo "cold cache (cube evicted with posix_fadvise DONTNEED): one cutout took $cold s and left" \
        "$((resident / 1048576)) MiB of the $(($(stat -c %s "$cube") / 1048576)) MiB cube in the page cache;" \
        "the box's rows span $(awk '$1 == "span_bytes" { printf "%.0f", $2 / 1048576 }' <<<"$rust") MiB of it"
fi
exit "${status:-0}"
