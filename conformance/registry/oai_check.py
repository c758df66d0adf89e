"""The publishing registry (OAI-PMH 2.0 at BASE/oai) as a harvester and a registry validator
see it, and the VOSI capabilities of the services it describes.

    oai_check.py BASE          e.g. oai_check.py http://127.0.0.1:8080
    oai_check.py --self-test   the schemas and the hand-written samples in samples/, no server

Each check prints what it saw; the first that fails ends the run with exit status 1.
- every answer is HTTP 200, text/xml and valid against OAI-PMH.xsd, which here validates the
  records inside it too (processContents="strict"): ri:Resource against VOResource 1.1,
  VODataService 1.2, TAPRegExt 1.0, VORegistry 1.1, SIA (SimpleDALRegExt) and
  RegistryInterface 1.0, oai_dc:dc against oai_dc; each record is also validated on its own,
  named by its IVOID;
- Identify: protocolVersion 2.0, seconds granularity, deleted records kept, baseURL; its
  description holds the registry's own vg:Registry record, with a vg:Harvest capability
  (vg:OAIHTTP interface at baseURL) and its managed authorities;
- ListMetadataFormats has ivo_vor and oai_dc, ListSets has ivo_managed;
- ListIdentifiers and ListRecords in both formats, with and without set=ivo_managed, walked
  through every resumption token (no page larger than vg:Harvest's maxRecords, the last token
  empty, cursor and completeListSize right, a token asked again gives the same page); every
  datestamp at seconds granularity and not before earliestDatestamp; every identifier under a
  managed authority, each managed authority with its vg:Authority record;
- GetRecord of every identifier in both formats equals its ListRecords record;
- this archive's records: the authority, its organisation, the registry, TAP (TAPRegExt
  capability, tableset, coverage: a MOC, MJD intervals, Joules), SIA 2.0, DataLink, SODA;
- from/until select by datestamp (seconds and day granularity, inclusive);
- the protocol's errors: badVerb, badArgument (missing, illegal, repeated and extra
  arguments, bad dates, mixed granularities, from after until), cannotDisseminateFormat,
  idDoesNotExist, badResumptionToken, noRecordsMatch;
- POST (form) answers as GET does;
- BASE/{tap,sia2,datalink,soda}/capabilities validate against VOSICapabilities and the
  extension schemas, and declare what the service's record declares.

The schemas are read from schemas/ beside this script (schemas/README.md says where each comes
from); nothing is fetched from the network.
"""

import copy
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from lxml import etree
from mocpy import MOC

HERE = Path(__file__).resolve().parent
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ri": "http://www.ivoa.net/xml/RegistryInterface/v1.0",
    "vr": "http://www.ivoa.net/xml/VOResource/v1.0",
    "vs": "http://www.ivoa.net/xml/VODataService/v1.1",
    "vg": "http://www.ivoa.net/xml/VORegistry/v1.0",
    "tr": "http://www.ivoa.net/xml/TAPRegExt/v1.0",
    "sia": "http://www.ivoa.net/xml/SIA/v1.1",
    "vosi": "http://www.ivoa.net/xml/VOSICapabilities/v1.0",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
PREFIX = {uri: prefix for prefix, uri in NS.items()}
XSI_TYPE = f"{{{NS['xsi']}}}type"
RESOURCE = f"{{{NS['ri']}}}Resource"
TOKEN = f"{{{NS['oai']}}}resumptionToken"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

# Every namespace the answers use, with its schema, in the order of their imports: a schema's
# own imports of a namespace already loaded are skipped, so none of their (remote) locations
# is read.
SCHEMAS = [
    ("http://www.w3.org/XML/1998/namespace", "xmlnamespace.xsd"),
    ("http://www.w3.org/1999/xlink", "xlink.xsd"),
    ("http://www.ivoa.net/xml/STC/stc-v1.30.xsd", "stc-v1.30.xsd"),
    (NS["vr"], "VOResource-v1.1.xsd"),
    (NS["vs"], "VODataService-v1.2.xsd"),
    (NS["tr"], "TAPRegExt-v1.0-Erratum1.xsd"),
    (NS["vg"], "VORegistry.xsd"),
    (NS["sia"], "SIA.xsd"),
    (NS["ri"], "RegistryInterface.xsd"),
    (NS["vosi"], "VOSICapabilities-v1.0.xsd"),
    (NS["dc"], "simpledc20021212.xsd"),
    (NS["oai_dc"], "oai_dc.xsd"),
    (NS["oai"], "OAI-PMH.xsd"),
]


