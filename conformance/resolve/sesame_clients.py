"""Names resolved through this service as Sesame, by astropy and astroquery, offline:
astropy's SkyCoord.from_name with name_resolve.sesame_url set to the service's /sesame/, and
astroquery.alma's query_object (which resolves with SkyCoord.from_name, then searches 10'
around the position).

usage: python sesame_clients.py BASE_URL
Exit status 0 when every check holds.
"""
import sys
from pathlib import Path

import astropy.units as u
from astropy.coordinates import SkyCoord, name_resolve
from astroquery.alma import Alma

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base = sys.argv[1].rstrip("/")
name_resolve.sesame_url.set([base + "/sesame/"])

m83 = SkyCoord(204.2538 * u.deg, -29.8658 * u.deg)
for name in ["M83", "M 83", "Messier 83", "NGC 5236", "Southern Pinwheel"]:
    found = SkyCoord.from_name(name)
    check(found.separation(m83) < 1 * u.arcmin, f"{name}: {found.to_string('hmsdms')}")
cen_a = SkyCoord.from_name("Cen A")
check(cen_a.separation(SkyCoord(201.3651 * u.deg, -43.0191 * u.deg)) < 1 * u.arcmin, f"Cen A: {cen_a}")
# the archive's own target names, however they are spelled
orion = SkyCoord.from_name("Orion KL")
check(abs(orion.dec.deg + 5.37) < 0.2, f"Orion KL: {orion}")
try:
    SkyCoord.from_name("Foo Bar Nebula")
    check(False, "an unknown name resolved")
except name_resolve.NameResolveError as e:
    check("Foo Bar Nebula" in str(e), f"the error names the name: {e}")

alma = Alma()
alma.archive_url = base
rows = alma.query_object("M83")
check(len(rows) > 0, "query_object('M83') found no rows")
centres = SkyCoord(rows["s_ra"], rows["s_dec"], unit="deg")
check(max(centres.separation(m83).arcmin) < 10 + 5, "query_object('M83') rows lie around M83")
check(any("M83" in str(t) for t in rows["target_name"]), "the archive's M83 observations are found")
print(f"sesame clients: {passed()} checks passed; query_object('M83'): {len(rows)} rows")
