"""Stands in for the webhook channel's outbound endpoint in scripts/browser-test.sh: answers every
POST with 200 and {"id": "<uuid>"} (the id the hub's status reports would then refer to).

usage: python3 scripts/browser/reply_sink.py PORT   (listens on 127.0.0.1)
"""
import json
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"id": str(uuid.uuid4())}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("reply-sink: %s\n" % (format % args))


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
