"""Hostile requests, each answered with a clear 4xx (never a 5xx, never data it should not
give): SQL injection through ADQL strings and identifiers, upload table and column names,
SIA2, SODA and DataLink parameters and the login form; path traversal through IDs, file
names, job and result ids; oversized and malformed uploads, bodies, headers and encodings.
Free-text values (SIA2 TARGET, COLLECTION…) are data: a quote in them is matched literally,
so the injection-shaped value finds nothing — where a successful injection (`OR '1'='1`)
would have found every row. The test around this script checks that the database is
unchanged afterwards.

usage: python attacks.py BASE_URL PUBLIC_FITS_NAME    (exit status 0 when every answer holds)
"""
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checks import check, passed  # noqa: E402

base, fits = sys.argv[1].rstrip("/"), sys.argv[2]
report = []


def message(response):
    """The error message of an answer: a DALI error document's, or a text's first line."""
    text = response.text
    if 'name="QUERY_STATUS" value="ERROR"' in text:
        after = text.split('name="QUERY_STATUS" value="ERROR"', 1)[1]
        return after.split(">", 1)[1].split("<", 1)[0].strip()
    return text.strip().splitlines()[0][:160] if text.strip() else ""


def expect(what, response, statuses, words=()):
    """One hostile request: a 4xx from `statuses`, with a message that says what is wrong."""
    ok = response.status_code in statuses and all(w.lower() in response.text.lower() for w in words)
    report.append(f"{response.status_code}  {what}: {message(response)[:140]}")
    check(ok, f"{what}: {response.status_code} {response.text[:300]!r}")
    check(response.status_code < 500, f"{what}: no 5xx")


def tap(query, **extra):
    return requests.post(base + "/tap/sync", data={"LANG": "ADQL", "QUERY": query, **extra})


# --- ADQL: strings, identifiers, statements, functions outside ADQL ------------------------
for what, query, words in [
    ("unbalanced quote then DROP", "SELECT * FROM ivoa.obscore WHERE obs_id = 'x'; DROP TABLE ivoa.obscore; --'", []),
    ("stacked statement", "SELECT TOP 1 obs_id FROM ivoa.obscore; DELETE FROM ivoa.obscore", []),
    ("delimited identifier with a quote", 'SELECT "obs_id""; DROP TABLE ivoa.obscore; --" FROM ivoa.obscore', ["obs_id"]),
    ("private table: accounts", "SELECT * FROM auth.account", ["auth.account"]),
    ("private table: projects", "SELECT pi_userid FROM archive.project", ["archive.project"]),
    ("private table: delegations", "SELECT * FROM archive.delegation", ["archive.delegation"]),
    ("catalogue of PostgreSQL", "SELECT usename, passwd FROM pg_catalog.pg_shadow", ["pg_shadow"]),
    ("server-side file read", "SELECT pg_read_file('/etc/passwd') FROM ivoa.obscore", ["pg_read_file"]),
    ("sleep", "SELECT pg_sleep(30) FROM ivoa.obscore", ["pg_sleep"]),
    ("set role", "SET ROLE postgres", []),
    ("dollar quoting", "SELECT $$x$$ FROM ivoa.obscore", []),
    ("escape-string syntax", "SELECT E'\\'' FROM ivoa.obscore", []),
    ("subquery into a private table", "SELECT obs_id FROM ivoa.obscore WHERE obs_id IN (SELECT user_id FROM auth.account)", ["auth.account"]),
    ("COPY", "COPY ivoa.obscore TO '/tmp/x'", []),
    ("INSERT", "INSERT INTO ivoa.obscore (obs_id) VALUES ('x')", []),
    ("UPDATE", "UPDATE ivoa.obscore SET data_rights = 'Public'", []),
]:
    expect(f"ADQL: {what}", tap(query), {400}, words)
    check("QUERY_STATUS" in tap(query).text, f"ADQL {what}: a DALI error document")

# a comment is a comment: what follows it is not run
r = tap("SELECT COUNT(*) AS n FROM ivoa.obscore WHERE 1=0 --' OR 1=1", RESPONSEFORMAT="csv")
check(r.status_code == 200 and r.text.split() == ["n", "0"], f"text after -- is a comment: {r.text}")
# a correctly quoted string literal is data, matched literally
r = tap("SELECT COUNT(*) AS n FROM ivoa.obscore WHERE obs_id = 'x'' OR ''1''=''1'", RESPONSEFORMAT="csv")
check(r.status_code == 200 and r.text.split() == ["n", "0"], f"a quoted quote is data: {r.text}")

