"""Random positions (all over the sky, near the poles, the equator and the faces' edges) with
their NESTED HEALPix cells at ORDER from cdshealpix (CDS, installed with MOCPy), as JSON, for
checking the page's own cell numbers.

usage: python healpix_cases.py BASE_URL ORDER COUNT (BASE_URL unused)
"""
import json
import sys

import astropy.units as u
import numpy as np
from cdshealpix.nested import lonlat_to_healpix

order, count = int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(11)
ra = rng.uniform(0, 360, count)
dec = np.degrees(np.arcsin(rng.uniform(-1, 1, count)))
# the regions' borders: |z| = 2/3, the poles, RA multiples of 45°
ra = np.concatenate([ra, np.arange(0, 360, 45.0) + 1e-7, rng.uniform(0, 360, 20)])
dec = np.concatenate([dec, np.full(8, 41.8103149), np.full(10, 89.99), np.full(10, -89.99)])
cells = lonlat_to_healpix(ra * u.deg, dec * u.deg, order)
print(json.dumps([[float(a), float(d), int(c)] for a, d, c in zip(ra, dec, cells)]))
