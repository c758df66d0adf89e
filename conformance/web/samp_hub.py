"""A SAMP hub with the Web Profile (pyvo.samp, from PyPI) and one desktop-like client that
loads the tables it is sent, as TOPCAT would: for the web page's SAMP test.

    python conformance/web/samp_hub.py

The hub listens where web pages look for one (localhost:21012) and accepts every web page
that registers (a desktop hub asks its user). The client subscribes to table.load.votable
and table.select.rowList; each message it receives is printed as one JSON line:

    {"mtype": "table.load.votable", "table_id": ..., "name": ..., "rows": N, "obs_ids": [...]}
    {"mtype": "table.select.rowList", "table_id": ..., "url": ..., "row_list": [...]}

A loaded table is fetched from its URL and read with astropy, so a URL that does not give a
VOTable prints {"mtype": ..., "error": ...}. The first line is {"ready": true} once both are
up; the helper runs until its standard input closes.
"""

import json
import sys
import tempfile
import threading
import urllib.request
import warnings
from io import BytesIO
from pathlib import Path

warnings.simplefilter("ignore")
# the records alone go to standard output; the libraries' logging goes to standard error
RECORDS = sys.stdout
sys.stdout = sys.stderr

from astropy.io.votable import parse_single_table  # noqa: E402
from pyvo.samp import SAMPHubServer, SAMPIntegratedClient  # noqa: E402

WEB_PROFILE_PORT = 21012


SAYING = threading.Lock()


def say(record):
    """One JSON line, whole: the hub delivers messages on threads of its own, and two lines
    printed at once came out as one (print writes the text and its newline apart)."""
    line = json.dumps(record) + "\n"
    with SAYING:
        RECORDS.write(line)
        RECORDS.flush()


class AcceptEveryPage:
    """The hub's registration dialog: says yes to each web page (the hub sets the queues)."""

    queue_request = None
    queue_result = None

    def run(self):
        while True:
            self.queue_request.get()
            self.queue_result.put(True)


def loaded(private_key, sender_id, mtype, params, extra):
    record = {"mtype": mtype, "table_id": params.get("table-id"), "name": params.get("name")}
    try:
        with urllib.request.urlopen(params["url"], timeout=60) as answer:
            table = parse_single_table(BytesIO(answer.read())).to_table()
        record["rows"] = len(table)
        record["obs_ids"] = [str(v) for v in table["obs_id"]] if "obs_id" in table.colnames else []
    except Exception as e:  # the test reports what went wrong
        record["error"] = f"{type(e).__name__}: {e}"
    say(record)


def selected(private_key, sender_id, mtype, params, extra):
    say({
        "mtype": mtype,
        "table_id": params.get("table-id"),
        "url": params.get("url"),
        "row_list": [int(i) for i in params.get("row-list", [])],
    })


def main():
    dialog = AcceptEveryPage()
    lockfile = Path(tempfile.mkdtemp(prefix="samp-")) / "samp"
    hub = SAMPHubServer(web_profile=True, web_profile_dialog=dialog, lockfile=str(lockfile),
                        web_port=WEB_PROFILE_PORT)
    hub.start(wait=False)
    if hub._web_profile_server is None:
        say({"ready": False, "error": f"port {WEB_PROFILE_PORT} is taken: no Web Profile hub"})
        hub.stop()
        return 1
    threading.Thread(target=dialog.run, daemon=True).start()
    client = SAMPIntegratedClient(name="Table loader", description="loads the tables it is sent")
    client.connect(hub=hub)
    client.bind_receive_notification("table.load.votable", loaded)
    client.bind_receive_notification("table.select.rowList", selected)
    say({"ready": True})
    sys.stdin.read()
    client.disconnect()
    hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
