"""SODA cutouts as pyvo makes them and astropy reads them: a cube's DataLink document gives
the SODA descriptor; pyvo's processed() sends CIRCLE and BAND; the answer opens in astropy
with a WCS that puts every output pixel where the same input pixel is, and data equal to the
same slice of the original. Then POS=RANGE, POLYGON, TIME and POL, several cutouts in one
request (a multi-extension FITS), and the errors (no overlap names the dataset's extent).
Then /soda/async as a UWS client sees it: one result per cutout (FITS, or a text/plain
UsageError for a cutout that misses), jobs that end in ERROR with SODA's message, parameter
changes while PENDING, abort and deletion, and TAP and SODA job lists kept apart.

usage: python cutouts.py BASE_URL DATA_DIR USER:PASSWORD   (an ordinary account; exit status 0
when every check holds)
"""
import io
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import astropy.units as u
import numpy as np
import pyvo
import requests
from astropy.io import fits
from astropy.wcs import WCS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base, data_dir = sys.argv[1].rstrip("/"), Path(sys.argv[2])
account = tuple(sys.argv[3].split(":", 1))
tap = pyvo.dal.TAPService(base + "/tap")
datalink = pyvo.dal.adhoc.DatalinkService(base + "/datalink/sync")

# a released cube, through DataLink (the product package lists the FITS files)
cube = None
for row in tap.search("SELECT DISTINCT member_ous_uid FROM ivoa.obscore WHERE data_rights = 'Public'"):
    for link in datalink.run_sync(str(row["member_ous_uid"])).to_table():
        if str(link["service_def"]).startswith("DataLink.") and link["semantics"] == "#this":
            package = str(link["service_def"])[len("DataLink."):]
            files = datalink.run_sync(package).to_table()
            cubes = [str(u_).rsplit("/", 1)[1] for u_ in files["access_url"] if ".cube." in str(u_)]
            if cubes:
                cube = cubes[0]
                break
    if cube:
        break
check(cube is not None, "a released cube in the demo")
# the product itself (the previews directory holds a folder of the same name)
original_path = next(p for p in data_dir.joinpath("products").rglob(cube) if p.is_file())
original = fits.open(original_path)
in_wcs = WCS(original[0].header)
data_in = original[0].data  # (stokes, freq, dec, ra)

links = datalink.run_sync(cube)
row = links[0]
soda = links.get_adhocservice_by_ivoid("ivo://ivoa.net/std/SODA#sync-1.0")
params = {p.name: p for p in soda.groups[0].entries}
ra, dec, _ = [float(x) for x in params["CIRCLE"].values.max]
lo, hi = float(params["BAND"].values.min), float(params["BAND"].values.max)
radius = abs(original[0].header["CDELT2"]) * 8
band = (lo + (hi - lo) * 0.3, lo + (hi - lo) * 0.6)


def box(out_header):
    """The input pixel box (0-based starts) of an output HDU, from its CRPIX shift."""
    return [int(round(original[0].header[f"CRPIX{i}"] - out_header[f"CRPIX{i}"])) for i in (1, 2, 3)]


def same_slice(hdu):
    x0, y0, z0 = box(hdu.header)
    nz, ny, nx = hdu.data.shape[-3:]
    expected = data_in[..., z0:z0 + nz, y0:y0 + ny, x0:x0 + nx]
    return hdu.data.shape == expected.shape and np.array_equal(hdu.data, expected, equal_nan=True)


def corners_agree(hdu):
    x0, y0, _ = box(hdu.header)
    out_wcs = WCS(hdu.header).celestial
    ny, nx = hdu.data.shape[-2:]
    for (px, py) in [(-0.5, -0.5), (nx - 0.5, -0.5), (nx - 0.5, ny - 0.5), (-0.5, ny - 0.5)]:
        a = out_wcs.pixel_to_world(px, py)
        b = in_wcs.celestial.pixel_to_world(px + x0, py + y0)
        if a.separation(b).to(u.arcsec).value > 1e-6:
            return False
    return True


