"""A newcomer's path on random rows of the demo: for each row (public and proprietary), pyvo's
iter_datalinks on the TAP result → the product package's nested DataLink → a FITS product's
SODA cutout (opened in astropy) → a download; and astroquery.alma's get_data_info with
expand_tarfiles=True → download_files, signed in as the project's PI for proprietary rows
(over https, as astroquery insists) and refused for another user.

usage: python random_rows.py BASE_URL CA_CERT ROWS_JSON
  ROWS_JSON: a file holding {"rows": [{"obs_id", "member_ous_uid", "data_rights", "pi",
  "password"}, ...], "stranger": [user, password], "not_delivered": [[state, uid], ...]}.
Exit status 0 when every check holds.
"""
import io
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

import astropy.units as u
import pyvo
import requests
from astropy.io import fits
from astropy.io.votable import parse as parse_votable
from astroquery.alma import Alma

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402
from astroquery_login import save_password  # noqa: E402

base, ca_cert, rows_json = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
spec = json.loads(Path(rows_json).read_text())
rows, stranger = spec["rows"], spec["stranger"]
warnings.simplefilter("ignore")
os.environ["REQUESTS_CA_BUNDLE"] = ca_cert  # the test's self-signed certificate, trusted


def session_for(user=None, password=None):
    s = requests.Session()
    s.verify = ca_cert
    if user:
        s.auth = (user, password)
    return s


host = base.split("://", 1)[1]
anonymous = session_for()
failures = []


def pyvo_path(row, session):
    """TAP row → iter_datalinks → nested package → SODA cutout → download; None or a problem."""
    tap = pyvo.dal.TAPService(base + "/tap", session=session)
    result = tap.search(f"SELECT * FROM ivoa.obscore WHERE obs_id = '{row['obs_id']}'")
    if len(result) != 1:
        return f"TAP found {len(result)} rows"
    links = next(result.iter_datalinks())
    nested = [r for r in links if str(r.service_def).startswith("DataLink.") and r.semantics == "#this"]
    if not nested:
        errors = [str(r.error_message) for r in links if str(r.error_message)]
        return f"no product package descriptor ({errors})"
    inside = pyvo.dal.adhoc.DatalinkResults(
        parse_votable(io.BytesIO(nested[0].process().read())), session=session)
    fits_rows = [r for r in inside if str(r.content_type) == "application/fits" and str(r.access_url)]
    if not fits_rows:
        return "the package lists no FITS product"
    product = fits_rows[0]
    name = str(product.access_url).rsplit("/", 1)[1]
    cube_links = pyvo.dal.adhoc.DatalinkService(base + "/datalink/sync", session=session).run_sync(name)
    soda = cube_links.get_adhocservice_by_ivoid("ivo://ivoa.net/std/SODA#sync-1.0")
    params = {p.name: p for p in soda.groups[0].entries}
    ra, dec, _ = [float(x) for x in params["CIRCLE"].values.max]
    # as processed() builds it, but with the caller's session: pyvo 1.9's processed() sends
    # no credentials (it makes its SODA query without the results' session)
    query = pyvo.dal.adhoc.SodaQuery.from_resource(
        cube_links[0], soda, session=session, circle=[ra, dec, 2.0 / 3600] * u.deg)
    stream = query.execute_stream()
    cut = fits.open(io.BytesIO(stream.read()))
    if cut[0].data is None or cut[0].data.size == 0:
        return f"the cutout of {name} is empty"
    got = session.get(str(product.access_url))
    if got.status_code != 200 or not got.content.startswith(b"SIMPLE"):
        return f"downloading {name}: HTTP {got.status_code}"
    return None


def astroquery_path(row, user, password):
    """get_data_info(expand_tarfiles=True) → download_files, as `user`; the files or the error."""
    alma = Alma()
    alma.archive_url = base
    if user:
        save_password(host, user, password)
        alma.login(user, auth_urls=[host])
    info = alma.get_data_info([row["member_ous_uid"]], expand_tarfiles=True)
    urls = [str(x) for x in info["access_url"] if str(x) and str(x).endswith(".fits")][:2]
    if not urls:
        return None, "get_data_info lists no FITS file"
    with tempfile.TemporaryDirectory() as into:
        try:
            got = alma.download_files(urls, savedir=into, skip_unauthorized=False)
        except requests.HTTPError as e:
            return None, f"HTTP {e.response.status_code}"
        ok = len(got) == len(urls) and all(Path(p).read_bytes()[:6] == b"SIMPLE" for p in got)
        return ok, None if ok else f"downloaded {got}"


public = proprietary = 0
for row in rows:
    mine = row["data_rights"] == "Proprietary"
    session = session_for(row["pi"], row["password"]) if mine else anonymous
    try:
        problem = pyvo_path(row, session)
    except Exception as e:  # noqa: BLE001 - any client error is a failure of this row
        problem = f"{type(e).__name__}: {e}"
    if problem:
        failures.append(f"pyvo {row['obs_id']} ({row['data_rights']}): {problem}")
    try:
        ok, problem = astroquery_path(row, row["pi"] if mine else None, row["password"] if mine else None)
        if problem:
            failures.append(f"astroquery {row['member_ous_uid']} ({row['data_rights']}): {problem}")
        if mine:
            _, refused = astroquery_path(row, stranger[0], stranger[1])
            if refused != "HTTP 403":
                failures.append(f"astroquery as another user, {row['member_ous_uid']}: {refused or 'downloaded'}")
    except Exception as e:  # noqa: BLE001
        failures.append(f"astroquery {row['member_ous_uid']}: {type(e).__name__}: {e}")
    public += not mine
    proprietary += mine

# data not delivered yet (or withdrawn in QA3) say so plainly
words = {"In progress": "no files yet", "In QA3": "in QA3"}
for state, uid in spec["not_delivered"]:
    table = parse_votable(io.BytesIO(anonymous.get(f"{base}/datalink/sync", params={"ID": uid}).content))
    messages = [str(m) for m in table.get_first_table().to_table()["error_message"] if str(m)]
    check(any("NotFoundFault" in m and words[state] in m for m in messages), f"{state} {uid}: {messages}")
check(any(state == "In progress" for state, _ in spec["not_delivered"]), "the demo has data in progress")

print(f"{len(rows)} random rows: {public} public, {proprietary} proprietary")
for f in failures:
    print("FAILED", f)
check(not failures, f"{len(failures)} failures on {len(rows)} random rows")
check(public > 0 and proprietary > 0, "the sample holds public and proprietary rows")
print(f"clients/random_rows.py: {passed()} checks passed")
