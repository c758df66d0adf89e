"""Writes the archive's spectral reference data from three PyPI packages' wheels.

lines.tsv: the lines ALMA observers use, with rest frequency, species, transition, upper-level
energy, a category (Splatalogue-like) and a relevance rank, each row naming its source:
- memoir-lpd 1.1 (MIT): memoir/data/allmols_combined_transitions.csv, CDMS and JPL catalogue
  entries (Müller et al. 2001, 2005; Endres et al. 2016; Pickett et al. 1998) as Splatalogue
  gives them: CO and isotopologues, dense-gas tracers, organics, deuterated species, radicals,
  water;
- spectralradex 1.1.5 (MIT): the LAMDA molecular data files it ships (Schöier et al. 2005,
  A&A 432, 369, and the data papers each file names): SiO, SO2 and the atomic fine-structure
  lines of C, C+, N+ and O;
- hydrogen recombination lines computed with the Rydberg formula (CODATA 2018 constants,
  the electron-to-proton mass ratio for hydrogen's reduced mass).
The rank orders lines by how central they are to ALMA science (tiers: the CO ladder's low
transitions and [CII]/[CI] first; then the common isotopologues, dense-gas tracers, SiO and
water; then the rest), within a tier by upper-level energy.

atmosphere.tsv: the zenith transmission of the atmosphere over the ALMA site (Llano de
Chajnantor, 5040 m) as deshima-sensitivity 0.3.2 (MIT) ships it (data/atm.csv, from ALMA's
atmosphere model page; 10-1000 GHz every 0.1 GHz for PWV 0.1, 0.25, 0.5, 1, 1.5 and 2 mm),
kept from 30 to 950 GHz every 0.2 GHz. (The server interpolates the optical depth -ln T,
which is linear in the water column, between the PWV columns and beyond them.)

usage: python3 spectra.py SPECTRALRADEX_WHEEL MEMOIR_WHEEL DESHIMA_WHEEL OUT_DIR
"""
import csv
import io
import math
import os
import sys
import zipfile

spectralradex_wheel, memoir_wheel, deshima_wheel, out_dir = sys.argv[1:5]
os.makedirs(out_dir, exist_ok=True)


def version_of(wheel):
    return os.path.basename(wheel).split("-")[1]


# ---- lines -------------------------------------------------------------------------------

# memoir-lpd's species: (name, category, which rows: a function of (qn, e_up, intensity))
simple = lambda qn, e, i: True  # noqa: E731
MEMOIR = {
    "COv=0": ("CO", "CO and isotopologues", simple),
    "13COv=0": ("13CO", "CO and isotopologues", simple),
    "C18O": ("C18O", "CO and isotopologues", simple),
    "C17O": ("C17O", "CO and isotopologues", simple),
    "HCNv=0": ("HCN", "dense gas", simple),
    "H13CNv=0": ("H13CN", "dense gas", simple),
    "HCO+v=0": ("HCO+", "dense gas", simple),
    "H13CO+": ("H13CO+", "dense gas", simple),
    "HNCv=0": ("HNC", "dense gas", simple),
    "N2H+v=0": ("N2H+", "dense gas", simple),
    "CSv=0": ("CS", "dense gas", simple),
    "C34Sv=0": ("C34S", "dense gas", simple),
    "HC3Nv=0": ("HC3N", "dense gas", lambda qn, e, i: e <= 150),
    "NH3v=0": ("NH3", "dense gas", simple),
    "DCO+v=0": ("DCO+", "deuterated", simple),
    "DCNv=0": ("DCN", "deuterated", simple),
    "N2D+": ("N2D+", "deuterated", simple),
    "HDO": ("HDO", "deuterated", lambda qn, e, i: e <= 150),
    "SO3&Sigma;v=0": ("SO", "shock tracers", lambda qn, e, i: e <= 100 and i >= -3.5),
    "H2S": ("H2S", "shock tracers", lambda qn, e, i: e <= 100 and i >= -3.5),
    "CH3OHvt=0-2": ("CH3OH", "complex organics", lambda qn, e, i: e <= 120 and i >= -4.0 and qn.endswith("vt=0")),
    "CH3CNv=0": ("CH3CN", "complex organics", lambda qn, e, i: "F=" not in qn and e <= 150),
    "H2CO": ("H2CO", "complex organics", lambda qn, e, i: e <= 100 and i >= -3.5),
    "H2Ov=0": ("H2O", "water", simple),
    "CNv=0": ("CN", "radicals", simple),
    "CCHv=0": ("CCH", "radicals", simple),
}
# of a hyperfine multiplet, only its strongest component (one line per N, J)
MULTIPLETS = {"CN", "CCH"}

