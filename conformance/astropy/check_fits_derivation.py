"""Checks FITS products and what ingest derived from them, independently, with astropy.

Usage: check_fits_derivation.py MANIFEST.json
Astropy must not need to repair the header (no FITSFixedWarning). The manifest lists, per file, the values the ingest derivation produced (s_ra, s_dec,
s_region, em_min, em_max, target_name). For each file astropy must open it, find a valid
celestial WCS, and agree with every derived value.
"""
import json
import sys
import warnings

import numpy as np
from astropy import units as u
from astropy.io import fits
from astropy.wcs import WCS, FITSFixedWarning

C = 299792458.0


def check(entry):
    problems = []
    with fits.open(entry["path"]) as hdul:
        header = hdul[0].header
        data = hdul[0].data
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            wcs = WCS(header)
        fixes = [str(w.message) for w in caught if issubclass(w.category, FITSFixedWarning)]
        if fixes:
            problems.append("astropy had to fix the header: " + " | ".join(fixes))
        if not wcs.has_celestial:
            return ["no celestial WCS"]
        nx, ny = header["NAXIS1"], header["NAXIS2"]
        if data.shape[-2:] != (ny, nx) or not np.isfinite(data).all():
            problems.append(f"data shape {data.shape} or non-finite values")
        cel = wcs.celestial
        ra, dec = cel.all_pix2world([[(nx - 1) / 2.0, (ny - 1) / 2.0]], 0)[0]
        if abs(ra - entry["s_ra"]) > 1e-7 or abs(dec - entry["s_dec"]) > 1e-7:
            problems.append(f"centre {ra},{dec} != derived {entry['s_ra']},{entry['s_dec']}")
        corners = cel.all_pix2world([[-0.5, -0.5], [nx - 0.5, -0.5], [nx - 0.5, ny - 0.5], [-0.5, ny - 0.5]], 0)
        numbers = [float(v) for v in entry["s_region"].split()[2:]]
        derived = np.array(numbers).reshape(-1, 2)
        if derived.shape != (4, 2) or np.abs(derived - corners).max() > 2e-6:
            problems.append(f"footprint {derived.tolist()} != astropy corners {corners.tolist()}")
        if header.get("OBJECT") != entry["target_name"]:
            problems.append("OBJECT differs from target_name")
        spectral = wcs.sub(["spectral"])
        if spectral.naxis == 1:
            nchan = header["NAXIS3"]
            edges = spectral.all_pix2world([[-0.5], [nchan - 0.5]], 0)[:, 0] * u.Unit(spectral.wcs.cunit[0])
            freq = edges.to(u.Hz).value
            em = sorted(C / freq)
            if abs(em[0] / entry["em_min"] - 1) > 1e-9 or abs(em[1] / entry["em_max"] - 1) > 1e-9:
                problems.append(f"wavelength range {em} != derived {entry['em_min']},{entry['em_max']}")
    return problems


def main():
    entries = json.load(open(sys.argv[1]))
    failures = 0
    for entry in entries:
        problems = check(entry)
        if problems:
            failures += 1
            print(entry["path"], "; ".join(problems))
    print(f"checked {len(entries)} files, {failures} with problems")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