# --- uploads: names, malformed and oversized tables -----------------------------------------
VOTABLE = """<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="{name}" datatype="char" arraysize="*"/><DATA><TABLEDATA>{rows}</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>"""


def upload(table_name, body, query=None):
    return requests.post(base + "/tap/sync", data={
        "LANG": "ADQL", "UPLOAD": f"{table_name},param:t",
        "QUERY": query or f"SELECT * FROM TAP_UPLOAD.{table_name.split(';')[0]}"},
        files={"t": ("t.xml", body)})


good_rows = "<TR><TD>a</TD></TR>"
expect("upload: table name with SQL", upload("t; DROP TABLE ivoa.obscore", VOTABLE.format(name="c", rows=good_rows)),
       {400}, ["UPLOAD"])
expect("upload: table name with SQL, no ;", upload("t DROP TABLE ivoa.obscore", VOTABLE.format(name="c", rows=good_rows)),
       {400}, ["plain ADQL name"])
expect("upload: table name with a quote", upload('t"x', VOTABLE.format(name="c", rows=good_rows)), {400}, ["UPLOAD table name"])
r = upload("t", VOTABLE.format(name='c"; DROP TABLE ivoa.obscore; --', rows=good_rows),
           query='SELECT "c""; DROP TABLE ivoa.obscore; --" FROM TAP_UPLOAD.t')
check(r.status_code in (200, 400) and r.status_code < 500, f"upload: column name with SQL is quoted as data: {r.status_code} {r.text[:200]}")
report.append(f"{r.status_code}  upload: column name with SQL (a quoted identifier, harmless)")
expect("upload: column name with a control character", upload("t", VOTABLE.format(name="c\x01", rows=good_rows)), {400}, ["column name"])
expect("upload: not XML", upload("t", b"\x00\x01 not a votable"), {400}, ["UPLOAD t"])
expect("upload: truncated VOTable", upload("t", VOTABLE.format(name="c", rows=good_rows)[:150]), {400}, ["UPLOAD t"])
expect("upload: not UTF-8", upload("t", b"<VOTABLE>\xff\xfe</VOTABLE>"), {400}, ["UTF-8"])
expect("upload: too many rows", upload("t", VOTABLE.format(name="c", rows=good_rows * 1001)), {400}, ["limit"])
expect("upload: larger than the body limit", upload("t", VOTABLE.format(name="c", rows="<TR><TD>" + "x" * 300_000 + "</TD></TR>")),
       {413, 400}, ["limit"])
expect("upload: part missing", requests.post(base + "/tap/sync", data={"LANG": "ADQL", "UPLOAD": "t,param:nothere",
                                                                        "QUERY": "SELECT * FROM TAP_UPLOAD.t"}), {400}, ["nothere"])
