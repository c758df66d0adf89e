"""DataLink, downloads and download scripts as the real clients use them, against a demo
archive: pyvo DataLink from TAP rows (iter_datalinks, bysemantics, the nested package
descriptors), astroquery.alma get_data_info with expand_tarfiles False and True (ALMA's row
shapes), download_files (HEAD, Content-Disposition, resume after truncation by a Range request,
checksums), and the bash download script (parallel, resuming, verifying, unpacking).

usage: python clients.py BASE_URL DATA_DIR WORK_DIR
  DATA_DIR is the server's data directory (the originals the downloads are compared with);
  WORK_DIR a scratch directory. Prints the IDs it used as JSON on the last line
  (for datalinklint). Exit status 0 when every check holds.
"""
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import warnings
from pathlib import Path

import numpy as np
import pyvo
import requests
from astropy.io.votable import parse as parse_votable
from astroquery.alma import Alma

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base, data_dir, work = sys.argv[1].rstrip("/"), Path(sys.argv[2]), Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
tap = pyvo.dal.TAPService(base + "/tap")
datalink = pyvo.dal.adhoc.DatalinkService(base + "/datalink/sync")

COLUMNS = ["ID", "access_url", "service_def", "error_message", "semantics", "description",
           "content_type", "content_length", "readable"]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def links(identifier):
    return datalink.run_sync(identifier).to_table()


def original(name):
    found = list(data_dir.rglob(name))
    check(len(found) == 1, f"{name} is once in the data directory ({found})")
    return found[0]


def matches_original(path):
    """A download is its original: the stored file, or for a package kept as the files it
    holds (assembled when downloaded), a tar of exactly those files, byte for byte, whose
    checksum is the one the archive registered (its entity tag)."""
    name = Path(path).name
    if list(data_dir.rglob(name)):
        return sha256(path) == sha256(original(name))
    with tarfile.open(path) as tar:
        members = tar.getmembers()
        listed = {str(u).rsplit("/", 1)[1] for u in links(name)["access_url"] if "/dataPortal/" in str(u)}
        same = {Path(m.name).name for m in members} == listed and all(
            tar.extractfile(m).read() == (data_dir / "products" / m.name).read_bytes() for m in members)
    etag = requests.head(f"{base}/dataPortal/{name}").headers["ETag"].strip('"')
    return same and sha256(path).startswith(etag)


# --- find member OUSes with files: one released, one proprietary ---------------------------
members = tap.search(
    "SELECT DISTINCT member_ous_uid, group_ous_uid, proposal_id, data_rights FROM ivoa.obscore"
).to_table()
public_mous = proprietary_mous = empty_mous = None
for row in members:
    table = links(str(row["member_ous_uid"]))
    has_files = any(str(u) for u in table["access_url"])
    if has_files and row["data_rights"] == "Public" and public_mous is None:
        public_mous = row
    elif has_files and row["data_rights"] == "Proprietary" and proprietary_mous is None:
        proprietary_mous = row
    elif not has_files and empty_mous is None:
        empty_mous = row
    if public_mous is not None and proprietary_mous is not None and empty_mous is not None:
        break
check(public_mous is not None and proprietary_mous is not None and empty_mous is not None,
      "the demo has released and proprietary member OUSes with files, and one without")
uid = str(public_mous["member_ous_uid"])
code = str(public_mous["proposal_id"])

# --- the top-level listing: ALMA's shape ----------------------------------------------------
top = links(uid)
check(top.colnames == COLUMNS, f"columns in ALMA's order plus readable: {top.colnames}")
check(all(str(i) == uid for i in top["ID"]), "ID echoes the request on every row")
check(top["semantics"].dtype.kind == "U", "semantics is a fixed-width string column (bounded arraysize)")
semantics = [str(s) for s in top["semantics"]]
check(semantics[0] == "#documentation", f"the README comes first: {semantics}")
tars = [r for r in top if str(r["access_url"]).endswith(".tar")]
descriptors = [r for r in top if str(r["service_def"]).startswith("DataLink.")]
check(len(descriptors) == 2 and {str(r["semantics"]) for r in descriptors} == {"#this", "#auxiliary"},
      "the product and auxiliary packages each have a nested DataLink descriptor")
for d in descriptors:
    name = str(d["service_def"])[len("DataLink."):]
    check(any(str(t["access_url"]).endswith("/" + name) and t["semantics"] == d["semantics"] for t in tars),
          f"{name} is also listed as a tar with the same semantics")
    check(str(d["access_url"]) == "" and np.ma.is_masked(d["content_length"]),
          "descriptor rows have an empty access_url and size")
check(sum(s == "#progenitor" for s in semantics) >= 1, "raw execution blocks are #progenitor")
check(all(str(e) == "" and not np.ma.is_masked(e) for e in top["error_message"]),
      "absent strings are empty, not masked")
for t in tars:
    check(bool(t["readable"]), "released data are readable")

# the uid___ form and the project code give the same links
same = links(uid.replace("uid://", "uid___").replace("/", "_"))
check([str(u) for u in same["access_url"]] == [str(u) for u in top["access_url"]],
      "uid___ form lists the same links")
