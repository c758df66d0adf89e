"""pyvo's SIA2Service against the service's /sia2: position, band and time searches give the
rows an equivalent hand-written TAP query gives; repeated parameters are OR'ed; malformed
values are errors that name the parameter; capabilities point at this host.

usage: python sia2.py BASE_URL    (exit status 0 when every check holds)
"""
import sys
from pathlib import Path
import warnings

import astropy.units as u
import pyvo
from astropy.coordinates import SkyCoord
from astropy.time import Time

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base = sys.argv[1].rstrip("/")
sia = pyvo.dal.SIA2Service(base + "/sia2")
tap = pyvo.dal.TAPService(base + "/tap")


def ids(table):
    return sorted(str(x) for x in table["obs_id"])


def tap_ids(where):
    return ids(tap.search(f"SELECT obs_id FROM ivoa.obscore WHERE {where}").to_table())


# the capabilities' access URL is this host's, so pyvo found the query endpoint through it
caps = sia.capabilities
check(any(base in str(i.accessurls[0].content) for c in caps for i in c.interfaces), "capabilities name this host")

# a cone (M83, 0.05 deg)
found = sia.search(pos=(SkyCoord(204.2537, -29.8656, unit="deg"), 0.05 * u.deg)).to_table()
expected = tap_ids("INTERSECTS(s_region, CIRCLE('ICRS', 204.2537, -29.8656, 0.05)) = 1")
check(len(found) > 0 and ids(found) == expected, f"cone: {len(found)} rows, TAP {len(expected)}")
check(str(found["s_ra"].unit) == "deg" and "s_region" in found.colnames, "ObsCore columns with units")

# a band (metres) around CO 2-1, with the cone
found = sia.search(pos=(SkyCoord(204.2537, -29.8656, unit="deg"), 0.05 * u.deg),
                   band=(1.29e-3, 1.31e-3)).to_table()
expected = tap_ids("INTERSECTS(s_region, CIRCLE('ICRS', 204.2537, -29.8656, 0.05)) = 1 "
                   "AND em_max >= 1.29e-3 AND em_min <= 1.31e-3")
check(ids(found) == expected, f"cone + band: {len(found)} rows, TAP {len(expected)}")

# a time range (MJD), open at its end
row = tap.search("SELECT TOP 1 t_min FROM ivoa.obscore ORDER BY t_min DESC").to_table()
start = float(row["t_min"][0]) - 30
found = sia.search(time=(Time(start, format="mjd"), Time(start + 10000, format="mjd"))).to_table()
expected = tap_ids(f"t_max >= {start!r} AND t_min <= {start + 10000!r}")
check(len(found) > 0 and ids(found) == expected, f"time: {len(found)} rows, TAP {len(expected)}")

# repeated parameters are OR'ed; different ones AND'ed
found = sia.search(pol=["XY", "LL"], calib_level=2).to_table()
expected = tap_ids("(pol_states LIKE '%/XY/%' OR pol_states LIKE '%/LL/%') AND calib_level = 2")
check(ids(found) == expected and len(found) > 0, f"pol: {len(found)} rows, TAP {len(expected)}")

# MAXREC with overflow
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    result = sia.search(maxrec=3)
status = [i.value for i in result.votable.resources[0].infos if i.name == "QUERY_STATUS"]
check(len(result) == 3 and status[-1] == "OVERFLOW", f"maxrec: {len(result)} {status}")

# the rows carry a DataLink service descriptor, so pyvo follows each row to its links
rows = sia.search(pos=(SkyCoord(204.2537, -29.8656, unit="deg"), 0.05 * u.deg), maxrec=2)
check(any(r.type == "meta" and r.ID == "datalink" for r in rows.votable.resources),
      "SIA2 results carry a DataLink descriptor")
links = next(rows.iter_datalinks()).to_table()
check(len(links) > 0 and all(str(i) == str(rows[0]["member_ous_uid"]) for i in links["ID"]),
      "iter_datalinks gives the first row its member OUS's links")

# malformed values: an error naming the parameter
import requests

response = requests.get(base + "/sia2/query", params={"BAND": "0.002 0.001"})
check(response.status_code == 400 and "BAND='0.002 0.001'" in response.text
      and 'value="ERROR"' in response.text, f"band error: {response.status_code} {response.text[:300]}")
response = requests.get(base + "/sia2/query", params={"POS": "CIRCLE 400 0 1"})
check(response.status_code == 400 and "RA 0..360" in response.text, f"pos error: {response.text[:300]}")
response = requests.get(base + "/sia2/query", params={"POL": "ZZ", "CALIB": "2"})
check(response.status_code == 400 and "POL='ZZ'" in response.text, f"pol error: {response.text[:300]}")

print(f"pyvo SIA2: {passed()} checks passed")
