"""An HTTP proxy that answers requests for IVOA vocabularies from local copies, for tools
that look vocabularies up on www.ivoa.net (stilts datalinklint, pyvo's bysemantics) on a
machine without network. Any other URL is refused (502), so nothing else goes through it.

usage: python vocabulary_proxy.py PORT_FILE   (writes the port it listens on to PORT_FILE)
"""
import http.server
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent / "vocabularies"
VOCABULARIES = {
    "www.ivoa.net/rdf/datalink/core": HERE / "datalink-core.desise.json",
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        key = self.path.split("://", 1)[-1].split("?", 1)[0].rstrip("/")
        if key.endswith(".desise"):
            key = key[: -len(".desise")]
        source = VOCABULARIES.get(key)
        if source is None:
            self.send_error(502, "only IVOA vocabularies are served here")
            return
        body = source.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-desise+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    pathlib.Path(sys.argv[1]).write_text(str(server.server_address[1]))
    server.serve_forever()
