"""Writes the name resolver's catalogue from OpenNGC as the PyPI package pyongc ships it.

OpenNGC (https://github.com/mattiaverga/OpenNGC) by Mattia Verga and contributors, licensed
CC-BY-SA-4.0: the NGC, IC and Messier objects with positions, types, cross-identifications
and common names, and redshifts (from NED, for most galaxies). This reads the SQLite database
inside the pyongc wheel with the standard library only, and writes one line per object: name,
type, type in words, RA and Dec (ICRS, degrees), aliases separated by "|" (Messier number,
NGC/IC names of duplicates, other catalogues' identifiers, common names), redshift (empty
when unknown).

usage: python3 openngc.py PYONGC_WHEEL OUT.tsv
"""
import math
import os
import sqlite3
import sys
import tempfile
import zipfile

wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    info = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    version = info.split("/")[0][len("pyongc-"):-len(".dist-info")]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = os.path.join(tmp, "ongc.db")
        with open(db_path, "wb") as f:
            f.write(z.read("pyongc/ongc.db"))
        db = sqlite3.connect(db_path)
        types = dict(db.execute("SELECT type, typedesc FROM objTypes"))
        identifiers = {}
        for name, identifier in db.execute("SELECT name, identifier FROM objIdentifiers"):
            identifiers.setdefault(name, []).append(identifier)
        objects = db.execute(
            "SELECT name, type, ra, dec, messier, ngc, ic, commonnames, redshift FROM objects ORDER BY name"
        ).fetchall()
        db.close()

by_name = {o[0]: o for o in objects}
aliases = {o[0]: [] for o in objects}


def target_of(name, ngc, ic):
    """A duplicate record's object: the NGC or IC entry it names."""
    for prefix, number in (("NGC", ngc), ("IC", ic)):
        for part in filter(None, (number or "").split(",")):
            candidate = f"{prefix}{part.strip()}"
            if candidate in by_name and by_name[candidate][1] != "Dup":
                return candidate
    return None


lines = []
for name, kind, ra, dec, messier, ngc, ic, common, _ in objects:
    if kind in ("Dup", "NonEx"):
        target = target_of(name, ngc, ic)
        if kind == "Dup" and target:
            aliases[target].append(name)
            if messier:
                aliases[target].append(f"M{int(messier)}")
        continue
    if ra is None or dec is None:
        continue
    mine = aliases[name]
    if messier:
        mine.append(f"M{int(messier)}")
    mine.extend(i for i in identifiers.get(name, []) if i != name)
    mine.extend(c.strip() for c in (common or "").split(",") if c.strip())

with open(out, "w", encoding="utf-8") as f:
    f.write(
        f"# OpenNGC (Mattia Verga and contributors, CC-BY-SA-4.0) from the PyPI package pyongc {version}; "
        "written by deploy/openngc.py\n"
        "# name\ttype\ttype in words\tra_deg\tdec_deg\taliases\tredshift\n"
    )
    count = 0
    for name, kind, ra, dec, messier, ngc, ic, common, redshift in objects:
        if kind in ("Dup", "NonEx") or ra is None or dec is None:
            continue
        unique = list(dict.fromkeys(a.replace("|", " ").replace("\t", " ") for a in aliases[name]))
        f.write(
            f"{name}\t{kind}\t{types.get(kind, kind)}\t{math.degrees(ra) % 360:.6f}\t"
            f"{math.degrees(dec):.6f}\t{'|'.join(unique)}\t{'' if redshift is None else redshift}\n"
        )
        count += 1
print(f"{out}: {count} objects from OpenNGC (pyongc {version})")
