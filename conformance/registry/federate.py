"""Federating archives: one ObsCore query sent to several TAP services with pyvo, the rows
tagged with the service they came from and stacked into one astropy table.

    federate.py [--check] TAP_URL [TAP_URL ...]    e.g. federate.py http://127.0.0.1:8080/tap

Prints, as JSON, the number of rows from each service and in the union. With --check it also
asserts that the union holds every row of each service (by obs_id) and has the
ObsCore 1.1 optional columns asked for; exit status 1 if not.
"""

import argparse
import json
import sys
import warnings

import pyvo
from astropy.table import vstack
from astropy.utils.metadata import MergeConflictWarning

OPTIONAL = ["obs_creator_did", "target_class", "dataproduct_subtype", "s_pixel_scale",
            "em_ucd", "preview", "source_table"]
COLUMNS = ["obs_publisher_did", "obs_id", "obs_collection", "s_ra", "s_dec", "em_min", "em_max"] + OPTIONAL
QUERY = f"SELECT {', '.join(COLUMNS)} FROM ivoa.obscore"

parser = argparse.ArgumentParser(description="One ObsCore query over several TAP services.")
parser.add_argument("urls", nargs="+", metavar="TAP_URL")
parser.add_argument("--check", action="store_true", help="assert the union is complete")
args = parser.parse_args()

tables = []
for url in args.urls:
    service = pyvo.dal.TAPService(url)
    result = service.run_sync(QUERY, maxrec=service.hardlimit)  # as many rows as it gives
    if result.query_status == "OVERFLOW":
        print(f"note: {url} gave its first {len(result)} rows only", file=sys.stderr)
    table = result.to_table()
    table["service"] = url  # where each row came from
    tables.append(table)

with warnings.catch_warnings():  # the services' table descriptions differ; the rows do not
    warnings.simplefilter("ignore", MergeConflictWarning)
    union = vstack(tables, join_type="outer")

counts = {url: len(t) for url, t in zip(args.urls, tables)}
print(json.dumps({"rows": counts, "union": len(union)}))

if args.check:
    problems = [f"column {c} missing" for c in COLUMNS + ["service"] if c not in union.colnames]
    for url, table in zip(args.urls, tables):
        mine = union[union["service"] == url]
        if sorted(map(str, mine["obs_id"])) != sorted(map(str, table["obs_id"])):
            problems.append(f"the union lacks rows of {url}")
    if len(union) != sum(counts.values()):
        problems.append(f"the union has {len(union)} rows, the services {sum(counts.values())}")
    for problem in problems:
        print(f"FAILED: {problem}")
    if problems:
        sys.exit(1)
    print(f"ok: the union of {len(args.urls)} services has every row of each and the ObsCore 1.1 optional columns")