lines = []
with zipfile.ZipFile(memoir_wheel) as z:
    text = z.read("memoir/data/allmols_combined_transitions.csv").decode()
memoir_source = f"memoir-lpd {version_of(memoir_wheel)} (CDMS/JPL)"
strongest = {}
for r in csv.DictReader(io.StringIO(text)):
    if r["Species"] not in MEMOIR:
        continue
    name, category, keep = MEMOIR[r["Species"]]
    ghz, e_up, intensity = float(r["Freq"]), float(r["EU_K"]), float(r["CDMS/JPL Intensity"])
    qn = r["QNs"].strip()
    if qn.startswith("J=") and "," not in qn:
        qn = qn[2:]
    if not (30 <= ghz <= 950) or not keep(qn, e_up, intensity):
        continue
    row = [name, qn, ghz, e_up, category, memoir_source, intensity]
    if name in MULTIPLETS:
        key = (name, qn.split(",F")[0])
        if key not in strongest or strongest[key][6] < intensity:
            strongest[key] = row
    else:
        lines.append(row)
lines.extend(strongest.values())


def lamda(text):
    """(levels {number: label}, transitions [(up, low, A, GHz, E_up K)]) of a LAMDA file. The
    counts follow their '!NUMBER OF …' headers (one file of spectralradex's has a header line
    without its '!'); a level's label may end in a '!' comment."""
    body = text.splitlines()

    def block(header):
        i = next(k for k, l in enumerate(body) if header in l.upper())
        count = int(body[i + 1].split()[0])
        start = i + 2
        while body[start].lstrip().startswith("!") or not body[start].strip() or not body[start].split()[0].isdigit():
            start += 1
        return body[start:start + count]

    levels = {}
    for line in block("NUMBER OF ENERGY LEVELS"):
        parts = line.split("!")[0].split()
        levels[int(parts[0])] = " ".join(parts[3:]) if len(parts) > 3 else parts[0]
    transitions = []
    for line in block("NUMBER OF RADIATIVE TRANSITIONS"):
        parts = line.split()
        transitions.append((int(parts[1]), int(parts[2]), float(parts[3]), float(parts[4]), float(parts[5])))
    return levels, transitions


# the atomic lines' terms, by rest frequency (GHz, rounded); others are left out
ATOMIC = {
    492.161: "3P1-3P0", 809.342: "3P2-3P1",  # [CI] 609 and 370 um
    1900.537: "2P3/2-2P1/2",  # [CII] 158 um
    1461.134: "3P1-3P0", 2459.374: "3P2-3P1",  # [NII] 205 and 122 um
    4744.777: "3P1-3P2", 2060.069: "3P0-3P1",  # [OI] 63 and 145 um
}

LAMDA = [
    ("sio.dat", "SiO", "shock tracers", lambda ghz, e, a: 30 <= ghz <= 950 and e <= 300),
    ("so2@lowT.dat", "SO2", "shock tracers", lambda ghz, e, a: 30 <= ghz <= 950 and e <= 60 and a >= 1e-5),
    ("catom.dat", "[CI]", "atomic fine structure", lambda ghz, e, a: True),
    ("c+.dat", "[CII]", "atomic fine structure", lambda ghz, e, a: True),
    ("n+.dat", "[NII]", "atomic fine structure", lambda ghz, e, a: True),
    ("oatom.dat", "[OI]", "atomic fine structure", lambda ghz, e, a: True),
]
with zipfile.ZipFile(spectralradex_wheel) as z:
    names = z.namelist()
    for file, name, category, keep in LAMDA:
        path = next(n for n in names if n.endswith(f"radex/data/{file}"))
        levels, transitions = lamda(z.read(path).decode("latin-1"))
        for up, low, a, ghz, e_up in transitions:
            if keep(ghz, e_up, a):
                qn = f"{levels[up]}-{levels[low]}"
                if name.startswith("["):
                    qn = ATOMIC.get(round(ghz, 3))
                    if qn is None:
                        continue
                lines.append([name, qn, ghz, e_up, category,
                              f"spectralradex {version_of(spectralradex_wheel)} (LAMDA {file})", 0.0])

