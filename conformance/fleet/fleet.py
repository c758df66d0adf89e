"""A fleet on loopback, tried as its operator and its users would (deploy/fleet started it):
two nodes on one primary with a streaming replica, HAProxy in front.

    fleet.py FLEET_DIR BALANCER_PORT

Each check prints what it saw; the first that fails ends the run with exit status 1.
- /metrics of a node parses with Prometheus' own text-format parser, with the families an
  operator needs;
- a job created through the balancer on one node is polled, waited on and fetched (whole,
  by Range, by ETag) through the balancer on the other (HAProxy names the node that
  answered in X-Served-By), its result kept in the S3 bucket (with FLEET_STORAGE=bucket),
  and a preview made on node A is kept there and served by node B;
- reads go to the replica (its metrics and its pg_stat_activity, named by the balancer's
  request id, which the node's JSON log names too);
  the replica stopped, queries are still answered, from the primary, and availability says
  so; started again, it is back in rotation;
- 20 jobs executing on node A when it is killed (SIGKILL) all end, COMPLETED or ERROR with a
  reason, within the lease and their run time; the jobs node B was running meanwhile are
  not touched;
- node B drained (SIGTERM) while it streams an answer and executes jobs: /ready says 503 at
  once, the answer under way is finished, its jobs are handed back (not left to their
  lease) and run to the end by node A; restarted, it loses nothing.
"""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import threading
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


def via_balancer(path, node_name, **kwargs):
    """A GET through the balancer, repeated until the balancer sends it to node_name (it takes
    the nodes in turn, so this takes at most two tries)."""
    for _ in range(4):
        status, headers, body = request(BALANCER + path, **kwargs)
        if headers.get("X-Served-By") == node_name:
            return status, headers, body
    check(False, f"the balancer sends a request to {node_name}")


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
                   ("voarchive_rows_streamed", "counter"),
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
rows_before = sample(families, "voarchive_rows_streamed")
request(node(NODE_A) + "/tap/sync?LANG=ADQL&QUERY=SELECT+TOP+7+obs_id+FROM+ivoa.obscore")
check(sample(metrics(NODE_A), "voarchive_rows_streamed") == rows_before + 7, "the 7 rows of a query are counted")

# --- a job created through the balancer on one node, polled, waited on and fetched through
# it on the other
status, headers, body = request(BALANCER + "/tap/async", data={
    "LANG": "ADQL", "QUERY": "SELECT TOP 50 obs_id, s_ra, s_dec FROM ivoa.obscore ORDER BY obs_id",
    "FORMAT": "votable", "PHASE": "RUN"})
check(status == 303, f"a job is created through the balancer (303, got {status})")
job = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
made_on = headers.get("X-Served-By")
other = {"node-a": "node-b", "node-b": "node-a"}.get(made_on)
check(other is not None, f"the balancer says which node made it ({made_on})")
status, _, body = via_balancer(f"/tap/async/{job}/phase", other)
check(status == 200 and body.strip() in (b"QUEUED", b"EXECUTING", b"COMPLETED"),
      f"job {job} made on {made_on} is polled on {other} ({body.strip().decode()})")
status, _, body = via_balancer(f"/tap/async/{job}?WAIT=60", other)
check(status == 200 and b"COMPLETED" in body, f"and waited on there until COMPLETED")
status, headers, whole = via_balancer(f"/tap/async/{job}/results/result", other)
check(status == 200 and whole.count(b"<TR>") == 50, f"{other} serves its 50 rows")
status, headers_a, whole_a = via_balancer(f"/tap/async/{job}/results/result", made_on)
check(whole_a == whole and headers_a.get("ETag") == headers.get("ETag") and headers.get("ETag"),
      f"both nodes give the same bytes and one ETag ({headers.get('ETag')} on {other}, "
      f"{headers_a.get('ETag')} on {made_on})")
status, part_headers, part = via_balancer(f"/tap/async/{job}/results/result", other,
                                          headers={"Range": "bytes=100-299"})
check(status == 206 and part == whole[100:300]
      and part_headers.get("Content-Range") == f"bytes 100-299/{len(whole)}",
      f"{other} answers a Range request with exactly those bytes (206)")
