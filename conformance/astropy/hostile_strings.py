"""Text and geometry that clients send, round-tripped through every output format.

A table of hostile strings (accents, emoji beyond the BMP, right-to-left text and overrides,
combining marks, CJK, markup characters, backslashes, tabs, line breaks, surrounding spaces,
a long value) and point, circle and polygon columns (DALI xtypes) is uploaded as BINARY2;
`SELECT` of it comes back identical in VOTable TABLEDATA, BINARY and BINARY2 (read by
astropy), FITS (read by astropy; non-ASCII text escaped as Python's unicode_escape reads),
CSV and Parquet. The uploaded geometries are geometry in ADQL: DISTANCE, CONTAINS and a join
on INTERSECTS with s_region give what astropy computes. A string literal with emoji in the
query comes back the same. Values no result can carry are refused with a message naming
the row and column: control characters (NUL already in the query), a circle over 90°, a polygon over 256
vertices. Each VOTable response is written to OUT_DIR for votlint.

usage: python hostile_strings.py BASE_URL OUT_DIR    (exit status 0 when every check holds)
"""
import csv
import io
import os
import sys
from pathlib import Path

import numpy as np
import requests
from astropy import units as u
from astropy.coordinates import SkyCoord
from astropy.io.votable import from_table, parse_single_table, writeto
from astropy.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base, out_dir = sys.argv[1].rstrip("/"), sys.argv[2]

STRINGS = [
    "Müller Ångström",
    "ρ Oph 😀 🪐",
    "שלום \u202eabc\u202c مرحبا",
    "e\u0301 a\u0308\u0323 combining",
    "漢字かなカナ",
    "<&>\"' ]]> --> <!--",
    "back\\slash \\n not a newline",
    "tab\there",
    "line\nbreak\r\nand return",
    "  surrounded by spaces  ",
    "x" * 5000 + "é",
]
POINTS = [(10.0 + i, 20.0 - i) for i in range(len(STRINGS))]


def uploaded_table(strings, points, circles=None, polygons=None):
    """A BINARY2 VOTable with a text column and DALI geometry columns."""
    columns = {"n": np.arange(len(strings)), "name": strings, "pos": np.array(points)}
    if circles is not None:
        columns["field"] = np.array(circles)
    table = Table(columns)
    votable = from_table(table)
    resource_table = votable.get_first_table()
    resource_table.fields[2].xtype = "point"
    resource_table.fields[2].unit = "deg"
    if circles is not None:
        resource_table.fields[3].xtype = "circle"
    resource_table.format = "binary2"
    buf = io.BytesIO()
    writeto(votable, buf)
    return buf.getvalue()


def polygon_table(vertices):
    """A TABLEDATA VOTable with one polygon of the given vertices."""
    values = " ".join(f"{ra} {dec}" for ra, dec in vertices)
    return (
        '<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>'
        '<FIELD name="fov" datatype="double" arraysize="*" xtype="polygon" unit="deg"/>'
        f"<DATA><TABLEDATA><TR><TD>{values}</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"
    ).encode()


def query(adql, fmt="votable", table=None):
    data = {"LANG": "ADQL", "QUERY": adql, "RESPONSEFORMAT": fmt}
    files = None
    if table is not None:
        data["UPLOAD"] = "t,param:t"
        files = {"t": ("t.xml", table)}
    return requests.post(base + "/tap/sync", data=data, files=files)


def read(fmt, body):
    if fmt.startswith("votable"):
        with open(os.path.join(out_dir, "hostile_" + fmt.replace("/", "_")), "wb") as f:
            f.write(body)
        return parse_single_table(io.BytesIO(body)).to_table()
    if fmt == "fits":
        return Table.read(io.BytesIO(body), format="fits")
    if fmt == "csv":
        # Python's csv module reads RFC 4180 exactly (astropy's reader trims fields)
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return Table(rows=rows[1:], names=rows[0])
    return Table.read(io.BytesIO(body), format="parquet")


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


upload = uploaded_table(STRINGS, POINTS, circles=[(ra, dec, 0.5) for ra, dec in POINTS])
SELECT = "SELECT u.n, u.name, u.pos, u.field, DISTANCE(u.pos, POINT('ICRS', 10, 20)) AS d FROM TAP_UPLOAD.t AS u ORDER BY u.n"
expected_distance = SkyCoord(
    [p[0] for p in POINTS] * u.deg, [p[1] for p in POINTS] * u.deg
).separation(SkyCoord(10 * u.deg, 20 * u.deg)).deg

