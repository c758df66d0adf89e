"""Reads the archive's coverage maps as a MOC client does, with MOCPy (PyPI) and astropy.

Each FITS file must be an IVOA MOC 2.0 (MOCVERS 2.0, MOCDIM SPACE, ORDERING RANGE or NUNIQ) that
MOCPy loads; prints, as JSON, each map's depth and area (square degrees), and whether each
map after the first lies within the first (public data and one band's are parts of all data).

usage: python moc.py BASE_URL ALL.fits [PART.fits ...] (the service's URL is not used: the
maps are files)
"""
import json
import sys

from astropy.io import fits
from mocpy import MOC

SKY_DEG2 = 4 * 180 * 180 / 3.141592653589793

paths = sys.argv[2:]
out = {}
first = None
for path in paths:
    header = fits.getheader(path, 1)
    assert header.get("MOCVERS") == "2.0", f"{path}: MOCVERS {header.get('MOCVERS')!r}"
    assert header.get("MOCDIM") == "SPACE", f"{path}: MOCDIM {header.get('MOCDIM')!r}"
    assert header.get("ORDERING") in ("RANGE", "NUNIQ"), f"{path}: ORDERING {header.get('ORDERING')!r}"
    moc = MOC.from_fits(path)
    entry = {"depth": int(moc.max_order), "area_deg2": moc.sky_fraction * SKY_DEG2}
    if first is None:
        first = moc
    else:
        entry["within_first"] = bool(moc.difference(first).empty())
    out[path] = entry
print(json.dumps(out))