def check(condition, what, detail=""):
    if not condition:
        print(f"FAILED: {what}" + (f" — {detail}" if detail else ""))
        sys.exit(1)
    print(f"ok: {what}")


class Offline(etree.Resolver):
    """Refuses every location that is not a local file."""

    def resolve(self, url, pubid, context):
        if not url.startswith("file:"):
            raise OSError(f"a schema asked for {url}; every schema must be in {HERE / 'schemas'}")
        return None


def load_schema():
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Offline())
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(HERE / "schemas" / name).as_uri()}"/>'
        for ns, name in SCHEMAS
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(driver, parser))


SCHEMA = load_schema()
PARSER = etree.XMLParser(no_network=True, resolve_entities=False)


def as_document(element):
    """A copy of `element` as the root of its own document, with every namespace in scope
    declared (xsi:type values name their types by prefix)."""
    root = etree.Element(element.tag, nsmap=element.nsmap, attrib=dict(element.attrib))
    root.text = element.text
    for child in element:
        root.append(copy.deepcopy(child))
    return root


def schema_error(node):
    """None when `node` validates, else the first error."""
    if SCHEMA.validate(node):
        return None
    e = SCHEMA.error_log[0]
    return f"line {e.line}: {e.message}"


def type_of(element):
    """xsi:type as prefix:name with this script's prefixes (None without one)."""
    value = element.get(XSI_TYPE)
    if value is None:
        return None
    prefix, _, local = value.rpartition(":")
    uri = element.nsmap.get(prefix or None)
    return f"{PREFIX.get(uri, '{%s}' % uri)}:{local}"


def valid_record(resource, what):
    check(type_of(resource) is not None, f"{what} has an xsi:type ({type_of(resource)})")
    error = schema_error(as_document(resource))
    check(error is None, f"{what} is valid VOResource ({type_of(resource)})", error)


def canonical(element):
    return etree.tostring(element, method="c14n", exclusive=True)


