"""Every output format of the service read back with astropy: the same query in VOTable
TABLEDATA, BINARY, BINARY2, CSV, TSV, FITS and Parquet gives identical values (nulls, NaN, arrays,
text included). Writes each response to OUT_DIR for votlint.

usage: python read_formats.py BASE_URL OUT_DIR
"""
import io
import os
import sys
import urllib.parse
import urllib.request

import numpy as np
from astropy.io import ascii as astropy_ascii
from astropy.io.votable import parse_single_table

base, out_dir = sys.argv[1].rstrip("/"), sys.argv[2]
QUERY = (
    "SELECT TOP 40 obs_id, s_ra, s_dec, s_region, t_exptime, em_res_power, band_list, "
    "pol_states, obs_release_date, POINT(s_ra, s_dec) AS pos, CIRCLE(s_ra, s_dec, s_fov) AS field, "
    "CAST('Infinity' AS DOUBLE PRECISION) AS infinite, CAST('NaN' AS DOUBLE PRECISION) AS not_a_number, "
    "s_ra - NULL AS nothing "
    "FROM ivoa.obscore ORDER BY obs_id"
)


def fetch(fmt):
    data = urllib.parse.urlencode({"LANG": "ADQL", "QUERY": QUERY, "RESPONSEFORMAT": fmt}).encode()
    with urllib.request.urlopen(base + "/tap/sync", data) as response:
        body = response.read()
    with open(os.path.join(out_dir, fmt.replace("/", "_")), "wb") as f:
        f.write(body)
    return body


def votable(fmt):
    return parse_single_table(io.BytesIO(fetch(fmt))).to_table()


reference = votable("votable")
checks = 0
assert len(reference) == 40, len(reference)
for fmt in ["votable/b", "votable/b2"]:
    other = votable(fmt)
    assert other.colnames == reference.colnames, (fmt, other.colnames)
    for name in reference.colnames:
        a, b = reference[name], other[name]
        if a.dtype.kind == "f":
            both = np.ma.filled(a, np.nan), np.ma.filled(b, np.nan)
            assert np.array_equal(both[0], both[1], equal_nan=True), (fmt, name, a[:3], b[:3])
        else:
            assert list(a) == list(b), (fmt, name, list(a)[:3], list(b)[:3])
        checks += 1
# non-finite and null values as the TAP spec writes them
assert np.all(np.isposinf(np.ma.filled(reference["infinite"], 0))), reference["infinite"][:3]
assert np.all(np.isnan(np.ma.filled(reference["not_a_number"], np.nan)))
assert np.all(np.ma.getmaskarray(reference["nothing"]) | np.isnan(np.ma.filled(reference["nothing"], np.nan)))
assert reference["pos"].shape == (40, 2) and reference["field"].shape == (40, 3)
assert np.allclose(reference["pos"][:, 0], reference["s_ra"])

for fmt, reader in [("csv", "csv"), ("tsv", "tab")]:
    text = fetch(fmt).decode()
    other = astropy_ascii.read(text, format=reader)
    assert other.colnames == reference.colnames, (fmt, other.colnames)
    for name in ["obs_id", "s_region", "band_list", "pol_states", "obs_release_date"]:
        assert [str(x) for x in other[name]] == [str(x) for x in reference[name]], (fmt, name)
        checks += 1
    for name in ["s_ra", "s_dec", "t_exptime"]:
        assert np.array_equal(np.asarray(other[name], float), np.asarray(reference[name], float)), (fmt, name)
        checks += 1

# FITS: a binary table in the first extension, with units, the same values and nulls
from astropy.io import fits
from astropy.table import Table
body = fetch("fits")
with fits.open(io.BytesIO(body)) as hdus:
    assert len(body) % 2880 == 0, len(body)
    assert hdus[0].header["QSTATUS"] == "OK", hdus[0].header
    hdus.verify("exception")
    fits_table = Table.read(hdus[1])
assert fits_table.colnames == reference.colnames, fits_table.colnames
assert str(fits_table["s_ra"].unit) == "deg", fits_table["s_ra"].unit
for name in reference.colnames:
    a, b = reference[name], fits_table[name]
    if a.dtype.kind == "f":
        both = np.ma.filled(a, np.nan), np.ma.filled(np.asarray(b, float), np.nan)
        assert np.array_equal(both[0], both[1], equal_nan=True), ("fits", name, a[:3], b[:3])
    else:
        assert [str(x) for x in a] == [str(x) for x in b], ("fits", name, list(a)[:3], list(b)[:3])
    checks += 1
# MAXREC overflow is recorded in the header
data = urllib.parse.urlencode({"LANG": "ADQL", "QUERY": "SELECT obs_id FROM ivoa.obscore", "MAXREC": 3,
                               "RESPONSEFORMAT": "application/fits"}).encode()
with urllib.request.urlopen(base + "/tap/sync", data) as response:
    assert response.headers["Content-Type"] == "application/fits", response.headers["Content-Type"]
    with fits.open(io.BytesIO(response.read())) as hdus:
        assert hdus[0].header["QSTATUS"] == "OVERFLOW" and hdus[1].header["NAXIS2"] == 3, hdus[1].header
checks += 1

# Parquet (read by pyarrow through astropy): the same values, arrays as lists, the VOTable
# metadata in the footer as the VO-Parquet convention has it
import pyarrow.parquet as pq
body = fetch("parquet")
parquet_file = pq.ParquetFile(io.BytesIO(body))
footer = {k.decode(): v.decode() for k, v in parquet_file.metadata.metadata.items()}
assert footer["IVOA.VOTable-Parquet.version"] == "1.0", footer.keys()
assert 'name="s_ra"' in footer["IVOA.VOTable-Parquet.content"] and 'unit="deg"' in footer["IVOA.VOTable-Parquet.content"]
arrow = parquet_file.read()
assert arrow.column_names == reference.colnames, arrow.column_names
for name in reference.colnames:
    a, b = reference[name], arrow.column(name).to_pylist()
    if a.dtype.kind == "f":
        left = np.ma.filled(a, np.nan).astype(float)
        right = np.array([[np.nan if x is None else x for x in v] if isinstance(v, list) else (np.nan if v is None else v) for v in b], dtype=float)
        assert np.array_equal(left, right, equal_nan=True), ("parquet", name, a[:3], b[:3])
    else:
        assert [str(x) for x in a] == [str(x) for x in b], ("parquet", name, list(a)[:3], b[:3])
    checks += 1

print(f"astropy read every format back: {checks} column comparisons agree")
