"""A fleet on loopback, tried as its operator and its users would (deploy/fleet started it):
two nodes on one primary with a streaming replica, HAProxy in front.

    fleet.py FLEET_DIR BALANCER_PORT

Each check prints what it saw; the first that fails ends the run with exit status 1.
- /metrics of a node parses with Prometheus' own text-format parser, with the families an
  operator needs;
- a job made on node A is polled, waited on and fetched (whole, by Range, by ETag) on node B,
  its result kept in the S3 bucket (with FLEET_STORAGE=bucket), and a preview made on node A
  is kept there and served by node B;
- reads go to the replica (its metrics and its pg_stat_activity, named by the request id);
  the replica stopped, queries are still answered, from the primary, and availability says
  so; started again, it is back in rotation;
- 20 jobs executing on node A when it is killed (SIGKILL) all end, COMPLETED or ERROR with a
  reason, within the lease and their run time; the jobs node B was running meanwhile are
  not touched;
- node B restarted (drained) while node A runs: none of the jobs under way is lost.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

FLEET, PORT = sys.argv[1], int(sys.argv[2])
NODE_A, NODE_B = PORT + 1, PORT + 2
DEPLOY = sys.argv[3] if len(sys.argv) > 3 else "deploy/fleet"
BALANCER = f"http://127.0.0.1:{PORT}"
LEASE_SECONDS = 5

# one anonymous client: its job-owner cookie is good on every node
cookies = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect)


def node(port):
    return f"http://127.0.0.1:{port}"


def request(url, data=None, headers=None, method=None):
    """(status, headers, body) of a request; errors are answers too."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with opener.open(req, timeout=120) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def fleet(*args):
    subprocess.run([DEPLOY, *args], check=True,
                   env=dict(os.environ, FLEET_DIR=FLEET, FLEET_PORT=str(PORT)))


