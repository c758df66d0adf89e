"""Who may fetch what, as clients see it over HTTPS.

Six callers — anonymous, the PI (bearer token from the token endpoint), a delegee (HTTP
Basic), a delegee whose delegation the PI revoked, an unrelated user and archive staff — ask
for three datasets — public, proprietary, and one whose release date passes while the script
runs — through DataLink (the `readable` column), a FITS file download, the package tar, a SODA
cutout, a preview and a cube viewer's tile. Allowed requests get 200; the rest 401
(anonymous: sign in) or 403 (signed in without rights), and no refusal carries data.
Metadata (TAP) stay public. The delegations are made and revoked through the PI's own HTTP
API. Then astroquery logs in (`Alma.login`, which insists on https) and downloads a
proprietary file as its PI; the same for an unrelated user fails.

usage: python matrix.py BASE_URL CERTIFICATE ARRANGEMENT_JSON
(ARRANGEMENT_JSON: {"public": [uid, project, package, fits], "proprietary": [...],
"released_soon": [...], "release_at": epoch seconds, "pi": user})
"""
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base, certificate, arrangement = sys.argv[1].rstrip("/"), sys.argv[2], json.loads(sys.argv[3])
os.environ["REQUESTS_CA_BUNDLE"] = certificate  # the test's self-signed certificate, trusted
http = requests.Session()
http.verify = certificate
pi = arrangement["pi"]
token_url = base + "/auth/realms/ALMA/protocol/openid-connect/token"

# --- logging in -----------------------------------------------------------------------
r = http.head(base + "/auth/realms/ALMA/.well-known/openid-configuration")
check(r.status_code == 200, f"discovery document: {r.status_code}")
discovery = http.get(base + "/auth/realms/ALMA/.well-known/openid-configuration").json()
check(discovery["token_endpoint"] == token_url, f"it names the token endpoint: {discovery}")


def token(user, password):
    r = http.post(token_url, data={"grant_type": "password", "client_id": "oidc",
                                   "username": user, "password": password})
    check(r.status_code == 200 and r.json()["token_type"] == "Bearer" and r.json()["expires_in"] > 0,
          f"token for {user}: {r.status_code} {r.text}")
    return r.json()["access_token"]


r = http.post(token_url, data={"grant_type": "password", "username": pi, "password": "wrong"})
check(r.status_code == 401 and r.json()["error_description"] == "Invalid user credentials",
      f"a wrong password: Keycloak's answer, which astroquery recognises ({r.status_code} {r.text})")
r = http.post(token_url, data={"grant_type": "client_credentials"})
check(r.status_code == 400 and r.json()["error"] == "unsupported_grant_type", f"other grants: {r.text}")

callers = {
    "anonymous": {},
    "PI": {"Authorization": "Bearer " + token(pi, "pi-password-1")},
    "delegee": {"Authorization": requests.auth._basic_auth_str("delegee", "delegee-password")},
    "revoked": {"Authorization": requests.auth._basic_auth_str("revoked", "revoked-password")},
    "stranger": {"Authorization": requests.auth._basic_auth_str("stranger", "stranger-password")},
    "staff": {"Authorization": "Bearer " + token("curator", "curator-password")},
}
me = http.get(base + "/auth/me", headers=callers["PI"]).json()
check(me["user"] == pi and arrangement["proprietary"][1] in me["pi_of"], f"/auth/me names the PI and the project: {me}")
check(http.get(base + "/auth/me", headers=callers["staff"]).json()["staff"] is True, "staff is staff")
r = http.get(base + "/auth/me", headers={"Authorization": "Bearer 00ff"})
check(r.status_code == 401 and "expired" in r.text, f"an unknown token: {r.status_code} {r.text}")

# --- delegation, through the PI's API ---------------------------------------------------
project = arrangement["proprietary"][1]
for user in ["delegee", "revoked"]:
    r = http.post(base + "/auth/delegations", data={"project": project, "user": user}, headers=callers["PI"])
    check(r.status_code == 201 and r.json()["user"] == user and r.json()["granted_by"] == pi,
          f"the PI delegates {project} to {user}: {r.status_code} {r.text}")
delegee_token = {"Authorization": "Bearer " + token("delegee", "delegee-password")}
r = http.post(base + "/auth/delegations", data={"project": project, "user": "stranger"}, headers=delegee_token)
check(r.status_code == 403 and "delegees cannot delegate" in r.json()["error_description"],
      f"a delegee cannot delegate further: {r.status_code} {r.text}")