project = links(code)
check(set(str(u) for u in top["access_url"]) <= set(str(u) for u in project["access_url"]),
      "the project code lists its member OUSes' links")

# errors are rows, and several IDs go in one request (pyvo's batch POST)
batch = pyvo.dal.adhoc.DatalinkQuery(base + "/datalink/sync", id=[uid, "uid://A001/X0/X0", "no/such"]).execute().to_table()
errors = {str(r["ID"]): str(r["error_message"]) for r in batch if str(r["error_message"])}
check(errors.get("uid://A001/X0/X0", "").startswith("NotFoundFault"), f"unknown uid: {errors}")
check(errors.get("no/such", "").startswith("UsageFault"), f"malformed ID: {errors}")
check(sum(str(r["ID"]) == uid for r in batch) == len(top), "the good ID's rows are all there")
check(any("NotFoundFault" in str(e) for e in links(str(empty_mous["member_ous_uid"]))["error_message"]),
      "a member OUS without files says so in an error row")
hidden = links(str(proprietary_mous["member_ous_uid"]))
check(any(str(r["access_url"]) for r in hidden) and not any(bool(r["readable"]) for r in hidden if str(r["access_url"])),
      "proprietary data are listed (metadata are public) but not readable")

# --- package listings, file listings ---------------------------------------------------------
product_package = next(str(d["service_def"])[len("DataLink."):] for d in descriptors if d["semantics"] == "#this")
inside = links(product_package)
fits_rows = [r for r in inside if str(r["content_type"]) == "application/fits" and str(r["access_url"])]
cutouts = [r for r in inside if r["semantics"] == "#cutout"]
previews = [r for r in inside if r["semantics"] == "#preview"]
check(len(fits_rows) >= 2 and len(cutouts) == len(fits_rows), "each FITS product has a #cutout row")
check(len(previews) >= len(fits_rows), "and #preview rows")
cube = next(str(r["access_url"]).rsplit("/", 1)[1] for r in fits_rows if ".cube." in str(r["access_url"]))
one = links(cube)
check([str(s) for s in one["semantics"]][:2] == ["#this", "#cutout"], "a FITS file lists itself and its cutout")
soda = pyvo.dal.adhoc.DatalinkResults(datalink.run_sync(cube).votable).get_adhocservice_by_id(
    str(one[1]["service_def"]))
params = {p.name: p for p in soda.groups[0].entries} if soda.groups else {}
check(set(params) >= {"ID", "CIRCLE", "POLYGON", "POS", "BAND", "TIME", "POL"}, f"SODA inputs: {sorted(params)}")
check(params["ID"].value == cube, "the SODA descriptor carries the file's ID")
check(params["BAND"].values.min is not None and params["BAND"].values.max > params["BAND"].values.min,
      "BAND declares the cube's wavelength range")

# --- pyvo: DataLink from TAP rows, semantics, nested descriptors ------------------------------
rows = tap.search(
    f"SELECT TOP 2 obs_id, member_ous_uid FROM ivoa.obscore WHERE member_ous_uid IN "
    f"('{uid}', '{proprietary_mous['member_ous_uid']}') ORDER BY obs_id"
)
check("datalink" in [r.ID for r in rows.votable.resources if r.type == "meta"],
      "TAP results carry a DataLink service descriptor")
seen = 0
for row, dl in zip(rows, rows.iter_datalinks()):
    check(all(str(i) == str(row["member_ous_uid"]) for i in dl.to_table()["ID"]),
          "iter_datalinks gives each row its member OUS's links")
    seen += 1
check(seen == 2, "iter_datalinks went through the rows")
this = list(datalink.run_sync(uid).bysemantics("#this", include_narrower=False))
check(len(this) == 2, f"bysemantics('#this'): the product tar and its descriptor ({len(this)})")
nested = [r for r in datalink.run_sync(uid) if str(r.service_def).startswith("DataLink.")][0]
nested_links = parse_votable(io.BytesIO(nested.process().read())).get_first_table().to_table()
check(len(nested_links) > 0 and str(nested_links["ID"][0]) == str(nested.service_def)[len("DataLink."):],
      "row.process() follows the nested package descriptor")

# --- astroquery.alma: get_data_info --------------------------------------------------------
alma = Alma()
alma.archive_url = base
flat = alma.get_data_info([uid], expand_tarfiles=False)
check(len(flat) == len(top) and flat.colnames == COLUMNS, f"get_data_info: {len(flat)} rows, {flat.colnames}")
expanded = alma.get_data_info([uid], expand_tarfiles=True)
aux_package = next(str(d["service_def"])[len("DataLink."):] for d in descriptors if d["semantics"] == "#auxiliary")
aux_rows = len(links(aux_package))
product_rows = len(inside) - len(cutouts)
# ALMA's shape: the top level minus the two descriptor rows, plus each listing without cutouts
check(len(expanded) == len(top) - 2 + product_rows + aux_rows,
      f"expanded: {len(expanded)} = {len(top)} - 2 + {product_rows} + {aux_rows}")