def psql(cluster_dir, port, sql):
    out = subprocess.run(["psql", "-h", cluster_dir, "-p", str(port), "-U", "postgres", "-d", "vo",
                          "-Atc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def primary_sql(sql):
    return psql(f"{FLEET}/shared/pg", PORT + 3, sql)


def replica_sql(sql):
    return psql(f"{FLEET}/replica", PORT + 4, sql)


def metrics(port):
    status, _, body = request(node(port) + "/metrics")
    check(status == 200, f"/metrics of :{port} answers")
    return {f.name: f for f in text_string_to_metric_families(body.decode())}


def sample(families, name, **labels):
    family = families.get(name)
    if family is None:
        return 0.0
    total = 0.0
    for s in family.samples:
        if s.name == name + ("_total" if family.type == "counter" else "") and all(
                s.labels.get(k) == v for k, v in labels.items()):
            total += s.value
    return total


def submit(port, adql, run=True):
    """Creates a TAP job on a node: its id."""
    data = {"LANG": "ADQL", "QUERY": adql, "FORMAT": "votable"}
    if run:
        data["PHASE"] = "RUN"
    status, headers, body = request(node(port) + "/tap/async", data=data)
    if status != 303:
        print(body.decode(errors="replace"))
        check(False, f"job created on :{port} (303, got {status})")
    location = headers["Location"]
    return location.rstrip("/").rsplit("/", 1)[-1]


def phase(port, job_id):
    _, _, body = request(node(port) + f"/tap/async/{job_id}/phase")
    return body.decode().strip()


def jobs_in(phase_name, job_ids):
    ids = ",".join("'" + j + "'" for j in job_ids)
    return int(primary_sql(f"SELECT count(*) FROM uws.job WHERE job_id IN ({ids}) AND phase = '{phase_name}'"))


def wait_until(what, condition, seconds):
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    check(False, f"{what} within {seconds} s")


# a query that keeps a job executing for some seconds on a demo of 1,000 rows (60 million
# combinations), longer with twenty at once on two cores
SLOW = ("SELECT COUNT(*) AS combinations FROM ivoa.obscore AS a, ivoa.obscore AS b, "
        "(SELECT TOP 120 obs_id FROM ivoa.obscore) AS c WHERE a.s_ra < b.s_ra")

# --- metrics, parsed as Prometheus parses them
# a query on node A itself (the balancer may send one to either node)
request(BALANCER + "/tap/sync?LANG=ADQL&QUERY=SELECT+TOP+1+obs_id+FROM+ivoa.obscore")
request(node(NODE_A) + "/tap/sync?LANG=ADQL&QUERY=SELECT+TOP+1+obs_id+FROM+ivoa.obscore")
families = metrics(NODE_A)
for name, kind in [("voarchive_http_requests", "counter"),
                   ("voarchive_http_request_duration_seconds", "histogram"),
                   ("voarchive_http_response_bytes", "counter"),
                   ("voarchive_http_requests_in_flight", "gauge"),
                   ("voarchive_queries_in_flight", "gauge"),
                   ("voarchive_db_pool_connections", "gauge"),
                   ("voarchive_jobs", "gauge"),
                   ("voarchive_job_oldest_seconds", "gauge"),
                   ("voarchive_replica_lag_seconds", "gauge"),
                   ("voarchive_replica_in_rotation", "gauge"),
                   ("voarchive_db_reads", "counter")]:
    check(name in families and families[name].type == kind, f"/metrics has {name} ({kind})")
buckets = [s for s in families["voarchive_http_request_duration_seconds"].samples
           if s.name.endswith("_bucket")]
check(any(s.labels.get("le") == "+Inf" for s in buckets), "the latency histogram has its +Inf bucket")

# --- a job made on node A, waited on and fetched on node B
job = submit(NODE_A, "SELECT TOP 50 obs_id, s_ra, s_dec FROM ivoa.obscore ORDER BY obs_id")
status, _, body = request(node(NODE_B) + f"/tap/async/{job}?WAIT=60")
check(status == 200 and b"COMPLETED" in body, f"job {job} made on node A is COMPLETED, waited on at node B")
status, headers, whole = request(node(NODE_B) + f"/tap/async/{job}/results/result")
check(status == 200 and whole.count(b"<TR>") == 50, "node B serves its 50 rows")
status, headers_a, whole_a = request(node(NODE_A) + f"/tap/async/{job}/results/result")
check(whole_a == whole and headers_a.get("ETag") == headers.get("ETag") and headers.get("ETag"),
      f"both nodes give the same bytes and one ETag ({headers.get('ETag')} on B, {headers_a.get('ETag')} on A)")
status, part_headers, part = request(node(NODE_B) + f"/tap/async/{job}/results/result",
                                     headers={"Range": "bytes=100-299"})
check(status == 206 and part == whole[100:300]
      and part_headers.get("Content-Range") == f"bytes 100-299/{len(whole)}",
      "node B answers a Range request with exactly those bytes (206)")
status, _, _ = request(node(NODE_B) + f"/tap/async/{job}/results/result",
                       headers={"If-None-Match": headers["ETag"]})
check(status == 304, "a conditional request with the ETag is answered 304")
if os.environ.get("FLEET_STORAGE") == "bucket":
    # the result is an object of the bucket, and in no node's directory
    status, _, listing = request(f"http://127.0.0.1:{PORT + 5}/voarchive-jobs?list-type=2&prefix=jobs/{job}/")
    check(status == 200 and f"<Key>jobs/{job}/result</Key>".encode() in listing,
          "the result is kept in the S3 bucket")
    local = [p for p in (f"{FLEET}/shared/jobs/{job}/result", f"{FLEET}/shared/jobs/node-a/{job}/result",
                         f"{FLEET}/shared/jobs/node-b/{job}/result") if os.path.exists(p)]
    check(not local, f"and in no node's directory ({local})")

    # a preview made on node A is kept in the bucket and served as it is by node B
    product = primary_sql("SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid "
                          "WHERE f.kind = 'product' AND f.content_type = 'application/fits' AND m.release_date <= now() "
                          "ORDER BY f.name LIMIT 1")
    status, _, png_a = request(node(NODE_A) + f"/preview/{product}/peak.png")
    check(status == 200 and png_a.startswith(b"\x89PNG"), f"node A makes the preview of {product}")
    status, _, listing = request(f"http://127.0.0.1:{PORT + 5}/voarchive-jobs?list-type=2&prefix=previews/{product}/")
    check(f"<Key>previews/{product}/peak.png</Key>".encode() in listing, "the preview is kept in the bucket")
    check(not os.path.exists(f"{FLEET}/shared/previews/{product}/peak.png"), "and not in the data directory")
    hits = sample(metrics(NODE_B), "voarchive_cache_lookups", cache="previews", outcome="hit")
    status, _, png_b = request(node(NODE_B) + f"/preview/{product}/peak.png")
    check(status == 200 and png_b == png_a, "node B serves the same preview")
    check(sample(metrics(NODE_B), "voarchive_cache_lookups", cache="previews", outcome="hit") == hits + 1,
          "from the bucket, not made again (a cache hit in node B's metrics)")

# --- reads on the replica
before = sample(metrics(NODE_A), "voarchive_db_reads", target=f"{FLEET}/replica:{PORT + 4}")
status, headers, body = request(node(NODE_A) + "/tap/sync?" + urllib.parse.urlencode(
    {"LANG": "ADQL", "QUERY": "SELECT TOP 3 obs_id FROM ivoa.obscore"}))
check(status == 200 and body.count(b"<TR>") == 3, "a sync query is answered")
request_id = headers["X-Request-Id"]
after = sample(metrics(NODE_A), "voarchive_db_reads", target=f"{FLEET}/replica:{PORT + 4}")
check(after == before + 1, f"it was read on the replica (reads there {before:.0f} -> {after:.0f})")
named = replica_sql(f"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'voarchive {request_id}'")
check(named == "1", f"the replica's pg_stat_activity names the request ({request_id})")
check(replica_sql("SELECT pg_is_in_recovery()") == "t", "the replica is a standby")

fleet("replica", "stop")
wait_until("availability saying the replica is out", lambda: b"out of rotation" in request(
    node(NODE_A) + "/tap/availability")[2], 15)
_, _, availability = request(node(NODE_A) + "/tap/availability")
print(re.findall(rb"<vosi:note>(.*?)</vosi:note>", availability))
primary_before = sample(metrics(NODE_A), "voarchive_db_reads", target="primary")
status, _, body = request(node(NODE_A) + "/tap/sync?" + urllib.parse.urlencode(
    {"LANG": "ADQL", "QUERY": "SELECT TOP 3 obs_id FROM ivoa.obscore"}))
check(status == 200 and body.count(b"<TR>") == 3, "with the replica stopped, a query is still answered")
check(sample(metrics(NODE_A), "voarchive_db_reads", target="primary") == primary_before + 1,
      "from the primary")
fleet("replica", "start")
wait_until("the replica back in rotation", lambda: b"takes reads" in request(
    node(NODE_A) + "/tap/availability")[2], 15)
replica_before = sample(metrics(NODE_A), "voarchive_db_reads", target=f"{FLEET}/replica:{PORT + 4}")
request(node(NODE_A) + "/tap/sync?LANG=ADQL&QUERY=SELECT+TOP+1+obs_id+FROM+ivoa.obscore")
check(sample(metrics(NODE_A), "voarchive_db_reads", target=f"{FLEET}/replica:{PORT + 4}")
      == replica_before + 1, "reads go to the replica again")

# --- node A killed while it executes 20 jobs
fleet("node-b", "stop")
on_a = [submit(NODE_A, SLOW) for _ in range(20)]
wait_until("20 jobs executing on node A",
           lambda: jobs_in("EXECUTING", on_a) == 20, 60)
check(primary_sql("SELECT count(*) FROM uws.job WHERE lease_node = 'node-a' AND phase = 'EXECUTING'") == "20",
      "node A holds their leases")
fleet("node-b", "start")
on_b = [submit(NODE_B, SLOW) for _ in range(2)]
wait_until("node B executing its own two",
           lambda: primary_sql("SELECT count(*) FROM uws.job WHERE lease_node = 'node-b' AND phase = 'EXECUTING' AND job_id IN ("
                               + ",".join("'" + j + "'" for j in on_b) + ")") == "2", 60)
started_on_b = primary_sql("SELECT string_agg(job_id || start_time::text, ',' ORDER BY job_id) FROM uws.job WHERE job_id IN ("
                           + ",".join("'" + j + "'" for j in on_b) + ")")
check(jobs_in("EXECUTING", on_a) == 20, "node A still executes the 20 when it is killed")
fleet("node-a", "kill")
ended = wait_until("the 20 jobs of the killed node ending",
                   lambda: jobs_in("COMPLETED", on_a) + jobs_in("ERROR", on_a) == 20, 180)
print(f"the 20 jobs ended {ended:.1f} s after node A was killed (lease {LEASE_SECONDS} s)")
errors = primary_sql("SELECT coalesce(string_agg(DISTINCT error_message, ' | '), '') FROM uws.job WHERE job_id IN ("
                     + ",".join("'" + j + "'" for j in on_a) + ") AND phase = 'ERROR'")
check(jobs_in("ERROR", on_a) == 0 or all(errors.split(" | ")), f"each ERROR has a reason ({errors or 'none'})")
check(jobs_in("COMPLETED", on_a) == 20, "all 20 COMPLETED")
check(primary_sql("SELECT min(attempts) FROM uws.job WHERE job_id IN ("
                  + ",".join("'" + j + "'" for j in on_a) + ")") == "2",
      "each was run again (started twice: on node A, then on node B)")
wait_until("node B's own two completed", lambda: jobs_in("COMPLETED", on_b) == 2, 120)
check(primary_sql("SELECT string_agg(job_id || start_time::text, ',' ORDER BY job_id) FROM uws.job WHERE job_id IN ("
                  + ",".join("'" + j + "'" for j in on_b) + ")") == started_on_b
      and primary_sql("SELECT max(attempts) FROM uws.job WHERE job_id IN ("
                      + ",".join("'" + j + "'" for j in on_b) + ")") == "1",
      "node B's own jobs were not touched (started once, at the same time)")

# --- node B restarted (drained) while node A runs: nothing lost
fleet("node-a", "start")
under_way = [submit(PORT, SLOW) for _ in range(10)]
time.sleep(1.0)
fleet("node-b", "stop")
fleet("node-b", "start")
wait_until("the 10 jobs under way during node B's restart completing",
           lambda: jobs_in("COMPLETED", under_way) == 10, 180)
check(True, "no job was lost to the restart")
print(json.dumps({"jobs_of_killed_node_ended_after_s": round(ended, 1)}))