pi_basic = {"Authorization": requests.auth._basic_auth_str(pi, "pi-password-1")}
r = http.post(base + "/auth/delegations", data={"project": project, "user": "stranger"}, headers=pi_basic)
check(r.status_code == 403 and "bearer token" in r.json()["error_description"],
      f"delegations change only with a bearer token (a browser's Basic credentials cannot forge one): {r.status_code} {r.text}")
r = http.post(base + "/auth/delegations", data={"project": project, "user": "stranger"})
check(r.status_code == 401, f"anonymous cannot delegate: {r.status_code}")
r = http.delete(f"{base}/auth/delegations/{project}/revoked", headers=callers["PI"])
check(r.status_code == 200 and r.json()["revoked"] is True, f"the PI revokes one: {r.status_code} {r.text}")
listed = http.get(base + "/auth/delegations", headers=callers["PI"]).json()["granted"]
check(sorted((d["user"], d["revoked_at"] is None) for d in listed) == [("delegee", True), ("revoked", False)],
      f"the PI's list shows both, one revoked: {listed}")
check([d["project"] for d in http.get(base + "/auth/delegations", headers=callers["delegee"]).json()["received"]]
      == [project], "the delegee sees what it received")

# --- the matrix ---------------------------------------------------------------------------
READERS = {"public": set(callers), "proprietary": {"PI", "delegee", "staff"}}


def requests_for(dataset):
    uid, _, package, fits = dataset
    return {
        "file": ("GET", f"{base}/dataPortal/{fits}"),
        "tar (HEAD)": ("HEAD", f"{base}/dataPortal/{package}"),
        "cutout": ("GET", f"{base}/soda/sync?ID={fits}"),
        "preview": ("GET", f"{base}/preview/{fits}/continuum.png"),
        "viewer": ("GET", f"{base}/cube/{fits}/tiles?channel=0&level=0&x0=0&y0=0"),
    }


def readable_in_datalink(dataset, headers):
    """DataLink's `readable` for the dataset's product package row (metadata: always 200)."""
    r = http.get(f"{base}/datalink/sync", params={"ID": dataset[0]}, headers=headers)
    check(r.status_code == 200, f"DataLink answers everyone: {r.status_code}")
    from astropy.io.votable import parse_single_table
    import io
    table = parse_single_table(io.BytesIO(r.content)).to_table()
    rows = [row for row in table if str(row["access_url"]).endswith("/" + dataset[2])]
    check(len(rows) == 1, f"the package row is listed for everyone ({len(rows)})")
    return bool(rows[0]["readable"])


leaks, wrong = [], []
table_lines = []


def run_matrix(label, dataset, allowed):
    for caller, headers in callers.items():
        cells = []
        may = caller in allowed
        if readable_in_datalink(dataset, headers) != may:
            wrong.append(f"{label}/{caller}/datalink readable")
        cells.append("T" if may else "F")
        for what, (method, url) in requests_for(dataset).items():
            r = http.request(method, url, headers=headers)
            cells.append(str(r.status_code))
            if may and r.status_code != 200:
                wrong.append(f"{label}/{caller}/{what}: {r.status_code} {r.text[:200]}")
            if not may:
                expected = 401 if caller == "anonymous" else 403
                if r.status_code == 200 or r.content[:6] in (b"SIMPLE", b"\x89PNG\r\n") or len(r.content) > 2000:
                    leaks.append(f"{label}/{caller}/{what}: {r.status_code}, {len(r.content)} bytes")
                elif r.status_code != expected:
                    wrong.append(f"{label}/{caller}/{what}: {r.status_code}, expected {expected}: {r.text[:200]}")
                elif expected == 401 and "WWW-Authenticate" not in r.headers:
                    wrong.append(f"{label}/{caller}/{what}: 401 without WWW-Authenticate")
                elif method == "GET" and "proprietary" not in r.text:
                    wrong.append(f"{label}/{caller}/{what}: the refusal does not say why: {r.text[:200]}")
        table_lines.append(f"{label:<22} {caller:<10} " + " ".join(f"{c:>6}" for c in cells))


print(f"{'dataset':<22} {'caller':<10} {'readable':>6} {'file':>6} {'tar':>6} {'cutout':>6} {'preview':>6} {'viewer':>6}")
run_matrix("public", arrangement["public"], READERS["public"])
run_matrix("proprietary", arrangement["proprietary"], READERS["proprietary"])
soon = arrangement["released_soon"]
check(time.time() < arrangement["release_at"] - 2, "the just-released dataset is still proprietary when asked")
run_matrix("before its release", soon, {"staff"} | ({"PI", "delegee"} if soon[1] == project else set()))

