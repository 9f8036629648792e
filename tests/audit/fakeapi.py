"""A local stand-in for the GitHub and GitLab REST APIs, serving responses in their documented
shapes: JSON lists of repositories, ``Link`` (and GitLab's ``X-Next-Page``) pagination, rate
limit headers and refusals. Tests script it route by route; it records every request."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

Response = tuple[int, dict[str, str], Any]


class FakeApi:
    """``with FakeApi() as api: api.route("/orgs/acme/repos", handler)``; a handler receives
    the query string and the attempt number for that path and returns ``(status, headers, body)``."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[str, int], Response]] = {}
        self.requests: list[dict[str, Any]] = []
        self.attempts: dict[str, int] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                outer.requests.append({"path": path, "query": query,
                                       "headers": {k.lower(): v for k, v in self.headers.items()}})
                key = f"{path}?{query}"
                outer.attempts[key] = outer.attempts.get(key, 0) + 1
                handler = outer.routes.get(path)
                status, headers, body = handler(query, outer.attempts[key]) if handler else (404, {}, {"message": "Not Found"})
                payload = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, handler: Callable[[str, int], Response]) -> None:
        self.routes[path] = handler

    def __enter__(self) -> FakeApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def github_repo(name: str, clone_url: str, *, archived: bool = False, fork: bool = False, size: int = 120) -> dict[str, Any]:
    """An entry of ``GET /orgs/{org}/repos`` (the fields the listing reads, and some it does not)."""
    org, _, short = name.partition("/")
    return {"id": abs(hash(name)) % 10**8, "node_id": "R_x", "name": short, "full_name": name, "private": False,
            "owner": {"login": org, "type": "Organization"}, "html_url": f"https://github.example/{name}",
            "fork": fork, "archived": archived, "disabled": False, "size": size, "default_branch": "main",
            "clone_url": clone_url, "ssh_url": f"git@github.example:{name}.git", "visibility": "public"}


def gitlab_project(path: str, http_url: str, *, archived: bool = False, fork: bool = False,
                   empty: bool = False) -> dict[str, Any]:
    """An entry of ``GET /groups/:id/projects``; ``forked_from_project`` only on forks, as GitLab does."""
    entry = {"id": abs(hash(path)) % 10**8, "name": path.rsplit("/", 1)[-1], "path_with_namespace": path,
             "default_branch": None if empty else "main", "archived": archived, "empty_repo": empty,
             "http_url_to_repo": http_url, "ssh_url_to_repo": f"git@gitlab.example:{path}.git",
             "web_url": f"https://gitlab.example/{path}", "visibility": "private"}
    if fork:
        entry["forked_from_project"] = {"id": 1, "path_with_namespace": "upstream/" + path.rsplit("/", 1)[-1]}
    return entry