for fmt in ["votable", "votable/b", "votable/b2", "fits", "csv", "parquet"]:
    r = query(SELECT, fmt, upload)
    check(r.status_code == 200, f"{fmt}: {r.status_code} {r.text[-300:]}")
    table = read(fmt, r.content)
    names = [text(v) for v in table["name"]]
    if fmt == "fits":
        names = [n.encode("ascii").decode("unicode_escape") for n in names]
    if fmt == "votable":
        # astropy strips the white space around a TABLEDATA cell's text as it parses
        expected = [s.strip() for s in STRINGS]
    else:
        expected = STRINGS
    wrong = [(a, b) for a, b in zip(names, expected) if a != b]
    check(not wrong and len(names) == len(expected), f"{fmt}: text changed: {wrong[:3]}")
    check(np.allclose(np.array(table["d"], dtype=float), expected_distance, atol=1e-9), f"{fmt}: DISTANCE")
    if fmt != "csv":
        positions = np.array([list(p) for p in table["pos"]], dtype=float)
        check(np.allclose(positions, np.array(POINTS), atol=1e-9), f"{fmt}: points come back as DALI arrays")
        radii = np.array([list(c)[2] for c in table["field"]], dtype=float)
        check(np.allclose(radii, 0.5, atol=1e-9), f"{fmt}: circles come back as DALI arrays")
    if fmt.startswith("votable"):
        field = parse_single_table(io.BytesIO(r.content)).get_field_by_id_or_name("name")
        check(field.datatype == "unicodeChar", f"{fmt}: non-ASCII text is declared unicodeChar ({field.datatype})")
        pos = parse_single_table(io.BytesIO(r.content)).get_field_by_id_or_name("pos")
        check(pos.xtype == "point" and pos.arraysize == "2", f"{fmt}: the point keeps its xtype")

# geometry predicates on uploaded columns
r = query("SELECT u.n FROM TAP_UPLOAD.t AS u WHERE 1 = CONTAINS(u.pos, CIRCLE('ICRS', 10, 20, 2.5)) ORDER BY u.n", "csv", upload)
inside = [int(line) for line in r.text.split()[1:]]
check(inside == [i for i, d in enumerate(expected_distance) if d <= 2.5], f"CONTAINS on an uploaded point: {inside}")
r = query("SELECT u.n FROM TAP_UPLOAD.t AS u WHERE 1 = INTERSECTS(u.field, CIRCLE('ICRS', 10, 20, 1)) ORDER BY u.n", "csv", upload)
check(r.status_code == 200 and [int(x) for x in r.text.split()[1:]] == [0, 1], f"INTERSECTS on an uploaded circle: {r.text}")
first = requests.post(base + "/tap/sync", data={"LANG": "ADQL", "RESPONSEFORMAT": "csv",
                                                "QUERY": "SELECT TOP 1 obs_id, s_ra, s_dec FROM ivoa.obscore ORDER BY obs_id"}).text.split("\n")[1].split(",")
ra, dec = float(first[1]), float(first[2])
box = [(ra - 0.01, dec - 0.01), (ra + 0.01, dec - 0.01), (ra + 0.01, dec + 0.01), (ra - 0.01, dec + 0.01)]
r = query("SELECT o.obs_id FROM ivoa.obscore AS o JOIN TAP_UPLOAD.t AS u ON 1 = INTERSECTS(u.fov, o.s_region)", "csv", polygon_table(box))
check(r.status_code == 200 and first[0] in r.text.split(), f"a join on INTERSECTS with an uploaded polygon finds {first[0]}: {r.text[:300]}")

# a literal beyond the BMP in the query itself
r = query("SELECT TOP 1 'ρ Oph 😀' AS greeting FROM ivoa.obscore", "votable/b2")
check(text(read("votable/b2", r.content)["greeting"][0]) == "ρ Oph 😀", "a literal with emoji in BINARY2")

# what no value can hold is refused with a message saying where: NUL (which a VOTable
# cannot even carry: XML forbids it, binary streams end text at it) in the query
r = query("SELECT TOP 1 'a\x00b' AS x FROM ivoa.obscore")
check(r.status_code == 400 and "QUERY holds the NUL character (U+0000) at character 16" in r.text, f"NUL: {r.status_code} {r.text[-300:]}")
# and what no result can carry, naming the row and column
for what, table, words in [
    ("a control character", uploaded_table(["ok", "bell\x07"], POINTS[:2]), ["row 2", "column name", "U+0007"]),
    ("a circle over 90°", uploaded_table(["c"], POINTS[:1], circles=[(10, 20, 95)]), ["column field", "at most 90 degrees"]),
    ("a polygon of 300 vertices", polygon_table([(10 + i / 1000, 20 + (i % 2) / 1000) for i in range(300)]), ["at most 256 vertices", "300"]),
]:
    r = query("SELECT * FROM TAP_UPLOAD.t", "votable", table)
    check(r.status_code == 400 and all(w in r.text for w in words), f"{what}: {r.status_code} {r.text[-300:]}")

print(f"hostile strings and geometries: {passed()} checks passed")