# pyvo: processed() on the DataLink row, CIRCLE and BAND
stream = row.processed(circle=[ra, dec, radius] * u.deg, band=list(band) * u.m)
cut = fits.open(io.BytesIO(stream.read()))
hdu = cut[0]
check(hdu.data is not None and hdu.data.ndim == 4, f"one 4-d image: {hdu.data.shape if hdu.data is not None else None}")
nx, ny, nz = hdu.header["NAXIS1"], hdu.header["NAXIS2"], hdu.header["NAXIS3"]
check(0 < nx < original[0].header["NAXIS1"] and 0 < nz < original[0].header["NAXIS3"],
      f"cut in space and frequency: {nx}x{ny}x{nz}")
check(same_slice(hdu), "data equal the same slice of the original")
check(corners_agree(hdu), "astropy maps the output's corners to the same sky positions")
out_wcs = WCS(hdu.header)
centre = out_wcs.celestial.world_to_pixel_values(ra, dec)
check(-0.5 <= centre[0] <= nx - 0.5 and -0.5 <= centre[1] <= ny - 0.5, "the circle's centre is inside")
freqs = out_wcs.spectral.pixel_to_world_values(np.arange(nz))
c = 299792458.0
step = abs(hdu.header["CDELT3"])
check(all(c / band[1] - step <= f <= c / band[0] + step for f in freqs), "the channels lie in the band")

# other shapes and axes, straight over HTTP as other clients send them
sync = base + "/soda/sync"
cd = abs(original[0].header["CDELT2"])
cases = {
    "POS=RANGE": {"POS": f"RANGE {ra - 5 * cd} {ra + 5 * cd} {dec - 5 * cd} {dec + 5 * cd}"},
    "POLYGON": {"POLYGON": f"{ra - 4 * cd} {dec - 4 * cd} {ra + 4 * cd} {dec - 4 * cd} {ra} {dec + 4 * cd}"},
    "TIME (overlapping)": {"TIME": f"{float(params['TIME'].values.min) - 1} {float(params['TIME'].values.max) + 1}"},
    "POL=I": {"POL": "I"},
}
for what, extra in cases.items():
    r = requests.get(sync, params={"ID": cube, **extra})
    check(r.status_code == 200 and r.headers["Content-Type"] == "application/fits", f"{what}: {r.status_code} {r.text[:200]}")
    h = fits.open(io.BytesIO(r.content))[0]
    check(same_slice(h) and corners_agree(h), f"{what}: the same slice, the same sky")

# several cutouts in one request: a multi-extension FITS
r = requests.get(sync, params=[("ID", cube), ("CIRCLE", f"{ra} {dec} {radius}"), ("CIRCLE", f"{ra} {dec} {radius / 2}")])
multi = fits.open(io.BytesIO(r.content))
check(len(multi) == 3 and multi[0].data is None and all(h.header["XTENSION"] == "IMAGE" for h in multi[1:]),
      f"two cutouts: an empty primary and two IMAGE extensions ({len(multi)} HDUs)")
check(all(same_slice(h) and corners_agree(h) for h in multi[1:]), "each extension is its slice")
check(int(r.headers["Content-Length"]) == len(r.content), "Content-Length is exact")

# /soda/async: the same cutouts as a UWS job, one result each; a third circle misses the cube
UWS = "{http://www.ivoa.net/xml/UWS/v1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"
jobs_url = base + "/soda/async"


def submit(pairs, run=True):
    r = requests.post(jobs_url, data=pairs + ([("PHASE", "RUN")] if run else []), allow_redirects=False)
    check(r.status_code == 303 and r.headers["Location"].startswith(jobs_url + "/"),
          f"job created with a 303 to it: {r.status_code} {r.text}")
    return r.headers["Location"]


def finished(job_url):
    job = pyvo.dal.tap.AsyncTAPJob(job_url)  # pyvo's UWS client reads any UWS 1.1 job
    job.wait(phases={"COMPLETED", "ERROR", "ABORTED"}, timeout=60)
    return job


job_url = submit([("ID", cube), ("CIRCLE", f"{ra} {dec} {radius}"), ("CIRCLE", f"{ra} {dec} {radius / 2}"),
                  ("CIRCLE", "10 10 0.01")])