for url in [base.replace("https://", "http://") + "/tap/availability", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:5432/", "http://localhost:22/"]:
    expect(f"upload: a URL into the service's own network ({url})", requests.post(base + "/tap/sync", data={
        "LANG": "ADQL", "UPLOAD": f"t,{url}", "QUERY": "SELECT * FROM TAP_UPLOAD.t"}), {400}, ["private or local address"])
expect("upload: nine tables", requests.post(base + "/tap/sync", data={
    "LANG": "ADQL", "UPLOAD": ";".join(f"t{i},param:t" for i in range(9)), "QUERY": "SELECT * FROM TAP_UPLOAD.t0"}),
    {400}, ["at most 8"])
expect("upload: a URL to a local file", requests.post(base + "/tap/sync", data={
    "LANG": "ADQL", "UPLOAD": "t,file:///etc/passwd", "QUERY": "SELECT * FROM TAP_UPLOAD.t"}), {400}, [])

# --- SIA2 -------------------------------------------------------------------------------------
for what, params, words in [
    ("POS with SQL", {"POS": "CIRCLE 1 2 3); DROP TABLE ivoa.obscore; --"}, ["POS"]),
    ("BAND with SQL", {"BAND": "0.001 0.002; DELETE FROM ivoa.obscore"}, ["BAND"]),
    ("TIME with SQL", {"TIME": "1' OR '1'='1"}, ["TIME"]),
    ("POL not a state", {"POL": "I' OR 1=1 --"}, ["POL"]),
    ("MAXREC with SQL", {"MAXREC": "1; DROP TABLE ivoa.obscore"}, ["MAXREC"]),
    ("FOV not a number", {"FOV": "0 1e999999"}, ["FOV"]),
]:
    expect(f"SIA2: {what}", requests.get(base + "/sia2/query", params=params), {400}, words)
total = requests.get(base + "/tap/sync", params={"LANG": "ADQL", "RESPONSEFORMAT": "csv",
                                                 "QUERY": "SELECT COUNT(*) AS n FROM ivoa.obscore"}).text.split()[1]
for name in ["TARGET", "COLLECTION", "ID", "INSTRUMENT", "FACILITY", "DPTYPE"]:
    r = requests.get(base + "/sia2/query", params={name: "x' OR '1'='1", "RESPONSEFORMAT": "votable"})
    rows = r.text.count("<TR>")
    check(r.status_code == 200 and rows == 0, f"SIA2 {name} with a quote is matched literally: {r.status_code}, {rows} rows (of {total})")
    report.append(f"{r.status_code}  SIA2: {name}=x' OR '1'='1 → 0 rows (an injection would give {total})")

# --- SODA ------------------------------------------------------------------------------------
for what, params, status, words in [
    ("ID through ../", {"ID": "../../../../etc/passwd"}, {404}, ["no file"]),
    ("ID absolute path", {"ID": "/etc/passwd"}, {404}, ["no file"]),
    ("ID with SQL", {"ID": "x' OR '1'='1"}, {404}, ["no file"]),
    ("CIRCLE with a command", {"ID": fits, "CIRCLE": "1 2 3; rm -rf /"}, {400}, ["CIRCLE"]),
    ("POLYGON of NaN", {"ID": fits, "POLYGON": "nan nan nan nan nan nan"}, {400}, ["POLYGON"]),
    ("BAND reversed", {"ID": fits, "BAND": "2 1"}, {400}, ["BAND"]),
    ("POL with SQL", {"ID": fits, "POL": "I'; DROP TABLE x"}, {400}, ["POL"]),
    ("thousands of cutouts", [("ID", fits)] + [("CIRCLE", f"{i} 0 1") for i in range(200)], {400}, ["at most"]),
]:
    r = requests.get(base + "/soda/sync", params=params)
    expect(f"SODA: {what}", r, status, words)
    check(r.headers.get("Content-Type", "").startswith("text/plain") and r.content[:6] != b"SIMPLE",
          f"SODA {what}: a text error, no data")

# --- paths: downloads, previews, DataLink, jobs -------------------------------------------------
for what, path, status in [
    ("download ../ encoded", "/dataPortal/..%2F..%2F..%2Fetc%2Fpasswd", {404}),
    ("download ../ double-encoded", "/dataPortal/%252e%252e%252fetc%252fpasswd", {404}),
    ("download absolute", "/dataPortal/%2Fetc%2Fpasswd", {404}),
    ("download via sso ../", "/dataPortal/sso/..%2F..%2Fetc%2Fpasswd", {404}),
    ("download with NUL", "/dataPortal/x%00.fits", {404}),
    ("preview ../", "/preview/..%2F..%2Fetc%2Fpasswd/peak.png", {404}),
    ("preview kind ../", f"/preview/{fits}/..%2F..%2Fetc%2Fpasswd", {404}),
    ("TAP job id ../", "/tap/async/..%2F..%2Fetc", {404}),
    ("SODA job result ../", "/soda/async/abc/results/..%2F..%2Fpasswd", {404}),
    ("script ID with a newline command", "/dataPortal/script?ID=x%0Arm%20-rf%20~", {400, 404}),
]:
    r = requests.get(base + path)
    expect(f"path: {what}", r, status)
    check(b"root:" not in r.content, f"{what}: no file content")
r = requests.get(base + "/dataPortal/script", params=[("ID", "x\nrm -rf ~"), ("ID", fits)])
check(r.status_code == 200 and r.text.startswith("#!") and "\nrm -rf" not in r.text,
      f"the download script never carries an ID as a command: {r.status_code} {r.text[:200]}")
r = requests.get(base + "/datalink/sync", params={"ID": "../../etc/passwd"})
check(r.status_code == 200 and ("NotFoundFault" in r.text or "UsageFault" in r.text) and "root:" not in r.text,
      f"DataLink: a path as ID is an error row: {r.text[:300]}")
report.append("200  DataLink: ID=../../etc/passwd → an error row (DataLink's way)")
expect("DataLink: too many IDs", requests.post(base + "/datalink/sync", data=[("ID", f"uid://A001/X1/X{i}") for i in range(1001)]),
       {400}, ["at most"])

# --- login and credentials ----------------------------------------------------------------------
token = base + "/auth/realms/ALMA/protocol/openid-connect/token"
expect("login: SQL in the user name", requests.post(token, data={"grant_type": "password", "username": "x' OR '1'='1", "password": "x"}),
       {401}, ["Invalid user credentials"])
expect("login: very long password", requests.post(token, data={"grant_type": "password", "username": "a", "password": "x" * 20000}),
       {401, 413, 400}, [])
expect("bearer token with SQL", requests.get(base + "/auth/me", headers={"Authorization": "Bearer ' OR '1'='1"}), {401}, ["token"])
expect("Basic credentials not base64", requests.get(base + f"/dataPortal/{fits}", headers={"Authorization": "Basic !!!"}), {401}, ["base64"])
expect("unknown scheme", requests.get(base + f"/dataPortal/{fits}", headers={"Authorization": "Negotiate abc"}), {401}, ["Basic or Bearer"])

# --- malformed HTTP: bodies, headers, encodings ---------------------------------------------------
expect("broken multipart", requests.post(base + "/tap/sync", data=b"--nope\r\nContent-Disposition: form-data\r\n\r\nx",
                                         headers={"Content-Type": "multipart/form-data; boundary=other"}), {400}, [])
expect("form body over the limit", requests.post(base + "/tap/sync", data={"LANG": "ADQL", "QUERY": "SELECT " + "1," * 200_000 + "1"}),
       {413, 400}, ["limit"])
expect("bad UTF-8 in the query", requests.get(base + "/tap/sync?LANG=ADQL&QUERY=SELECT%20%FF%FE%20FROM%20ivoa.obscore"), {400}, [])
expect("SODA body over the limit", requests.post(base + "/soda/sync", data={"ID": "x" * 2_000_000}), {413, 400}, [])


def raw(request_bytes):
    """Sends bytes as they are and returns the status line's code."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(request_bytes)
        answer = b""
        while b"\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0


for what, data in [
    ("a 100 kB header", b"GET /tap/availability HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"),
    ("500 headers", b"GET /tap/availability HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(500)) + b"\r\n"),
    ("not HTTP", b"\x16\x03\x01\x02\x00garbage\r\n\r\n"),
    ("bad request line", b"GET\r\n\r\n"),
]:
    try:
        code = raw(data)
    except ConnectionResetError:
        code = 0  # the connection closed: nothing served
    report.append(f"{code or 'closed'}  raw HTTP: {what}")
    check(code == 0 or 400 <= code < 500, f"raw HTTP {what}: {code}")
check(requests.get(base + "/tap/availability").status_code == 200, "the service still answers")

# one client cannot hold more than its share: with the limit at 3, three requests waiting on a
# pending job hold every slot, and a fourth from the same address is refused at once
import threading  # noqa: E402
pending = requests.post(base + "/soda/async", data={"ID": fits}, allow_redirects=False).headers["Location"]
waiting = [threading.Thread(target=requests.get, args=(pending + "?WAIT=4",)) for _ in range(3)]
for t in waiting:
    t.start()
import time  # noqa: E402
time.sleep(1.0)
r = requests.get(base + "/tap/availability")
expect("a fourth request while three wait", r, {429}, ["at most 3"])
check(r.headers.get("Retry-After") == "1", "429 says when to retry")
for t in waiting:
    t.join()
check(requests.get(base + "/tap/availability").status_code == 200, "served again once the others ended")

print("\n".join(report))
print(f"security/attacks.py: {passed()} checks passed, {len(report)} hostile requests")
