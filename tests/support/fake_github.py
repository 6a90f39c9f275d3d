"""A small stand-in for GitHub's REST issues API on loopback, recording every call.

It answers as GitHub documents (docs.github.com/rest/issues): `GET /repos/{owner}/{repo}/issues`
lists open issues AND pull requests (a pull request carries a `pull_request` key), 30 per page
unless `per_page`, with a `Link: <...>; rel="next"` header; `POST .../issues` opens one (201),
`PATCH .../issues/{n}` edits or closes it, `POST .../issues/{n}/comments` comments (201);
`GET /repos/{owner}/{repo}/actions/artifacts?name=` lists a workflow's artifacts, newest first. A call
without `Authorization: Bearer <token>` gets 401 and one whose JSON body is not an object gets
422, so a client that gets either wrong fails its test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message  # case-insensitive, as HTTP header names are
    body: Any


@dataclass
class FakeGitHub:
    repository: str
    token: str
    url: str = ""
    issues: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)

    def add_artifact(self, name: str, run_id: int, *, expired: bool = False) -> None:
        """An artifact as `GET /repos/{owner}/{repo}/actions/artifacts` lists it."""
        number = len(self.artifacts) + 1
        self.artifacts.append(
            {
                "id": number,
                "name": name,
                "expired": expired,
                "workflow_run": {"id": run_id, "head_sha": name[-40:]},
            }
        )

    def add(self, title: str, body: str, *, pull_request: bool = False) -> int:
        number = len(self.issues) + 1
        item: dict[str, Any] = {"number": number, "title": title, "body": body, "state": "open"}
        if pull_request:
            item["pull_request"] = {"url": f"{self.url}/repos/{self.repository}/pulls/{number}"}
        self.issues.append(item)
        return number

    def writes(self) -> list[tuple[str, str, Any]]:
        """(method, path, body) of every call that changed something."""
        return [(c.method, c.path, c.body) for c in self.calls if c.method != "GET"]

    def open_issues(self) -> list[dict[str, Any]]:
        return [i for i in self.issues if i["state"] == "open" and "pull_request" not in i]


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    prefix = f"/repos/{fake.repository}/issues"
    artifacts = f"/repos/{fake.repository}/actions/artifacts"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, document: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            call = Call(self.command, parts.path, parse_qs(parts.query), self.headers, body)
            fake.calls.append(call)
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                self._answer(401, {"message": "Bad credentials"})
                return
            if raw and not isinstance(body, dict):
                self._answer(422, {"message": "Invalid request."})
                return
            self._route(parts.path, call)

        def _route(self, path: str, call: Call) -> None:
            if path == artifacts and call.method == "GET":
                # Newest first, as GitHub lists them; `name` filters by exact name.
                name = call.query.get("name", [None])[0]
                found = [a for a in reversed(fake.artifacts) if name is None or a["name"] == name]
                self._answer(200, {"total_count": len(found), "artifacts": found})
            elif path == prefix and call.method == "GET":
                self._list(call)
            elif path == prefix and call.method == "POST":
                number = fake.add(call.body["title"], call.body.get("body", ""))
                self._answer(201, fake.issues[number - 1])
            elif path.startswith(prefix + "/") and path.endswith("/comments") and call.method == "POST":
                number = int(path.removeprefix(prefix + "/").split("/")[0])
                fake.comments.append({"issue": number, "body": call.body["body"]})
                self._answer(201, {"id": len(fake.comments), "body": call.body["body"]})
            elif path.startswith(prefix + "/") and call.method == "PATCH":
                number = int(path.removeprefix(prefix + "/"))
                if not 0 < number <= len(fake.issues):
                    self._answer(404, {"message": "Not Found"})
                    return
                fake.issues[number - 1].update(call.body)
                self._answer(200, fake.issues[number - 1])
            else:
                self._answer(404, {"message": "Not Found"})

        def _list(self, call: Call) -> None:
            state = call.query.get("state", ["open"])[0]
            per_page = int(call.query.get("per_page", ["30"])[0])
            page = int(call.query.get("page", ["1"])[0])
            matching = [i for i in fake.issues if state == "all" or i["state"] == state]
            chunk = matching[(page - 1) * per_page : page * per_page]
            headers = {}
            if page * per_page < len(matching):
                headers["Link"] = (
                    f'<{fake.url}{prefix}?state={state}&per_page={per_page}&page={page + 1}>; rel="next"'
                )
            self._answer(200, chunk, headers)

        do_GET = do_POST = do_PATCH = _handle

    return Handler


@contextmanager
def running_fake_github(
    host: str, repository: str = "site-owner/site", token: str = "ghs_jobtoken1234"
) -> Iterator[FakeGitHub]:
    fake = FakeGitHub(repository, token)
    server = ThreadingHTTPServer((host, 0), _handler(fake))
    fake.url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