job = finished(job_url)
check(job.phase == "COMPLETED", f"async cutouts COMPLETED: {job.phase}")
document = ET.fromstring(requests.get(job_url).content)
results = [(e.get("id"), e.get("mime-type"), int(e.get("size")), e.get(XLINK + "href"))
           for e in document.iter(UWS + "result")]
check([r[0] for r in results] == ["cutout-1", "cutout-2", "cutout-3"], f"one result per cutout: {results}")
check([r[1] for r in results] == ["application/fits", "application/fits", "text/plain; charset=utf-8"],
      f"FITS for the cutouts, text for the miss: {[r[1] for r in results]}")
check(job.result_uris == [r[3] for r in results], "pyvo finds the same result links")
for (rid, mime, size, href), expected in zip(results[:2], multi[1:]):
    r = requests.get(href)
    check(r.status_code == 200 and r.headers["Content-Type"] == "application/fits" and len(r.content) == size,
          f"{rid}: served as FITS, {size} bytes as the job says ({r.status_code}, {len(r.content)})")
    h = fits.open(io.BytesIO(r.content))[0]
    check(same_slice(h) and corners_agree(h) and np.array_equal(h.data, expected.data, equal_nan=True),
          f"{rid}: the same slice and sky as the sync answer's extension")
miss = requests.get(results[2][3])
check(miss.text.startswith("UsageError: no overlap:") and "covers RA" in miss.text,
      f"cutout-3 says why it is empty: {miss.text}")
r = requests.get(job_url + "/results/result-9")
check(r.status_code == 404 and "cutout-1, cutout-2, cutout-3" in r.text, f"an unknown result: {r.status_code} {r.text}")

# jobs that fail say why, in SODA's words, from /error
for what, pairs, words in [
    ("bad circle", [("ID", cube), ("CIRCLE", "10 10")], "UsageError: CIRCLE='10 10'"),
    ("every cutout misses", [("ID", cube), ("CIRCLE", "10 10 0.01")], "UsageError: no overlap:"),
    ("no ID", [("CIRCLE", "10 10 1")], "UsageError: ID is required"),
    ("unknown file", [("ID", "nothing.fits")], "UsageError: no file is called"),
]:
    j = finished(submit(pairs))
    error = requests.get(j.url + "/error")
    check(j.phase == "ERROR" and error.headers["Content-Type"].startswith("text/plain") and words in error.text,
          f"{what}: {j.phase} {error.text}")
    check(words in ET.fromstring(requests.get(j.url).content).find(f"{UWS}errorSummary/{UWS}message").text,
          f"{what}: the job document's errorSummary says it too")

# parameters change while PENDING (repeated ones kept), then RUN; ABORT; DELETE
pending = submit([("ID", cube)], run=False)
r = requests.post(pending + "/parameters", data=[("CIRCLE", f"{ra} {dec} {radius}"), ("CIRCLE", f"{ra} {dec} {radius / 3}")],
                  allow_redirects=False)
check(r.status_code == 303, f"parameters changed while PENDING: {r.status_code} {r.text}")
params_doc = ET.fromstring(requests.get(pending + "/parameters").content)
circles = [p.text for p in params_doc.iter(UWS + "parameter") if p.get("id") == "CIRCLE"]
check(len(circles) == 2, f"both CIRCLE values kept: {circles}")
requests.post(pending + "/phase", data={"PHASE": "RUN"})
j = finished(pending)
check(j.phase == "COMPLETED" and len(j.result_uris) == 2, f"two cutouts after the change: {j.phase} {j.result_uris}")
r = requests.post(pending + "/parameters", data={"CIRCLE": "1 2 3"}, allow_redirects=False)
check(r.status_code == 409, f"no changes once run: {r.status_code}")
held = submit([("ID", cube)], run=False)
requests.post(held + "/phase", data={"PHASE": "ABORT"})
check(requests.get(held + "/phase").text.strip() == "ABORTED", "a PENDING job aborts")
r = requests.delete(pending, allow_redirects=False)
check(r.status_code == 303 and requests.get(pending).status_code == 404, "a deleted job is gone")

