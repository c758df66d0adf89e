"""astroquery.alma against the service, pointed at it the way the client contract says
(instance attribute archive_url): query_tap, query_region, query by project code, science
keyword, band and frequency.

usage: python alma_tap.py BASE_URL
"""
import sys
from pathlib import Path
import warnings

import astropy.units as u
from astropy.coordinates import SkyCoord
from astroquery.alma import Alma

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402


warnings.simplefilter("ignore")
base = sys.argv[1].rstrip("/")
alma = Alma()
alma.archive_url = base


sample = alma.query_tap(
    "SELECT TOP 1 proposal_id, science_keyword, band_list, frequency, s_ra, s_dec, target_name "
    "FROM ivoa.obscore WHERE data_rights = 'Public' AND science_observation = 'T' ORDER BY obs_id"
).to_table()
check(len(sample) == 1, "a public science row exists")
row = sample[0]

by_code = alma.query({"project_code": str(row["proposal_id"])})
check(len(by_code) > 0 and set(by_code["proposal_id"]) == {row["proposal_id"]}, f"project code query gave {len(by_code)} rows")
check("lastModified" in by_code.colnames and "frequency_support" in by_code.colnames, "ALMA's columns in select *")

region = alma.query_region(SkyCoord(row["s_ra"] * u.deg, row["s_dec"] * u.deg), radius=0.01 * u.deg)
check(len(region) > 0, "query_region finds the row's field")
check(all(abs(r - row["s_ra"]) < 1 for r in region["s_ra"]), "query_region rows are near")

keyword = str(row["science_keyword"]).split(",")[0].strip()
by_keyword = alma.query({"science_keyword": keyword})
check(len(by_keyword) > 0, f"science keyword {keyword!r}")

band = str(row["band_list"]).split()[0]
by_band = alma.query({"band_list": band})
check(len(by_band) > 0 and all(band in str(b) for b in by_band["band_list"]), f"band {band}")

f = float(row["frequency"])
by_frequency = alma.query({"frequency": f"{f - 1:.2f}..{f + 1:.2f}"})
check(len(by_frequency) > 0, f"frequency range around {f}")

print(f"astroquery.alma: {passed()} checks passed")