status, _, _ = via_balancer(f"/tap/async/{job}/results/result", other,
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

# --- reads on the replica, named by the balancer's request id (once node A's watcher has
# put the replica in rotation: a replica starts out of it, and a busy machine may not have
# reached the first check yet)
replica = f"{FLEET}/replica:{PORT + 4}"
wait_until("node A puts the replica in rotation",
           lambda: sample(metrics(NODE_A), "voarchive_replica_in_rotation", replica=replica) == 1, 30)
before = sample(metrics(NODE_A), "voarchive_db_reads", target=replica)
status, headers, body = via_balancer("/tap/sync?" + urllib.parse.urlencode(
    {"LANG": "ADQL", "QUERY": "SELECT TOP 3 obs_id FROM ivoa.obscore"}), "node-a")
check(status == 200 and body.count(b"<TR>") == 3, "a sync query through the balancer is answered by node A")
request_id = headers["X-Request-Id"]
# HAProxy's id (unique-id-format %{+X}o%ci...: the client address in hex first), kept by the node
check(request_id.startswith("7F000001"), f"the request id is the balancer's ({request_id})")
after = sample(metrics(NODE_A), "voarchive_db_reads", target=replica)
check(after == before + 1, f"it was read on the replica (reads there {before:.0f} -> {after:.0f})")
named = replica_sql(f"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'voarchive {request_id}'")
check(named == "1", f"the replica's pg_stat_activity names the request ({request_id})")
check(replica_sql("SELECT pg_is_in_recovery()") == "t", "the replica is a standby")
logged = []
with open(f"{FLEET}/node-a.log") as log:
    for line in log:
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("fields", {}).get("request_id") == request_id:
                logged.append(entry)
check(any(e["fields"].get("path") == "/tap/sync" and e["fields"].get("status") == 200 for e in logged),
      f"node A's log, in JSON, has the request's line under its id ({len(logged)} lines)")
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
killed_at = float(primary_sql("SELECT extract(epoch FROM clock_timestamp())"))
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
restarted = float(primary_sql("SELECT extract(epoch FROM max(start_time)) FROM uws.job WHERE job_id IN ("
                              + ",".join("'" + j + "'" for j in on_a) + ")"))
# a lease runs out at most a term after the last renewal, and a node ends it within a third
# of a term more; a queued job is claimed within a second or two
bound = LEASE_SECONDS * 4 / 3 + 3
check(restarted - killed_at <= bound,
      f"each started again {restarted - killed_at:.1f} s after the kill, within the lease ({bound:.1f} s): "
      "so each ended within the lease and its own run time")
wait_until("node B's own two completed", lambda: jobs_in("COMPLETED", on_b) == 2, 120)
check(primary_sql("SELECT string_agg(job_id || start_time::text, ',' ORDER BY job_id) FROM uws.job WHERE job_id IN ("
                  + ",".join("'" + j + "'" for j in on_b) + ")") == started_on_b
      and primary_sql("SELECT max(attempts) FROM uws.job WHERE job_id IN ("
                      + ",".join("'" + j + "'" for j in on_b) + ")") == "1",
      "node B's own jobs were not touched (started once, at the same time)")

# --- node B drained (SIGTERM) while it streams an answer and executes jobs, then restarted
def timed_sync(port, adql):
    start = time.monotonic()
    result = request(node(port) + "/tap/sync?" + urllib.parse.urlencode({"LANG": "ADQL", "QUERY": adql}))
    return result, time.monotonic() - start


fleet("node-a", "start")
under_way = [submit(PORT, SLOW) for _ in range(10)]
ids = ",".join("'" + j + "'" for j in under_way)
wait_until("node B executing some of the 10 jobs", lambda: int(primary_sql(
    f"SELECT count(*) FROM uws.job WHERE job_id IN ({ids}) AND phase = 'EXECUTING' AND lease_node = 'node-b'")) > 0, 60)
# a sync answer that takes about three seconds on node B under this load (the drain lets answers
# under way finish for 6 s): SLOW with fewer rows in its third table, scaled from a small one's
_, small = timed_sync(NODE_B, SLOW.replace("TOP 120", "TOP 5"))
top = max(5, min(1000, int(5 * 3.0 / max(small, 0.05))))
streamed = SLOW.replace("TOP 120", f"TOP {top}")
answer = {}
streaming = threading.Thread(target=lambda: answer.update(result=timed_sync(NODE_B, streamed)))
streaming.start()
time.sleep(0.3)
on_b_at_stop = int(primary_sql(
    f"SELECT count(*) FROM uws.job WHERE job_id IN ({ids}) AND phase = 'EXECUTING' AND lease_node = 'node-b'"))
with open(f"{FLEET}/node-b.pid") as f:
    pid_b = int(f.read())
os.kill(pid_b, signal.SIGTERM)
draining = wait_until("node B's /ready answering 503", lambda: request(node(NODE_B) + "/ready")[0] == 503, 5)
check(True, f"node B drains: /ready answers 503 after {draining:.2f} s")
streaming.join(timeout=120)
(status, _, body), took = answer["result"]
status_info = re.findall(rb'<INFO name="QUERY_STATUS"[^>]*>(?:[^<]*</INFO>)?', body)
check(status == 200 and b'value="OK"' in body and body.count(b"<TR>") == 1,
      f"the answer node B was streaming when told to stop is finished ({took:.1f} s, status {status}, "
      f"{len(body)} bytes, {[i.decode(errors='replace') for i in status_info]})")


def gone(pid):
    try:
        os.kill(pid, 0)
        return False
    except ProcessLookupError:
        return True


wait_until("node B ending once drained", lambda: gone(pid_b), 60)
with open(f"{FLEET}/node-b.log") as log:
    stopped = [json.loads(l)["fields"] for l in log if l.startswith("{") and '"server stopped"' in l]
handed = stopped[-1].get("jobs_handed_back", 0) if stopped else 0
check(on_b_at_stop > 0 and handed > 0,
      f"node B executed {on_b_at_stop} of the jobs when told to stop, and handed {handed} back as it ended")
fleet("node-b", "stop")  # forgets its pid
fleet("node-b", "start")
wait_until("the 10 jobs under way during node B's restart completing",
           lambda: jobs_in("COMPLETED", under_way) == 10, 180)
# a job handed back is run again as its first attempt; one left to its lease would be a second
check(primary_sql(f"SELECT max(attempts) FROM uws.job WHERE job_id IN ({ids})") == "1",
      "no job was lost to the restart, and none waited for its lease to run out (each ran as its first attempt)")
print(json.dumps({"jobs_of_killed_node_ended_after_s": round(ended, 1),
                  "jobs_of_killed_node_restarted_after_s": round(restarted - killed_at, 1)}))