def parse_datestamp(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def datestamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def capabilities(resource):
    """(standardID, xsi:type) of each capability of a record."""
    return [(c.get("standardID"), type_of(c)) for c in resource.findall("capability")]


def check_coverage(resource, what):
    """VODataService 1.2 coverage: an ASCII MOC, MJD intervals, intervals in Joules."""
    coverage = resource.find("coverage")
    check(coverage is not None, f"{what} has a coverage")
    spatial = coverage.find("spatial")
    check(spatial is not None, f"{what}: coverage/spatial is there")
    try:
        moc = MOC.from_str(spatial.text.strip())
    except Exception as e:  # mocpy says why it cannot read it
        check(False, f"{what}: coverage/spatial is an ASCII MOC", str(e))
    check(not moc.empty(), f"{what}: coverage/spatial is an ASCII MOC, not empty (order {moc.max_order})")
    temporal = [tuple(map(float, t.text.split())) for t in coverage.findall("temporal")]
    check(temporal and all(40000 < a <= b < 100000 for a, b in temporal),
          f"{what}: coverage/temporal in MJD {temporal}")
    spectral = [tuple(map(float, s.text.split())) for s in coverage.findall("spectral")]
    ghz = [(round(a / 6.62607015e-34 / 1e9, 1), round(b / 6.62607015e-34 / 1e9, 1)) for a, b in spectral]
    check(spectral and all(1e-30 < a <= b < 1e-10 for a, b in spectral),
          f"{what}: coverage/spectral in Joules {spectral} (photons of {ghz} GHz)")


# ---- HTTP ----------------------------------------------------------------------------------

def http(url, params=(), method="GET"):
    """(status, media type, body); errors are answers too."""
    query = urllib.parse.urlencode(list(params))
    if method == "GET":
        request = urllib.request.Request(url + ("?" + query if query else ""))
    else:
        request = urllib.request.Request(
            url, data=query.encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()
    except OSError as e:
        check(False, f"{url} answers", str(e))


def oai(params, method="GET"):
    """The root of a valid OAI-PMH answer to `params` (pairs)."""
    label = f"{method} {urllib.parse.urlencode(list(params)) or '(no arguments)'}"
    status, media, body = http(OAI, params, method)
    problem = None
    if status != 200:
        problem = f"HTTP {status}: {body[:300]!r}"
    elif media.split(";")[0].strip() != "text/xml":
        problem = f"Content-Type {media!r}"
    else:
        try:
            root = etree.fromstring(body, PARSER)
        except etree.XMLSyntaxError as e:
            problem = f"not XML: {e}"
        else:
            problem = schema_error(root)
            for resource in root.iter(RESOURCE) if problem else ():  # name the record at fault
                error = schema_error(as_document(resource))
                if error:
                    problem = f"the record {resource.findtext('identifier')}: {error}"
                    break
    check(problem is None, f"{label}: HTTP 200, text/xml, valid OAI-PMH", problem)
    request = root.find("oai:request", NS)
    if BASE_URL:
        check((request.text or "").strip() == BASE_URL, f"{label}: <request> names the base URL",
              request.text)
    return root


def errors_of(root):
    return [(e.get("code"), (e.text or "").strip()) for e in root.findall("oai:error", NS)]


def expect_error(params, code, why, method="GET"):
    root = oai(params, method)
    found = errors_of(root)
    check(code in [c for c, _ in found], f"{why}: {code}", f"got {found or 'no error'}")
    if code in ("badVerb", "badArgument"):
        attributes = dict(root.find("oai:request", NS).attrib)
        check(not attributes, f"{why}: <request> has no attributes with {code}", attributes)


def answer(params, verb, method="GET"):
    """The verb's element of an answer that must not be an error."""
    root = oai(params, method)
    found = errors_of(root)
    check(not found, f"{verb} answers without an error", found)
    return root.find(f"oai:{verb}", NS)


def walk(verb, args, method="GET"):
    """Every item (record, header or set) of a list verb, following resumption tokens:
    (items, number of pages, tokens)."""
    params = [("verb", verb)] + list(args)
    items, pages, tokens, size = [], [], [], None
    while True:
        body = answer(params, verb, method)
        page = [c for c in body if c.tag != TOKEN]
        token = body.find("oai:resumptionToken", NS)
        where = f"{verb} page {len(pages) + 1}"
        if MAX_RECORDS and verb != "ListSets":
            check(len(page) <= MAX_RECORDS, f"{where}: {len(page)} items, at most maxRecords {MAX_RECORDS}")
        if token is not None and token.get("cursor") is not None:
            check(int(token.get("cursor")) == len(items),
                  f"{where}: cursor {token.get('cursor')} counts the items before it ({len(items)})")
        if token is not None and token.get("completeListSize") is not None:
            size = int(token.get("completeListSize"))
        items += page
        pages.append([canonical(i) for i in page])
        text = (token.text or "").strip() if token is not None else ""
        if not text:
            if len(pages) > 1:
                check(token is not None, f"{verb}: the last of {len(pages)} pages has an empty resumptionToken")
            break
        check(text not in tokens and len(pages) < 1000, f"{where}: a new resumption token {text!r}")
        tokens.append(text)
        params = [("verb", verb), ("resumptionToken", text)]
    if size is not None:
        check(size == len(items), f"{verb}: completeListSize {size} = {len(items)} items")
    if tokens:  # OAI-PMH 3.5.1: a token asked again gives the same page
        again = answer([("verb", verb), ("resumptionToken", tokens[0])], verb, method)
        check([canonical(c) for c in again if c.tag != TOKEN] == pages[1],
              f"{verb}: the first resumption token asked again gives the same page")
    return items, len(pages), tokens


def header_of(item):
    """(identifier, datestamp, set specs, deleted) of a header or a record."""
    header = item if item.tag == f"{{{NS['oai']}}}header" else item.find("oai:header", NS)
    return (header.findtext("oai:identifier", namespaces=NS).strip(),
            header.findtext("oai:datestamp", namespaces=NS).strip(),
            sorted(s.text for s in header.findall("oai:setSpec", NS)),
            header.get("status") == "deleted")


# ---- the self-test -------------------------------------------------------------------------

def self_test():
    """The schemas load offline; the samples validate; broken copies of them do not."""
    samples = HERE / "samples"
    print(f"ok: {len(SCHEMAS)} schemas loaded from {HERE / 'schemas'}, nothing fetched")
    docs = {}
    for name in ("identify.xml", "listrecords.xml", "listrecords_dc.xml", "capabilities.xml"):
        docs[name] = etree.parse(str(samples / name), PARSER).getroot()
        check(schema_error(docs[name]) is None, f"samples/{name} is valid", schema_error(docs[name]))
        for resource in docs[name].iter(RESOURCE):
            valid_record(resource, f"samples/{name}: {resource.findtext('identifier')}")
        for dc in docs[name].iter(f"{{{NS['oai_dc']}}}dc"):
            check(schema_error(as_document(dc)) is None, f"samples/{name}: oai_dc:dc is valid on its own")
    tap = [r for r in docs["listrecords.xml"].iter(RESOURCE) if r.findtext("identifier").endswith("/tap")][0]
    check_coverage(tap, "samples/listrecords.xml: the TAP record")

    def broken(name, change, what):
        doc = copy.deepcopy(docs[name])
        change(doc)
        error = schema_error(doc)
        check(error is not None, f"{what} is found invalid ({error})", "it validated")

    def find(doc, path):
        return doc.find(path, NS)

    broken("identify.xml", lambda d: find(d, ".//ri:Resource").insert(4, find(d, ".//ri:Resource/full")),
           "vg:Registry with <full> before its capability")
    broken("identify.xml", lambda d: find(d, ".//oai:granularity").__setattr__("text", "YYYY"),
           "an unknown granularity")
    broken("listrecords.xml", lambda d: find(d, ".//coverage/spectral").__setattr__("text", "1e-23 2e-23 3e-23"),
           "coverage/spectral with three numbers")
    broken("listrecords.xml", lambda d: find(d, ".//ri:Resource").remove(find(d, ".//ri:Resource/managingOrg")),
           "vg:Authority without managingOrg")
    broken("listrecords.xml", lambda d: find(d, ".//capability[@standardID='ivo://ivoa.net/std/TAP']").set("standardID", "ivo://ivoa.net/std/ConeSearch"),
           "tr:TableAccess with another standardID")
    broken("listrecords_dc.xml", lambda d: etree.SubElement(find(d, ".//oai_dc:dc"), f"{{{NS['dc']}}}colour"),
           "oai_dc:dc with a non-DC element")
    broken("capabilities.xml", lambda d: find(d, "capability").remove(find(d, "capability/imageServiceType")),
           "sia:SimpleImageAccess without imageServiceType")
    print("self-test: every check held")


if sys.argv[1:] == ["--self-test"]:
    self_test()
    sys.exit(0)
if len(sys.argv) != 2:
    sys.exit(__doc__)

BASE = sys.argv[1].rstrip("/")
OAI = BASE + "/oai"
BASE_URL = None  # Identify's baseURL, once known
MAX_RECORDS = None  # vg:Harvest's maxRecords, once known

# ---- Identify ------------------------------------------------------------------------------

identify = answer([("verb", "Identify")], "Identify")
BASE_URL = identify.findtext("oai:baseURL", namespaces=NS).strip()
check(BASE_URL.endswith("/oai"), f"baseURL {BASE_URL} is the OAI endpoint")
check(identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0", "protocolVersion 2.0")
check(identify.findtext("oai:granularity", namespaces=NS) == GRANULARITY,
      f"granularity {GRANULARITY} (Registry Interfaces 1.1, Time Granularity)")
deleted_policy = identify.findtext("oai:deletedRecord", namespaces=NS)
check(deleted_policy == "persistent", f"deletedRecord {deleted_policy}")
earliest = identify.findtext("oai:earliestDatestamp", namespaces=NS)
check(SECONDS.match(earliest), f"earliestDatestamp {earliest} at seconds granularity")
described = [r for d in identify.findall("oai:description", NS) for r in d.findall("ri:Resource", NS)]
check(len(described) == 1, f"Identify's description holds one ri:Resource ({len(described)})")
registry = described[0]
valid_record(registry, f"Identify's record {registry.findtext('identifier')}")
check(type_of(registry) == "vg:Registry", f"Identify's record is a vg:Registry ({type_of(registry)})")
managed = [m.text.strip() for m in registry.findall("managedAuthority")]
check(managed, f"the registry manages {managed}")
AUTHORITY = managed[0]
harvest = [c for c in registry.findall("capability") if type_of(c) == "vg:Harvest"]
check(len(harvest) == 1, "the registry has one vg:Harvest capability")
check(harvest[0].get("standardID") == "ivo://ivoa.net/std/Registry",
      f"vg:Harvest's standardID {harvest[0].get('standardID')}")
oaihttp = [i for i in harvest[0].findall("interface") if type_of(i) == "vg:OAIHTTP" and i.get("role") == "std"]
check(oaihttp, "vg:Harvest has a vg:OAIHTTP interface with role std")
check(BASE_URL in [u.text.strip() for u in oaihttp[0].findall("accessURL")],
      f"vg:OAIHTTP's accessURL is the baseURL {BASE_URL}")
MAX_RECORDS = int(harvest[0].findtext("maxRecords"))
check(MAX_RECORDS > 0, f"vg:Harvest's maxRecords {MAX_RECORDS} (the page size)")
if not {s for s, _ in capabilities(registry)} >= {"ivo://ivoa.net/std/VOSI#capabilities", "ivo://ivoa.net/std/VOSI#availability"}:
    print("note: the registry's record declares no VOSI capabilities and availability (Registry Interfaces 1.1 asks for them, in Describing Registries)")

# ---- ListMetadataFormats, ListSets ---------------------------------------------------------

formats = answer([("verb", "ListMetadataFormats")], "ListMetadataFormats")
namespaces = {f.findtext("oai:metadataPrefix", namespaces=NS): f.findtext("oai:metadataNamespace", namespaces=NS)
              for f in formats.findall("oai:metadataFormat", NS)}
check(namespaces.get("ivo_vor") == NS["ri"], f"ivo_vor's namespace is RegistryInterface ({namespaces.get('ivo_vor')})")
check(namespaces.get("oai_dc") == NS["oai_dc"], f"oai_dc's namespace ({namespaces.get('oai_dc')})")
registry_id = registry.findtext("identifier").strip()
formats = answer([("verb", "ListMetadataFormats"), ("identifier", registry_id)], "ListMetadataFormats")
check({"ivo_vor", "oai_dc"} <= {f.findtext("oai:metadataPrefix", namespaces=NS) for f in formats.findall("oai:metadataFormat", NS)},
      f"ListMetadataFormats of {registry_id}: ivo_vor and oai_dc")
sets, _, _ = walk("ListSets", [])
check("ivo_managed" in [s.findtext("oai:setSpec", namespaces=NS) for s in sets], "ListSets has ivo_managed")

# ---- the lists, every page -----------------------------------------------------------------

headers, pages, tokens = walk("ListIdentifiers", [("metadataPrefix", "ivo_vor")])
listed = {header_of(h)[0]: header_of(h) for h in headers}
check(len(listed) == len(headers), f"ListIdentifiers: {len(headers)} headers, no identifier twice")
check(len(headers) <= MAX_RECORDS or pages > 1, f"ListIdentifiers: {len(headers)} headers on {pages} pages")
for ivoid, stamp, specs, deleted in listed.values():
    check(SECONDS.match(stamp) and stamp >= earliest,
          f"{ivoid}: datestamp {stamp} at seconds granularity, not before earliestDatestamp")
    check(ivoid.startswith("ivo://") and ivoid[6:].split("/")[0] in managed,
          f"{ivoid} is under a managed authority")
check(registry_id in listed, f"the registry's own record {registry_id} is listed")

dc_headers, _, _ = walk("ListIdentifiers", [("metadataPrefix", "oai_dc")])
check(sorted(header_of(h) for h in dc_headers) == sorted(listed.values()),
      "ListIdentifiers in oai_dc has the same headers")

resources, listed_records = {}, None
for set_args in ([], [("set", "ivo_managed")]):
    records, pages, _ = walk("ListRecords", [("metadataPrefix", "ivo_vor")] + set_args)
    listed_records = listed_records or records
    label = "ListRecords ivo_vor" + (" set=ivo_managed" if set_args else "")
    check(sorted(header_of(r) for r in records) == sorted(listed.values()),
          f"{label}: {len(records)} records on {pages} pages, the headers of ListIdentifiers")
    for record in records:
        ivoid, stamp, specs, deleted = header_of(record)
        metadata = record.find("oai:metadata", NS)
        if deleted:
            check(metadata is None, f"{label}: deleted {ivoid} has no metadata")
            continue
        check("ivo_managed" in specs, f"{label}: {ivoid} is in set ivo_managed")
        found = metadata.findall("ri:Resource", NS) if metadata is not None else []
        check(len(found) == 1, f"{label}: {ivoid}'s metadata is one ri:Resource")
        check(found[0].findtext("identifier").strip() == ivoid, f"{label}: {ivoid}'s record has that identifier")
        if not set_args:
            valid_record(found[0], ivoid)
            resources[ivoid] = found[0]
        else:
            check(canonical(found[0]) == canonical(resources[ivoid]), f"{label}: {ivoid} as without the set")
check(canonical(resources[registry_id]) == canonical(registry), "the registry's record in ListRecords is Identify's")
for authority in managed:
    record = resources.get(f"ivo://{authority}")
    check(record is not None and type_of(record) == "vg:Authority",
          f"managed authority {authority} has its vg:Authority record")

dc_records, pages, _ = walk("ListRecords", [("metadataPrefix", "oai_dc")])
check(sorted(header_of(r) for r in dc_records) == sorted(listed.values()),
      f"ListRecords oai_dc: {len(dc_records)} records on {pages} pages, the same headers")
dc_of = {}
for record in dc_records:
    ivoid, _, _, deleted = header_of(record)
    if not deleted:
        dc = record.findall("oai:metadata/oai_dc:dc", NS)
        check(len(dc) == 1 and schema_error(as_document(dc[0])) is None, f"oai_dc of {ivoid} is a valid oai_dc:dc")
        dc_of[ivoid] = dc[0]

# ---- GetRecord -----------------------------------------------------------------------------

for ivoid, head in listed.items():
    for prefix, expected in (("ivo_vor", resources), ("oai_dc", dc_of)):
        got = answer([("verb", "GetRecord"), ("identifier", ivoid), ("metadataPrefix", prefix)], "GetRecord")
        record = got.find("oai:record", NS)
        check(header_of(record) == head, f"GetRecord {ivoid} {prefix}: the header of ListIdentifiers")
        if not head[3]:
            inside = record.find("oai:metadata", NS)[0]
            check(canonical(inside) == canonical(expected[ivoid]), f"GetRecord {ivoid} {prefix}: the record of ListRecords")

# ---- this archive's records ----------------------------------------------------------------

root_id = f"ivo://{AUTHORITY}"
for suffix, wanted in (("", "vg:Authority"), ("/org", "vr:Organisation"), ("/registry", "vg:Registry"),
                       ("/tap", "vs:CatalogService"), ("/sia2", None), ("/datalink", None), ("/soda", None)):
    check(root_id + suffix in resources, f"{root_id + suffix} is published")
    if wanted:
        check(type_of(resources[root_id + suffix]) == wanted,
              f"{root_id + suffix} is a {wanted} ({type_of(resources[root_id + suffix])})")
tap = resources[root_id + "/tap"]
check(("ivo://ivoa.net/std/TAP", "tr:TableAccess") in capabilities(tap), "the TAP record has a tr:TableAccess capability")
tables = [t.findtext("name") for t in tap.findall("tableset/schema/table")]
check("ivoa.obscore" in tables, f"the TAP record's tableset has ivoa.obscore ({len(tables)} tables)")
check_coverage(tap, "the TAP record")
check(("ivo://ivoa.net/std/SIA#query-2.0", "sia:SimpleImageAccess") in capabilities(resources[root_id + "/sia2"]),
      "the SIA record has a sia:SimpleImageAccess capability, standardID SIA#query-2.0")
EXPECTED = {
    "tap": {"ivo://ivoa.net/std/TAP"},
    "sia2": {"ivo://ivoa.net/std/SIA#query-2.0"},
    "datalink": {"ivo://ivoa.net/std/DataLink#links-1.1"},
    "soda": {"ivo://ivoa.net/std/SODA#sync-1.0", "ivo://ivoa.net/std/SODA#async-1.0"},
}
for service, ids in EXPECTED.items():
    declared = {s for s, _ in capabilities(resources[f"{root_id}/{service}"])}
    check(ids <= declared, f"the {service} record declares {sorted(ids)}", sorted(declared))

# ---- from and until ------------------------------------------------------------------------

def selected(args):
    """The identifiers ListIdentifiers gives for `args`, every page."""
    items, _, _ = walk("ListIdentifiers", [("metadataPrefix", "ivo_vor")] + args)
    return sorted(header_of(h)[0] for h in items)


def between(low, high):
    return sorted(i for i, (_, s, _, _) in listed.items() if low <= s <= high)


stamps = sorted({s for _, s, _, _ in listed.values()})
low, high = stamps[0], stamps[-1]
check(selected([("from", low), ("until", high)]) == sorted(listed), f"from={low} until={high}: every record")
check(selected([("from", high)]) == between(high, "9999"), f"from={high}: the records of {high}")
check(selected([("until", low)]) == between("0000", low), f"until={low}: the records of {low}")
for middle in stamps[1:-1][:2]:
    check(selected([("from", middle)]) == between(middle, "9999"), f"from={middle}: the records from then")
    check(selected([("until", middle)]) == between("0000", middle), f"until={middle}: the records until then")
check(selected([("from", low[:10]), ("until", high[:10])]) == sorted(listed),
      f"from={low[:10]} until={high[:10]} (day granularity, inclusive): every record")
after = datestamp(parse_datestamp(high) + timedelta(seconds=1))
before = datestamp(parse_datestamp(low) - timedelta(seconds=1))
future = datestamp(datetime.now(timezone.utc) + timedelta(days=365))
for verb in ("ListIdentifiers", "ListRecords"):
    expect_error([("verb", verb), ("metadataPrefix", "ivo_vor"), ("from", after)], "noRecordsMatch", f"{verb} from={after}")
    expect_error([("verb", verb), ("metadataPrefix", "ivo_vor"), ("from", future)], "noRecordsMatch", f"{verb} from a year ahead")
expect_error([("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor"), ("until", before)], "noRecordsMatch",
             f"ListIdentifiers until={before}")

# ---- the protocol's errors -----------------------------------------------------------------

missing = f"ivo://{AUTHORITY}/no-such-resource"
LIST = [("verb", "ListRecords"), ("metadataPrefix", "ivo_vor")]
for params, code, why in [
    ([], "badVerb", "no verb"),
    ([("verb", "Explode")], "badVerb", "an unknown verb"),
    ([("verb", "Identify"), ("verb", "Identify")], "badVerb", "a repeated verb"),
    ([("verb", "Identify"), ("metadataPrefix", "ivo_vor")], "badArgument", "Identify with an argument"),
    ([("verb", "ListRecords")], "badArgument", "ListRecords without metadataPrefix"),
    ([("verb", "ListIdentifiers")], "badArgument", "ListIdentifiers without metadataPrefix"),
    (LIST + [("identifier", registry_id)], "badArgument", "ListRecords with identifier"),
    (LIST + [("metadataPrefix", "ivo_vor")], "badArgument", "a repeated metadataPrefix"),
    (LIST + [("colour", "red")], "badArgument", "an unknown argument"),
    ([("verb", "GetRecord"), ("metadataPrefix", "ivo_vor")], "badArgument", "GetRecord without identifier"),
    ([("verb", "GetRecord"), ("identifier", registry_id)], "badArgument", "GetRecord without metadataPrefix"),
    (LIST + [("from", "2020-13-45")], "badArgument", "from=2020-13-45"),
    (LIST + [("from", "yesterday")], "badArgument", "from=yesterday"),
    (LIST + [("from", "2020-01-01T00:00:00")], "badArgument", "a datestamp without Z"),
    (LIST + [("from", "2020-01-01T00:00:00.5Z")], "badArgument", "a datestamp finer than seconds"),
    (LIST + [("from", "2020-01-01"), ("until", "2030-01-01T00:00:00Z")], "badArgument", "from and until of two granularities"),
    (LIST + [("from", after), ("until", high)], "badArgument", "from after until"),
    ([("verb", "ListRecords"), ("metadataPrefix", "marc21")], "cannotDisseminateFormat", "ListRecords in marc21"),
    ([("verb", "GetRecord"), ("identifier", registry_id), ("metadataPrefix", "marc21")], "cannotDisseminateFormat", "GetRecord in marc21"),
    ([("verb", "GetRecord"), ("identifier", missing), ("metadataPrefix", "ivo_vor")], "idDoesNotExist", f"GetRecord {missing}"),
    ([("verb", "ListMetadataFormats"), ("identifier", missing)], "idDoesNotExist", f"ListMetadataFormats {missing}"),
    ([("verb", "ListRecords"), ("resumptionToken", "not-a-token")], "badResumptionToken", "ListRecords with a made-up token"),
    ([("verb", "ListIdentifiers"), ("resumptionToken", "not-a-token")], "badResumptionToken", "ListIdentifiers with a made-up token"),
]:
    expect_error(params, code, why)
if tokens:
    expect_error([("verb", "ListIdentifiers"), ("resumptionToken", tokens[0]), ("metadataPrefix", "ivo_vor")],
                 "badArgument", "a resumptionToken with another argument")

# ---- POST as GET ---------------------------------------------------------------------------

def comparable(root):
    """An answer without what may differ between two asks (responseDate, token expiry)."""
    root = copy.deepcopy(root)
    root.remove(root.find("oai:responseDate", NS))
    for token in root.iter(TOKEN):  # a token may be minted anew at each ask
        token.attrib.pop("expirationDate", None)
        token.text = "token" if (token.text or "").strip() else None
    return canonical(root)


for params in ([("verb", "Identify")], [("verb", "ListMetadataFormats")], [("verb", "ListSets")],
               [("verb", "ListIdentifiers"), ("metadataPrefix", "ivo_vor")],
               [("verb", "GetRecord"), ("identifier", registry_id), ("metadataPrefix", "ivo_vor")],
               [("verb", "ListRecords")], [("verb", "Explode")]):
    check(comparable(oai(params, "POST")) == comparable(oai(params)), f"POST {urllib.parse.urlencode(params)} answers as GET")
posted, _, _ = walk("ListRecords", [("metadataPrefix", "ivo_vor")], "POST")
check(sorted(map(canonical, posted)) == sorted(map(canonical, listed_records)),
      "ListRecords by POST, every page: the records of GET")

# ---- VOSI capabilities ---------------------------------------------------------------------

for service, ids in EXPECTED.items():
    url = f"{BASE}/{service}/capabilities"
    status, media, body = http(url)
    check(status == 200 and media.split(";")[0].strip() in ("text/xml", "application/xml"),
          f"{url}: HTTP 200, XML", f"{status} {media}")
    root = etree.fromstring(body, PARSER)
    check(root.tag == f"{{{NS['vosi']}}}capabilities", f"{url}: a vosi:capabilities document", root.tag)
    check(schema_error(root) is None, f"{url} is valid (VOSICapabilities, VOResource, VODataService, TAPRegExt, SIA)",
          schema_error(root))
    declared = {c.get("standardID") for c in root.findall("capability")}
    check(ids <= declared, f"{url} declares {sorted(ids)}", sorted(declared))
    protocols = {s for s in declared if s and not s.startswith(("ivo://ivoa.net/std/VOSI", "ivo://ivoa.net/std/DALI"))}
    recorded = {s for s, _ in capabilities(resources[f"{root_id}/{service}"])}
    check(protocols <= recorded, f"the {service} record declares every protocol capability of {url}",
          f"missing {sorted(protocols - recorded)}")

print("oai_check: every check held")