# jobs of a signed-in user are theirs: each service lists its own, anonymous callers see no
# list and cannot open them; anonymous jobs (above) are reachable by their URL only
mine = requests.post(jobs_url, data={"ID": cube}, auth=account, allow_redirects=False).headers["Location"]
tap_job = requests.post(base + "/tap/async", data={"LANG": "ADQL", "QUERY": "SELECT TOP 1 obs_id FROM ivoa.obscore"},
                        auth=account, allow_redirects=False).headers["Location"]
soda_list = requests.get(jobs_url, auth=account).text
tap_list = requests.get(base + "/tap/async", auth=account).text
job_id = lambda url: url.rsplit("/", 1)[1]  # noqa: E731
check(job_id(mine) in soda_list and job_id(tap_job) not in soda_list and job_id(job_url) not in soda_list,
      "the SODA job list has the user's SODA jobs only")
check(job_id(tap_job) in tap_list and job_id(mine) not in tap_list, "the TAP job list has the user's TAP jobs only")
check(requests.get(base + "/tap/async/" + job_id(mine), auth=account).status_code == 404,
      "a SODA job is not reachable as a TAP job")
check(job_id(mine) not in requests.get(jobs_url).text and job_id(job_url) not in requests.get(jobs_url).text,
      "an anonymous caller's list shows no jobs")
r = requests.get(mine)
check(r.status_code == 401 and "WWW-Authenticate" in r.headers, f"another's job, anonymously: {r.status_code} {r.text}")
check(requests.get(mine, auth=account).status_code == 200, "the owner opens it")
r = requests.get(jobs_url, auth=(account[0], "wrong password"))
check(r.status_code == 401 and "Invalid user credentials" in r.text, f"a wrong password is refused: {r.status_code} {r.text}")

# errors: SODA's text/plain with its labels
for what, query, status, words in [
    ("no overlap", {"ID": cube, "CIRCLE": "10 10 0.01"}, 400, "does not overlap the image, which covers RA"),
    ("band outside", {"ID": cube, "BAND": "0.1 0.2"}, 400, "does not overlap the cube's"),
    ("a state it lacks", {"ID": cube, "POL": "XX"}, 400, "UsageError"),
    ("bad circle", {"ID": cube, "CIRCLE": "10 10"}, 400, "CIRCLE='10 10'"),
    ("no ID", {"CIRCLE": "10 10 1"}, 400, "ID is required"),
    ("unknown file", {"ID": "nothing.fits"}, 404, "no file is called"),
]:
    r = requests.get(sync, params=query)
    check(r.status_code == status and r.headers["Content-Type"].startswith("text/plain")
          and r.text.startswith("UsageError") and words in r.text, f"{what}: {r.status_code} {r.text}")

# proprietary data: listed, but not cut for an anonymous caller
locked = None
for row in tap.search("SELECT DISTINCT member_ous_uid FROM ivoa.obscore WHERE data_rights = 'Proprietary'"):
    tars = [str(x).rsplit("/", 1)[1] for x in datalink.run_sync(str(row["member_ous_uid"])).to_table()["access_url"]
            if str(x).endswith("_001_of_001.tar")]
    if tars:
        names = [str(x).rsplit("/", 1)[1] for x in datalink.run_sync(tars[0]).to_table()["access_url"]
                 if ".cube." in str(x)]
        locked = names[0] if names else None
        break
check(locked is not None, "a proprietary cube in the demo")
r = requests.get(sync, params={"ID": locked, "CIRCLE": f"{ra} {dec} {radius}"})
check(r.status_code == 401 and r.text.startswith("AuthenticationError") and "proprietary until" in r.text
      and "WWW-Authenticate" in r.headers, f"proprietary: {r.status_code} {r.text}")

j = finished(submit([("ID", locked), ("CIRCLE", f"{ra} {dec} {radius}")]))
error = requests.get(j.url + "/error").text
check(j.phase == "ERROR" and error.startswith("AuthenticationError") and "proprietary until" in error,
      f"proprietary, async: {j.phase} {error}")

print(f"soda/cutouts.py: {passed()} checks passed")