check(not any(r["semantics"] == "#cutout" for r in expanded), "expansion drops the cutout rows")
no_aux = alma.get_data_info([uid], expand_tarfiles=True, with_auxiliary=False, with_rawdata=False)
check(not any("#aux" in str(s) or "#progenitor" in str(s) for s in no_aux["semantics"]),
      "with_auxiliary/with_rawdata=False filter (numpy 2, bounded semantics)")

# --- astroquery.alma: download_files, resume, checksums -----------------------------------------
urls = [str(u) for u in flat["access_url"] if str(u)]
savedir = work / "astroquery"
savedir.mkdir(exist_ok=True)
got = alma.download_files(urls, savedir=str(savedir))
check(len(got) == len(urls) and all(Path(p).exists() for p in got), f"downloaded {len(got)} of {len(urls)}")
for p in got:
    check(matches_original(p), f"{Path(p).name} matches its original")
    check(Path(p).stat().st_size == int(flat[[str(u) for u in flat["access_url"]].index(
        next(u for u in urls if u.endswith("/" + Path(p).name)))]["content_length"]),
        "content_length is the real size")
biggest = max(got, key=lambda p: Path(p).stat().st_size)
size = Path(biggest).stat().st_size
with open(biggest, "r+b") as f:
    f.truncate(size // 3)
resumed = alma.download_files([u for u in urls if u.endswith("/" + Path(biggest).name)], savedir=str(savedir))
check(Path(resumed[0]).stat().st_size == size and matches_original(resumed[0]),
      "a truncated download resumes and matches its checksum")
print(f"RESUMED {Path(biggest).name} from byte {size // 3}")
head = requests.head(urls[0])
check(head.headers["Content-Disposition"] == "attachment; filename=" + urls[0].rsplit("/", 1)[1],
      f"Content-Disposition: {head.headers.get('Content-Disposition')}")
locked = [str(u) for u in links(str(proprietary_mous["member_ous_uid"]))["access_url"] if str(u)]
check(requests.head(locked[0]).status_code == 401, "proprietary files answer 401")
check(alma.download_files(locked[:1], savedir=str(savedir)) == [], "astroquery skips them (skip_unauthorized)")

# --- the download script ------------------------------------------------------------------
script = requests.get(base + "/dataPortal/script", params={"ID": [uid]})
check(script.status_code == 200 and script.text.startswith("#!/usr/bin/env bash"), "a bash script")
check(script.headers["Content-Disposition"].startswith("attachment; filename=downloadRequest"),
      "saved as downloadRequest….sh")
path = work / "download.sh"
path.write_text(script.text)
target = work / "script"
run = subprocess.run(["bash", str(path), "-x", "-j", "3", "-d", str(target)], capture_output=True, text=True)
check(run.returncode == 0, f"the script ran: {run.stdout}{run.stderr}")
for u in urls:
    name = u.rsplit("/", 1)[1]
    check(matches_original(target / name), f"script fetched {name}")
check(any(target.rglob("*.fits")), "and unpacked the product tar")
tar_name = next(u.rsplit("/", 1)[1] for u in urls if u.endswith("_001_of_001.tar"))
with open(target / tar_name, "r+b") as f:
    f.truncate(1000)
run = subprocess.run(["bash", str(path), "-n", "-d", str(target)], capture_output=True, text=True)
check(run.returncode == 0 and f"resuming {tar_name} at byte 1000" in run.stdout,
      f"a rerun resumes the truncated tar: {run.stdout}{run.stderr}")
check(matches_original(target / tar_name), "and verifies it")
with open(target / tar_name, "r+b") as f:
    f.seek(5000)
    f.write(b"corrupted")
run = subprocess.run(["bash", str(path), "-n", "-d", str(target)], capture_output=True, text=True)
check(run.returncode == 0 and "checksum mismatch" in run.stderr and matches_original(target / tar_name),
      f"a corrupted file is fetched again: {run.stderr}")

print(f"datalink/clients.py: {passed()} checks passed")
# the IDs datalinklint runs over, one or more of each kind
readme = next(str(u).rsplit("/", 1)[1] for u in flat["access_url"] if str(u).endswith("README.txt"))
raw = next(str(u).rsplit("/", 1)[1] for u in flat["access_url"] if str(u).endswith(".asdm.sdm.tar"))
continuum = next(str(r["access_url"]).rsplit("/", 1)[1] for r in fits_rows if ".cont." in str(r["access_url"]))
print(json.dumps({
    "member OUS uid": [uid, str(proprietary_mous["member_ous_uid"]), str(empty_mous["member_ous_uid"])],
    "uid___ form": [uid.replace("uid://", "uid___").replace("/", "_")],
    "group OUS uid": [str(public_mous["group_ous_uid"])],
    "project code": [code, "ADS/JAO.ALMA#" + code],
    "package": [product_package, aux_package, raw],
    "file": [cube, continuum, readme],
    "bad": ["uid://A001/X0/X0", "../../etc/passwd", "no such thing"],
}))
