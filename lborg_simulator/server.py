"""HTTPS front end: authentication, the lbcli envelope, fault injection.

`POST /api/v2/` is the public API (Basic auth AND an API key). `POST /api/v2/peer` is the
simulator's stand-in for the appliance's internal HA channel (the real one syncs over SSH after
`ha_create` exchanged keys using the peer password); it takes Basic auth (the peer password, at
`ha_create`) or the pairing key handed over then (`pairing.py`).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import socket
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lborg_simulator.appliance import SimulatedAppliance
from lborg_simulator.faults import APPLIED_KINDS, FaultInjector, FaultSettings
from lborg_simulator.layouts import DEFAULT_LAYOUT, reshape_all
from lborg_simulator.pairing import PAIRING_HEADER
from lborg_simulator.tls import ServerCredentials

API_PATH = "/api/v2/"
PEER_PATH = "/api/v2/peer"
MAX_BODY = 10 * 1024 * 1024
# Layout alike eas_lb's live_servers.py (constants, a frozen dataclass); the simulator never imports eas_lb.
_LBCLI_SHAPE = 'request body must be {"lbcli": [ {"action": ...}, ... ]}'
API_KEY_HEADERS = ("X-LB-APIKEY", "X_LB_APIKEY")


@dataclass(frozen=True)
class SimulatorAccount:
    """The one account the simulated API accepts: a WebUI user, its password and the API key."""

    username: str
    password: str
    api_key: str


PeerHandler = Callable[[dict[str, Any]], dict[str, Any]]


def envelope(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The vendor's response shape, spelling (`itteration`) included."""
    return {"lbapi": [{"itteration": [{"lbcli": results}]}]}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        appliance: SimulatedAppliance,
        credentials: SimulatorAccount,
        faults: FaultInjector,
        tls: ServerCredentials,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, ApiHandler)
        self.appliance = appliance
        self.credentials = credentials
        self.faults = faults
        self.peer_handler: PeerHandler | None = None
        #: Checks the HA pairing key a paired primary sends instead of the password.
        self.peer_key_check: Callable[[str], bool] | None = None
        self.response_layout = DEFAULT_LAYOUT
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(str(tls.cert_file), str(tls.key_file))
        self.ssl_context = context

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        return self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ssl.SSLError | ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class ApiHandler(BaseHTTPRequestHandler):
    server: ApiServer
    protocol_version = "HTTP/1.1"
    server_version = "lborg-simulator"
    timeout = 60
    _body_read = False

    def setup(self) -> None:
        # Headers and body leave in separate writes; without TCP_NODELAY, Nagle plus the
        # client's delayed ACK adds ~40 ms to every answer.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().setup()
        conn = self.connection
        if isinstance(conn, ssl.SSLSocket):
            conn.settimeout(30)
            conn.do_handshake()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet by default: request lines carry no secrets, but they are noise in test output."""

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        if not self._body_read and self.command == "POST":
            # An answer given before the request body was read (401, injected 500, ...) would
            # leave that body in the stream as the "next request" of a kept-alive connection.
            self.close_connection = True
        self.send_response(status)
        if self.close_connection:
            # Said, not only done: a client that is not told keeps the connection in its pool and
            # may send its next request on it just as the close arrives ("Remote end closed
            # connection without response"), a race the faults suite hit about one run in five.
            self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _basic_ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, sep, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        creds = self.server.credentials
        return bool(sep) and all([_same(user, creds.username), _same(password, creds.password)])

    def _api_key_ok(self) -> bool:
        for name in API_KEY_HEADERS:
            value = self.headers.get(name)
            if value is None:
                continue
            try:
                key = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return False
            return _same(key, self.server.credentials.api_key)
        return False

    def _read_json(self) -> Any:
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit():
            raise ValueError("a Content-Length header is required")
        length = int(length_text)
        if length > MAX_BODY:
            raise ValueError(f"request body over {MAX_BODY} bytes")
        data = self.rfile.read(length)
        self._body_read = True
        return json.loads(data or b"null")

    def _json_object(self, not_an_object: str) -> dict[str, Any] | None:
        """The request's JSON object; None once a 400 has answered a body that is not JSON, or
        JSON but not an object (`not_an_object` says what was expected)."""
        try:
            body = self._read_json()
        except (ValueError, UnicodeDecodeError) as error:
            self._send_json(400, {"error": f"request body is not valid JSON: {error}"})
            return None
        if not isinstance(body, dict):
            self._send_json(400, {"error": not_an_object})
            return None
        return body

    def do_GET(self) -> None:
        self._send_json(405, {"error": "use POST with a JSON body"})

    def do_POST(self) -> None:
        self._body_read = False
        path = self.path.split("?", 1)[0]
        if path == PEER_PATH:
            self._peer()
        elif path in (API_PATH, API_PATH.rstrip("/")):
            self._api()
        else:
            self._send_json(404, {"error": f"no such endpoint {path}; the API is at {API_PATH}"})

    def _api(self) -> None:
        try:
            fault, settings = self.server.faults.draw()
        except ValueError as error:
            self._send_json(500, {"error": str(error)})
            return
        if settings.latency_ms:
            time.sleep(settings.latency_ms / 1000)
        if not (self._basic_ok() and self._api_key_ok()):
            self._send_json(401, {"error": "authentication failed"})
            return
        self.server.appliance.count_request()
        if fault == "drop":
            self.close_connection = True
            self.connection.close()
            return
        if fault == "timeout":
            time.sleep(settings.timeout_s)
            self.close_connection = True
            return
        if fault == "http500":
            self._send_json(500, {"error": "internal server error (injected fault)"})
            return
        body = self._json_object(_LBCLI_SHAPE)
        if body is None:
            return
        actions = body.get("lbcli")
        if not isinstance(actions, list):
            self._send_json(400, {"error": _LBCLI_SHAPE})
            return
        if fault == "failed":
            results = [
                {
                    "action": str(a.get("action", "")) if isinstance(a, dict) else "",
                    "status": "failed",
                    "message": "injected fault: action failed",
                }
                for a in actions
            ]
        else:
            started = time.perf_counter()
            results = reshape_all(
                self.server.response_layout, actions, self.server.appliance.run_batch(actions)
            )
            self.server.appliance.counters.busy_seconds += time.perf_counter() - started
        if fault in APPLIED_KINDS:
            self._lose_answer(fault, settings, results)
            return
        self._send_json(200, envelope(results))

    def _lose_answer(self, fault: str, settings: FaultSettings, results: list[dict[str, Any]]) -> None:
        """The actions ran (outside the appliance lock, which `run_batch` has released); the answer
        now comes too late, as an HTTP 500, or not at all, as when a network cuts after the fact."""
        self.close_connection = True
        if fault == "late":
            time.sleep(settings.timeout_s)
            self._send_json(200, envelope(results))
        elif fault == "lost":
            self._send_json(500, {"error": "internal server error (injected fault after the actions ran)"})
        else:  # cut
            self.connection.close()

    def _peer(self) -> None:
        key = self.headers.get(PAIRING_HEADER)
        check = self.server.peer_key_check
        by_key = key is not None and check is not None and check(key)
        if not (by_key or self._basic_ok()):
            self._send_json(401, {"error": "authentication failed"})
            return
        handler = self.server.peer_handler
        if handler is None:
            self._send_json(404, {"error": "HA is not available on this simulator"})
            return
        body = self._json_object("peer request must be a JSON object")
        if body is None:
            return
        self.server.appliance.count_request(peer=True)
        self._send_json(200, handler(body))
