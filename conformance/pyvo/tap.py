"""pyvo against the service's TAP endpoint, as a pyvo user works: search, MAXREC overflow,
error reporting, an upload join, the tables and capabilities documents.

usage: python tap.py BASE_URL    (exit status 0 when every check holds)
"""
import sys
import warnings

import numpy as np
import pyvo
from astropy.table import Table

base = sys.argv[1].rstrip("/")
tap = pyvo.dal.TAPService(base + "/tap")
checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        raise AssertionError(message)


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
check(set(joined["proposal_id"]) == set(mine["prop_id"]), "the join matched on the uploaded codes")

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
check(len(columns) == 71 and "lastModified" in columns, f"{len(columns)} obscore columns")
check(tap.maxrec is not None and tap.hardlimit is not None and tap.maxrec <= tap.hardlimit, f"limits {tap.maxrec} {tap.hardlimit}")
check(any("upload-inline" in str(m.ivo_id) for m in tap.upload_methods), "inline upload advertised")
languages = [lang.name for lang in tap.get_tap_capability().languages]
check(languages == ["ADQL"], f"languages {languages}")

# TAP_SCHEMA as the ALMA school notebooks use it: one row per column name
meta = tap.search("SELECT column_name, datatype, unit, ucd, utype, description from TAP_SCHEMA.columns "
                  "WHERE table_name = 'ivoa.obscore'").to_table().to_pandas().set_index("column_name")
check(meta.loc["frequency", "unit"] == "GHz", "TAP_SCHEMA frequency unit")

print(f"pyvo TAP: {checks} checks passed")
