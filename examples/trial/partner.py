"""A stand-in for the partner's API in the trial: it listens on
127.0.0.1:8080, replies to every GET, POST and PUT with 200 and a JSON summary,
and prints each request line, its Content-Type and its size, so you can see
what Tollgate let through. It keeps nothing and never prints bodies."""

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ADDRESS = ("127.0.0.1", 8080)


class Partner(BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        summary = {
            "method": self.command,
            "path": self.path,
            "content_type": self.headers.get("Content-Type"),
            "received_bytes": length,
        }
        body = json.dumps(summary).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = answer
    do_POST = answer
    do_PUT = answer

    def log_message(self, format, *args):
        print(f"partner received: {self.command} {self.path} "
              f"({self.headers.get('Content-Type')}, "
              f"{self.headers.get('Content-Length') or 0} bytes)", flush=True)


if __name__ == "__main__":
    print(f"stand-in partner listening on http://{ADDRESS[0]}:{ADDRESS[1]}", flush=True)
    ThreadingHTTPServer(ADDRESS, Partner).serve_forever()
