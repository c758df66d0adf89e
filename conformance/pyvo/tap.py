"""pyvo against the service's TAP endpoint, as a pyvo user works: search, MAXREC overflow,
error reporting, upload joins (TABLEDATA, BINARY, BINARY2, by URL), async jobs, the DALI
examples (each one run), the tables and capabilities documents (the spectral-window function
among its user-defined functions, and used).

usage: python tap.py BASE_URL    (exit status 0 when every check holds)
"""
import sys
from pathlib import Path
import warnings

import numpy as np
import pyvo
from astropy.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base = sys.argv[1].rstrip("/")
tap = pyvo.dal.TAPService(base + "/tap")


# a search: units, datatypes and ALMA's column names come through
result = tap.search(
    "SELECT TOP 5 obs_id, s_ra, s_dec, s_region, frequency, band_list, \"lastModified\" "
    "FROM ivoa.obscore ORDER BY obs_id"
)
table = result.to_table()
check(len(table) == 5, f"5 rows, got {len(table)}")
check(str(table["s_ra"].unit) == "deg", f"s_ra unit {table['s_ra'].unit}")
check(str(table["frequency"].unit) == "GHz", f"frequency unit {table['frequency'].unit}")
check(table["s_ra"].dtype == np.float64, f"s_ra dtype {table['s_ra'].dtype}")
check("lastModified" in table.colnames, f"columns {table.colnames}")
check(all(str(r).startswith(("Circle", "Polygon", "Union")) for r in table["s_region"]), "s_region is STC-S")
field = result.fieldname_with_ucd("pos.eq.ra") if hasattr(result, "fieldname_with_ucd") else "s_ra"
check(field == "s_ra", f"the column with UCD pos.eq.ra is {field}")

# MAXREC: exactly that many rows and an overflow pyvo can see
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    result = tap.search("SELECT obs_id FROM ivoa.obscore", maxrec=7)
check(len(result) == 7, f"MAXREC=7 gave {len(result)} rows")
check(result.query_status == "OVERFLOW", f"query status {result.query_status}")

# errors: DALQueryError with the service's message
try:
    tap.search("SELECT pvw FROM ivoa.obscore")
    check(False, "an unknown column must fail")
except pyvo.dal.DALQueryError as e:
    check("did you mean pwv?" in str(e), f"error message: {e}")

# an upload join (astropy table, written by pyvo as VOTable)
codes = tap.search("SELECT DISTINCT TOP 3 proposal_id FROM ivoa.obscore ORDER BY proposal_id").to_table()
mine = Table({"prop_id": [str(c) for c in codes["proposal_id"]], "n": np.arange(len(codes), dtype=np.int64)})
joined = tap.search(
    "SELECT o.obs_id, o.proposal_id, u.n FROM ivoa.obscore AS o "
    "JOIN TAP_UPLOAD.mine AS u ON o.proposal_id = u.prop_id",
    uploads={"mine": mine},
).to_table()
expected = tap.search(
    "SELECT COUNT(*) AS c FROM ivoa.obscore WHERE proposal_id IN ("
    + ", ".join(f"'{c}'" for c in mine["prop_id"])
    + ")"
).to_table()["c"][0]
check(len(joined) == int(expected) and len(joined) > 0, f"upload join gave {len(joined)} rows, expected {expected}")

# ADQL 2.1 types: COUNT(*) and integer arithmetic read back as integers, division as a double
typed = tap.search("SELECT COUNT(*) AS n, MAX(s_xel1) + 1 AS w, COUNT(*) / 2 AS half FROM ivoa.obscore").to_table()
check(typed["n"].dtype.kind == "i" and typed["n"].dtype.itemsize == 8, f"COUNT(*) read as {typed['n'].dtype}")
check(typed["w"].dtype.kind == "i", f"MAX(s_xel1) + 1 read as {typed['w'].dtype}")
check(typed["half"].dtype.kind == "f", f"COUNT(*) / 2 read as {typed['half'].dtype}")
check(int(typed["n"][0]) == int(expected) or int(typed["n"][0]) > 0, "COUNT(*) counts")
check(set(joined["proposal_id"]) == set(mine["prop_id"]), "the join matched on the uploaded codes")

# the same table written by astropy as BINARY2 (with a masked value) and as BINARY, sent
# as the multipart part pyvo would send
import io, requests
from astropy.io.votable import from_table as votable_from_table
mine_masked = Table(mine, masked=True)
mine_masked["n"].mask = [False] + [True] * (len(mine_masked) - 1)
for serialization in ["binary2", "binary"]:
    buffer = io.BytesIO()
    vot = votable_from_table(mine_masked)
    vot.get_first_table().format = serialization
    if serialization == "binary":  # no null flags: the masked value is written as <VALUES null>
        vot.get_first_table().get_field_by_id("n").values.null = -1
    vot.to_xml(buffer)
    response = requests.post(
        f"{base}/tap/sync",
        data={"LANG": "ADQL", "RESPONSEFORMAT": "csv", "UPLOAD": "mine,param:t",
              "QUERY": "SELECT prop_id, n FROM TAP_UPLOAD.mine ORDER BY prop_id"},
        files={"t": ("t.xml", buffer.getvalue(), "application/x-votable+xml")},
    )
    lines = response.text.strip().splitlines()
    check(response.status_code == 200 and len(lines) == len(mine) + 1,
          f"{serialization} upload: {response.status_code} {response.text[:300]}")
    first = sorted(mine_masked, key=lambda r: r["prop_id"])[0]
    expect_n = "" if np.ma.is_masked(first["n"]) else str(first["n"])
    check(lines[1] == f"{first['prop_id']},{expect_n}", f"{serialization} upload first row {lines[1]!r}")

