"""A harvest of the publishing registry as a searchable registry makes it: ListRecords of
ivo_vor in the set ivo_managed, through Sickle (PyPI's OAI-PMH harvester), every resumption
token followed.

    harvest.py BASE [--from DATESTAMP]     e.g. harvest.py http://127.0.0.1:8080 --from 2025-01-01T00:00:00Z

Prints one JSON object: the identifiers harvested, their datestamps, the number of pages
(OAI-PMH responses) it took, the xsi:type of each record, and the identifiers of deleted
records. A --from after every datestamp is noRecordsMatch: no identifiers, one page.
"""

import argparse
import json

from sickle import Sickle
from sickle.iterator import OAIResponseIterator
from sickle.oaiexceptions import NoRecordsMatch

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RI = "{http://www.ivoa.net/xml/RegistryInterface/v1.0}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

parser = argparse.ArgumentParser(description="Harvest the registry's ivo_managed records.")
parser.add_argument("base", help="the server's base URL (the OAI-PMH endpoint is BASE/oai)")
parser.add_argument("--from", dest="from_", metavar="DATESTAMP", help="only records changed since")
args = parser.parse_args()

harvester = Sickle(args.base.rstrip("/") + "/oai", iterator=OAIResponseIterator, timeout=60)
request = {"metadataPrefix": "ivo_vor", "set": "ivo_managed"}
if args.from_:
    request["from"] = args.from_

result = {"identifiers": [], "datestamps": {}, "pages": 0, "types": {}, "deleted": []}
try:
    for response in harvester.ListRecords(**request):  # one OAI-PMH response a page
        result["pages"] += 1
        for record in response.xml.iter(OAI + "record"):
            header = record.find(OAI + "header")
            ivoid = header.findtext(OAI + "identifier").strip()
            result["identifiers"].append(ivoid)
            result["datestamps"][ivoid] = header.findtext(OAI + "datestamp").strip()
            if header.get("status") == "deleted":
                result["deleted"].append(ivoid)
                continue
            resource = record.find(f"{OAI}metadata/{RI}Resource")
            result["types"][ivoid] = resource.get(XSI_TYPE)
except NoRecordsMatch:
    result["pages"] += 1

print(json.dumps(result))
