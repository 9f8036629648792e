"""A git smart-HTTP server on localhost for audit tests: ``git http-backend`` behind Python's
HTTP server, optionally demanding Basic credentials and counting requests.

It serves the bare repositories under one folder (``http://127.0.0.1:PORT/<name>.git``) with
partial clone allowed, as GitHub and GitLab do, so tests can clone over HTTP exactly as an org
audit does, see which credentials git sent, and count round trips.
"""

from __future__ import annotations

import base64
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def _command_of(body: bytes, encoding: str | None) -> str:
    """The command of a protocol v2 request: its first pkt-line, ``command=<name>`` (git
    gzips large request bodies)."""
    if encoding and "gzip" in encoding.lower():
        import gzip

        try:
            body = gzip.decompress(body)
        except OSError:
            return "unreadable"
    try:
        length = int(body[:4], 16)
    except ValueError:
        return "unreadable"
    first = body[4:length].rstrip(b"\n")
    return first[8:].decode("ascii", "replace") if first.startswith(b"command=") else "v0"


class GitHttpServer:
    """``with GitHttpServer(root, user="u", password="p") as server: server.url("repo.git")``."""

    def __init__(self, root: Path, user: str | None = None, password: str | None = None) -> None:
        self.root = root
        self.expected = (f"Basic {base64.b64encode(f'{user}:{password}'.encode()).decode()}"
                         if user is not None else None)
        self.requests: list[tuple[str, str, str | None]] = []  # (method, path, authorization)
        self.commands: list[str] = []  # protocol v2 command of each POST: "ls-refs", "fetch", ...
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _body(self) -> bytes:
                """The request body, ``Content-Length`` or chunked (git streams large requests)."""
                if "chunked" not in (self.headers.get("Transfer-Encoding") or "").lower():
                    return self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return b"".join(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()

            def _serve(self) -> None:
                auth = self.headers.get("Authorization")
                outer.requests.append((self.command, self.path, auth))
                if outer.expected is not None and auth != outer.expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path, _, query = self.path.partition("?")
                body = self._body()
                if self.command == "POST":
                    outer.commands.append(_command_of(body, self.headers.get("Content-Encoding")))
                env = {"GIT_PROJECT_ROOT": str(outer.root), "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": path,
                       "QUERY_STRING": query, "REQUEST_METHOD": self.command, "PATH": os.environ.get("PATH", ""),
                       "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
                       "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""), "REMOTE_ADDR": "127.0.0.1"}
                if self.headers.get("Content-Encoding"):
                    env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
                proc = subprocess.run(["git", "-c", "uploadpack.allowFilter=true",
                                       "-c", "uploadpack.allowAnySHA1InWant=true", "http-backend"],
                                      input=body, capture_output=True, env=env, check=False, timeout=60)
                head, _, payload = proc.stdout.partition(b"\r\n\r\n")
                status = 200
                headers = []
                for line in head.decode("latin-1").split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.strip().split()[0])
                    elif name:
                        headers.append((name, value.strip()))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def fetches(self) -> int:
        """Pack requests so far: protocol v2 ``command=fetch`` POSTs (each clone, fetch or lazy
        blob fetch git makes sends one; a fetch needing more negotiation rounds sends more)."""
        return self.commands.count("fetch")

    def url(self, name: str, credentials: str = "") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{credentials + '@' if credentials else ''}{host}:{port}/{name}"

    def __enter__(self) -> GitHttpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