# an upload by URL: the service fetches the table from a web server
import http.server, threading

class OneTable(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        buffer = io.BytesIO()
        votable_from_table(mine).to_xml(buffer)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-votable+xml")
        self.end_headers()
        self.wfile.write(buffer.getvalue())
    def log_message(self, *args):
        pass
web = http.server.HTTPServer(("127.0.0.1", 0), OneTable)
threading.Thread(target=web.serve_forever, daemon=True).start()
by_url = tap.search(
    "SELECT COUNT(*) AS c FROM TAP_UPLOAD.remote",
    UPLOAD=f"remote,http://127.0.0.1:{web.server_address[1]}/codes.xml",
).to_table()
check(int(by_url["c"][0]) == len(mine), f"URL upload gave {by_url['c'][0]} rows")
web.shutdown()
check(any("upload-http" in str(m.ivo_id) for m in tap.upload_methods), "http upload advertised")

# DALI examples, as TOPCAT and pyvo read them: each one runs
examples = tap.examples
check(len(examples) >= 6, f"{len(examples)} examples")
for example in examples:
    if "TAP_UPLOAD.proj_codes" in example["QUERY"]:
        found = tap.search(example["QUERY"], uploads={"proj_codes": Table({"prop_id": mine["prop_id"]})})
    else:
        found = example.execute()
    check(len(found) > 0, f"example {example['QUERY'][:60]!r} gave no rows")

# asynchronous: run_async (create, PHASE=RUN, WAIT polling, absolute result URL), then a
# job handled step by step and deleted
result = tap.run_async("SELECT TOP 4 obs_id, s_ra FROM ivoa.obscore ORDER BY obs_id")
check(len(result) == 4, f"run_async gave {len(result)} rows")
job = tap.submit_job("SELECT TOP 2 obs_id FROM ivoa.obscore ORDER BY obs_id", maxrec=1)
check(job.phase == "PENDING", f"a new job is PENDING, not {job.phase}")
job.run()
job.wait(phases=["COMPLETED", "ERROR", "ABORTED"], timeout=60)
check(job.phase == "COMPLETED", f"job ended {job.phase}")
check(job.result_uri.startswith("http") and job.job_id in job.result_uri, f"result URL {job.result_uri}")
rows = job.fetch_result()
check(len(rows) == 1 and rows.query_status == "OVERFLOW", f"MAXREC on a job: {len(rows)} {rows.query_status}")
# an anonymous user who lost a job's URL finds it in the job list (the job-owner cookie the
# service handed out, kept by pyvo's session); another session does not see it
mine_listed = [j.jobid for j in tap.get_job_list()]
check(job.job_id in mine_listed, f"get_job_list finds this session's job: {mine_listed}")
stranger = pyvo.dal.TAPService(base + "/tap")
check(job.job_id not in [j.jobid for j in stranger.get_job_list()],
      "another anonymous session does not see it")
url = job.url
job.delete()
check(job.job_id not in [j.jobid for j in tap.get_job_list()], "a deleted job leaves the list")
bad = tap.submit_job("SELECT nonesuch FROM ivoa.obscore")
bad.run()
bad.wait(phases=["COMPLETED", "ERROR", "ABORTED"], timeout=60)
check(bad.phase == "ERROR" and "no column nonesuch" in (bad.job.errorsummary.message.content or ""), f"error job: {bad.phase}")
bad.delete()

# VOSI: tables and capabilities as pyvo reads them
columns = {c.name for c in tap.tables["ivoa.obscore"].columns}
check(len(columns) == 78 and "lastModified" in columns, f"{len(columns)} obscore columns")
optional = ["obs_creator_did", "target_class", "dataproduct_subtype", "s_pixel_scale", "em_ucd", "preview", "source_table"]
check(all(c in columns for c in optional), "ObsCore 1.1's optional columns listed")
check(tap.maxrec is not None and tap.hardlimit is not None and tap.maxrec <= tap.hardlimit, f"limits {tap.maxrec} {tap.hardlimit}")
check(any("upload-inline" in str(m.ivo_id) for m in tap.upload_methods), "inline upload advertised")
languages = [lang.name for lang in tap.get_tap_capability().languages]
check(languages == ["ADQL"], f"languages {languages}")

# the spectral-window function as pyvo reads it from the capabilities, and used: each row
# found has a window of its frequency_support on the frequency
udfs = [f.form for f in tap.get_tap_capability().get_adql().get_feature_list("ivo://ivoa.net/std/TAPRegExt#features-udf")]
check(any(f.startswith("SPECTRAL_WINDOW_OVERLAPS(") for f in udfs), f"user-defined functions {udfs}")
on_line = tap.search("SELECT TOP 50 frequency_support FROM ivoa.obscore "
                     "WHERE SPECTRAL_WINDOW_OVERLAPS(frequency_support, 230.538, 230.538) = 1").to_table()


def covers(support, ghz):
    for window in str(support).split(" U "):
        low, high = window.lstrip("[").split("GHz")[0].split("..")
        if float(low) <= ghz <= float(high):
            return True
    return False


check(len(on_line) > 0 and all(covers(s, 230.538) for s in on_line["frequency_support"]),
      f"{len(on_line)} rows with a spectral window on 230.538 GHz")

# TAP_SCHEMA as the ALMA school notebooks use it: one row per column name
meta = tap.search("SELECT column_name, datatype, unit, ucd, utype, description from TAP_SCHEMA.columns "
                  "WHERE table_name = 'ivoa.obscore'").to_table().to_pandas().set_index("column_name")
check(meta.loc["frequency", "unit"] == "GHz", "TAP_SCHEMA frequency unit")

print(f"pyvo TAP: {passed()} checks passed")