# TAP shows the metadata of every dataset to everyone
for uid in (arrangement["proprietary"][0], soon[0]):
    r = http.get(base + "/tap/sync", params={"LANG": "ADQL", "RESPONSEFORMAT": "csv",
                                             "QUERY": f"SELECT data_rights FROM ivoa.obscore WHERE member_ous_uid = '{uid}'"})
    check(r.status_code == 200 and "Proprietary" in r.text, f"TAP lists proprietary {uid} for everyone: {r.text[:200]}")

# the release date passes; nobody does anything
while time.time() < arrangement["release_at"] + 0.5:
    time.sleep(0.5)
run_matrix("after its release", soon, READERS["public"])
deadline = time.time() + 10
while True:
    r = http.get(base + "/tap/sync", params={"LANG": "ADQL", "RESPONSEFORMAT": "csv",
                                             "QUERY": f"SELECT DISTINCT data_rights FROM ivoa.obscore WHERE member_ous_uid = '{soon[0]}'"})
    if r.text.split() == ["data_rights", "Public"] or time.time() > deadline:
        break
    time.sleep(0.5)
check(r.text.split() == ["data_rights", "Public"], f"ivoa.obscore says Public after the release date: {r.text}")

print("\n".join(table_lines))
check(not leaks, "leaks:\n" + "\n".join(leaks))
check(not wrong, "wrong answers:\n" + "\n".join(wrong))
cells = len(table_lines) * 5
print(f"access matrix: {len(table_lines)} caller×dataset rows × 5 requests = {cells} answers, 0 leaks, 0 wrong")

# jobs belong to their creator
job = http.post(base + "/tap/async", data={"LANG": "ADQL", "QUERY": "SELECT TOP 1 obs_id FROM ivoa.obscore"},
                headers=callers["delegee"], allow_redirects=False).headers["Location"]
check(http.get(job, headers=callers["stranger"]).status_code == 403, "another user's job: 403")
check(http.get(job).status_code == 401, "a user's job, anonymously: 401")
check(http.get(job, headers=callers["delegee"]).status_code == 200, "one's own job: 200")
check(job.rsplit("/", 1)[1] not in http.get(base + "/tap/async", headers=callers["stranger"]).text,
      "another user's job is not in one's list")

# --- astroquery: login over https, then download_files ------------------------------------
from astroquery_login import save_password  # noqa: E402
from astroquery.alma import Alma  # noqa: E402


host = base.split("://", 1)[1]
proprietary_fits = f"{base}/dataPortal/{arrangement['proprietary'][3]}"
for user, password, may in [(pi, "pi-password-1", True), ("stranger", "stranger-password", False)]:
    save_password(host, user, password)
    alma = Alma()
    alma.archive_url = base
    alma.login(user, auth_urls=[host])
    check(alma.USERNAME == user, f"astroquery logged in as {user}")
    with tempfile.TemporaryDirectory() as into:
        try:
            got = alma.download_files([proprietary_fits], savedir=into, skip_unauthorized=False)
            outcome = "downloaded"
        except requests.HTTPError as e:
            got, outcome = [], f"HTTP {e.response.status_code}"
        if may:
            check(outcome == "downloaded" and len(got) == 1 and Path(got[0]).stat().st_size > 2880
                  and Path(got[0]).read_bytes()[:6] == b"SIMPLE", f"the PI downloads it: {outcome} {got}")
        else:
            check(outcome == "HTTP 403" and not list(Path(into).iterdir()), f"another user cannot: {outcome}")
# astroquery's advice after a refusal: the same file under /dataPortal/sso/
r = http.head(proprietary_fits.replace("/dataPortal/", "/dataPortal/sso/"), headers=callers["PI"])
check(r.status_code == 200, f"/dataPortal/sso/ serves the PI too: {r.status_code}")
save_password(host, "stranger", "not-the-password")
try:
    alma = Alma()
    alma.archive_url = base
    alma.login("stranger", auth_urls=[host])
    check(False, "a wrong stored password is refused")
except Exception as e:
    check("Invalid user credentials" in str(e), f"astroquery reports the wrong password: {e}")

print(f"access/matrix.py: {passed()} checks passed")
