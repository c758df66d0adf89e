"""ALminer 0.1.3 against the service, as its users call it: get_units and get_description
read `SELECT column_name, ... FROM TAP_SCHEMA.columns` (no table filter) into a pandas frame
indexed by column name, so every column name must appear once in that answer. ALminer
hard-codes the ALMA sites' TAP URLs: its one service function is pointed at this service.

usage: python metadata.py BASE_URL    (exit status 0 when every check holds)
"""
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # ALminer imports pyplot; no display here
import alminer  # noqa: E402
import alminer.alminer as alminer_module  # noqa: E402
from pyvo.dal import tap  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base = sys.argv[1].rstrip("/")
alminer_module._set_service = lambda tap_service="ESO": tap.TAPService(base + "/tap")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    units = {column: alminer.get_units(column) for column in ["s_ra", "s_dec", "frequency", "s_fov", "t_exptime"]}
    check(units["s_ra"] == "deg", f"get_units('s_ra') gave {units['s_ra']!r}")
    check(units["s_dec"] == "deg", f"get_units('s_dec') gave {units['s_dec']!r}")
    check(units["frequency"] == "GHz", f"get_units('frequency') gave {units['frequency']!r}")
    check(all(isinstance(u, str) for u in units.values()), f"units are strings: {units}")
    # a column ALminer renames: its own table answers
    check(alminer.get_units("RAJ2000") == "deg", "get_units('RAJ2000')")
    # get_description maps its own names to the service's columns: one string each
    expected = tap.TAPService(base + "/tap").search(
        "SELECT description FROM TAP_SCHEMA.columns WHERE table_name = 'ivoa.obscore' AND column_name = 's_ra'"
    ).to_table()["description"][0]
    description = alminer.get_description("RAJ2000")
    check(isinstance(description, str) and description == str(expected),
          f"get_description('RAJ2000') gave {description!r}, TAP_SCHEMA says {expected!r}")

print(f"ALminer metadata: {passed()} checks passed")