# hydrogen recombination lines: nu = R_H c (1/n^2 - 1/(n+dn)^2), R_H = R_inf / (1 + m_e/m_p)
RYDBERG_HZ = 3.2898419602508e15  # R_inf c, CODATA 2018
ELECTRON_PROTON = 5.44617021487e-4  # m_e / m_p, CODATA 2018
HYDROGEN_HZ = RYDBERG_HZ / (1 + ELECTRON_PROTON)
GREEK = {1: "alpha", 2: "beta"}
for dn, greek in GREEK.items():
    for n in range(20, 150):
        ghz = HYDROGEN_HZ * (1 / n**2 - 1 / (n + dn) ** 2) / 1e9
        if 30 <= ghz <= 950:
            # the upper level's energy above the ground state, in K: 13.6 eV (1 - 1/(n+dn)^2)
            e_up = 157807.0 * (1 - 1 / (n + dn) ** 2)
            lines.append(["H", f"{n}{greek}", round(ghz, 6), e_up, "recombination lines",
                          "computed (Rydberg formula, CODATA 2018)", 0.0])


def tier(row):
    name, qn, ghz, e_up, category = row[:5]
    upper_j = None
    head = qn.split(",")[0].replace("J=", "").replace("N=", "")
    if "-" in head and head.split("-")[0].isdigit():
        upper_j = int(head.split("-")[0])
    if name == "CO" and upper_j is not None and upper_j <= 4 or name in ("[CII]",) or name == "[CI]":
        return 1
    if (name in ("13CO", "C18O") and upper_j is not None and upper_j <= 3
            or name in ("HCN", "HCO+", "CS", "N2H+", "HNC") and upper_j is not None and upper_j <= 4
            or name == "SiO" and upper_j is not None and upper_j <= 8
            or name == "H2O" and e_up <= 210):
        return 2
    if (category in ("CO and isotopologues", "deuterated", "atomic fine structure")
            or name in ("H13CO+", "H13CN", "C34S", "CN", "CCH", "SO", "H2CO", "HC3N") and e_up <= 60
            or name == "CH3OH" and e_up <= 50
            or name == "H" and qn.endswith("alpha") and 26 <= int(qn[:-5]) <= 60):
        return 3
    return 4


lines.sort(key=lambda r: (tier(r), r[3], r[2]))
with open(os.path.join(out_dir, "lines.tsv"), "w", newline="") as f:
    f.write("# species\ttransition\trest_ghz\tupper_energy_k\tcategory\trank\tsource\n")
    for rank, (name, qn, ghz, e_up, category, source, _) in enumerate(lines, 1):
        f.write(f"{name}\t{qn}\t{ghz:.7f}\t{e_up:.2f}\t{category}\t{rank}\t{source}\n")
print(f"{len(lines)} lines", file=sys.stderr)

# ---- atmosphere --------------------------------------------------------------------------

with zipfile.ZipFile(deshima_wheel) as z:
    table = z.read("deshima_sensitivity/data/atm.csv").decode()
rows = [l.split() for l in table.splitlines() if l.strip() and not l.startswith("#")]
pwv = rows[0][1:]
kept = 0
with open(os.path.join(out_dir, "atmosphere.tsv"), "w") as f:
    f.write(f"# zenith transmission over the ALMA site (Llano de Chajnantor, 5040 m) by precipitable "
            f"water vapour (mm), from deshima-sensitivity {version_of(deshima_wheel)} data/atm.csv\n")
    f.write("# frequency_ghz\t" + "\t".join(f"pwv_{p}" for p in pwv) + "\n")
    for r in rows[1:]:
        tenths = round(float(r[0]) * 10)
        if 300 <= tenths <= 9500 and tenths % 2 == 0:
            f.write("\t".join(r) + "\n")
            kept += 1
print(f"atmosphere: {kept} frequencies x {len(pwv)} PWV values", file=sys.stderr)
