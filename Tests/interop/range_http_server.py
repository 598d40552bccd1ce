"""A small HTTP/1.1 file server on 127.0.0.1 for download tests: GET with `Range: bytes=N-`
answered by 206 Partial Content, 404 for missing files, and, with --drop-after BYTES, the
first response for each path cut after that many body bytes (the connection closed), as a
network failure would.

usage: range_http_server.py DIRECTORY [--drop-after BYTES]
prints the port on the first line, then one line per request: "GET <path> <Range header or ->";
exits when its standard input closes, so that it never outlives the test that started it.
"""
import argparse
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

arguments = argparse.ArgumentParser()
arguments.add_argument("directory")
arguments.add_argument("--drop-after", type=int)
options = arguments.parse_args()
dropped = set()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        requested = self.headers.get("Range")
        print(f"GET {self.path} {requested or '-'}", flush=True)
        path = os.path.join(options.directory, self.path.lstrip("/"))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as file:
            data = file.read()
        start = 0
        if requested:
            match = re.fullmatch(r"bytes=(\d+)-", requested)
            start = int(match[1]) if match else len(data)
            if start >= len(data):
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        body = data[start:]
        if options.drop_after is not None and self.path not in dropped:
            dropped.add(self.path)
            body = body[:options.drop_after]
            self.close_connection = True
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
server.serve_forever()
