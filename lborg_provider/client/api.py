"""`ApplianceClient`: one appliance's API v2 over HTTPS, with retries, time-outs and typed errors.

Reads (`list`, `nodestatus`) and idempotent writes are retried with backoff on connection errors
and HTTP 5xx; other writes are retried only when the connection could not be opened (the request
never reached the appliance), because sending `add-vip` twice would answer `exists`.
"""

from __future__ import annotations

import base64
import errno
import json
import logging
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from lborg_provider.client.endpoint import endpoint_host, normalize_endpoint
from lborg_provider.client.envelope import Action, ActionResult, parse_results, request_body
from lborg_provider.client.errors import (
    ApplianceActionError,
    ApplianceAuthError,
    ApplianceProtocolError,
    ApplianceTlsError,
    ApplianceUnreachable,
)
from lborg_provider.client.payload import (
    ShapeError,
    advanced_from_result,
    config_from_result,
    nodestatus_from_result,
)
from lborg_provider.client.redact import excerpt

LOG = logging.getLogger(__name__)

READ_ACTIONS = frozenset({"list", "nodestatus"})
#: The whole configuration, read on its own or after the writes of a batch.
DUMPCONFIG: Action = {"action": "list", "function": "dumpconfig"}
_RETRY_STATUSES = (500, 502, 503, 504)


@dataclass(frozen=True)
class ApiCredentials:
    """WebUI user and API key; `repr` hides the secrets so they cannot leak through logging."""

    username: str
    password: str = field(repr=False)
    api_key: str = field(repr=False)


def _retry(*, full: bool, attempts: int, backoff: float) -> Retry:
    if full:
        return Retry(
            total=attempts,
            connect=attempts,
            read=attempts,
            status=attempts,
            other=0,
            backoff_factor=backoff,
            status_forcelist=_RETRY_STATUSES,
            allowed_methods=frozenset({"POST"}),
            raise_on_status=False,
            respect_retry_after_header=True,
        )
    return Retry(total=attempts, connect=attempts, read=0, status=0, other=0, backoff_factor=backoff)


def _session(retry: Retry, verify: str | bool) -> requests.Session:
    session = requests.Session()
    session.verify = verify
    session.trust_env = False  # an HTTPS_PROXY meant for the internet must not see appliance traffic
    adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=16)
    session.mount("https://", adapter)
    return session


class ApplianceClient:
    """A plain library client; it knows nothing about Terraform.

    `call` returns every result; `run` raises `ApplianceActionError` for the first non-success.
    """

    def __init__(
        self,
        endpoint: str,
        credentials: ApiCredentials,
        *,
        name: str | None = None,
        ca_file: str | None = None,
        insecure: bool = False,
        timeout_seconds: float = 30.0,
        retries: int = 3,
        backoff_factor: float = 0.3,
        credentials_source: str = "",
    ) -> None:
        """`credentials_source` says where the credentials came from (names, never values), for
        the message of an authentication failure: "the password in $LB_PAIR1_PASSWORD, ..."."""
        self.endpoint = normalize_endpoint(endpoint)
        self.credentials_source = credentials_source
        self.name = name or endpoint_host(self.endpoint)
        self.ca_file = ca_file
        self.insecure = insecure
        self.timeout = (min(10.0, timeout_seconds), timeout_seconds)
        self.requests_sent = 0
        #: Wall seconds spent waiting for the appliance's answers (what a benchmark splits out).
        self.request_seconds = 0.0
        #: Called with each batch and the whole parsed response body (doctor's --capture).
        self.response_observer: Callable[[Sequence[Action], Any], None] | None = None
        verify: str | bool = False if insecure else (ca_file or True)
        if insecure:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self._headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-LB-APIKEY": base64.b64encode(credentials.api_key.encode()).decode(),
        }
        self._auth = (credentials.username, credentials.password)
        self._retrying = _session(_retry(full=True, attempts=retries, backoff=backoff_factor), verify)
        self._connect_only = _session(_retry(full=False, attempts=retries, backoff=backoff_factor), verify)

    def close(self) -> None:
        self._retrying.close()
        self._connect_only.close()

    # -- transport ---------------------------------------------------------------------------
    def call(self, actions: Sequence[Action], *, idempotent: bool | None = None) -> list[ActionResult]:
        """Send one ordered batch and return one result per action (never raises on a status)."""
        if not actions:
            return []
        if idempotent is None:
            idempotent = all(action.get("action") in READ_ACTIONS for action in actions)
        session = self._retrying if idempotent else self._connect_only
        names = ",".join(str(action.get("action")) for action in actions)
        LOG.debug("appliance %s: POST %s actions=%s", self.name, self.endpoint, names)
        self.requests_sent += 1
        started = time.monotonic()
        try:
            response = session.post(
                self.endpoint,
                data=json.dumps(request_body(actions)),
                headers=self._headers,
                auth=self._auth,
                timeout=self.timeout,
            )
        except requests.exceptions.SSLError as error:
            raise ApplianceTlsError(
                self.name, self.endpoint, self._ca_description(), _reason(error)
            ) from None
        except requests.exceptions.Timeout:
            raise ApplianceUnreachable(
                self.name,
                f"appliance {self.name} ({self.endpoint}): no answer within {self.timeout[1]:g} s "
                f"(actions: {names})",
            ) from None
        except requests.exceptions.RequestException as error:
            raise ApplianceUnreachable(
                self.name,
                f"appliance {self.name} ({self.endpoint}): cannot connect: {_connect_reason(error)} "
                f"(actions: {names})",
            ) from None
        finally:
            self.request_seconds += time.monotonic() - started
        if response.status_code in (401, 403):
            raise ApplianceAuthError(self.name, self.endpoint, response.status_code, self.credentials_source)
        if response.status_code != 200:
            raise ApplianceUnreachable(
                self.name,
                f"appliance {self.name} ({self.endpoint}): HTTP {response.status_code} for actions {names}: "
                f"{response.text[:300].strip()}",
            )
        try:
            body = response.json()
        except ValueError:
            raise ApplianceProtocolError(
                self.name,
                f"appliance {self.name}: response to {names} is not JSON: {response.text[:200].strip()!r}",
            ) from None
        if self.response_observer is not None:
            self.response_observer(actions, body)
        return parse_results(body, actions)

    def run(self, actions: Sequence[Action], *, idempotent: bool | None = None) -> list[ActionResult]:
        """Like `call`, but every non-success becomes one `ApplianceActionError` naming all of them."""
        results = self.call(actions, idempotent=idempotent)
        raise_for_results(self.name, actions, results)
        return results

    def _ca_description(self) -> str:
        return f"CA file {self.ca_file}" if self.ca_file else "the system CA store (no ca_file set)"

    # -- reads -------------------------------------------------------------------------------
    # Each read accepts every layout the vendor's sources allow (see `payload`) and raises
    # `ApplianceProtocolError` for any other: an unknown shape is never read as "nothing there".
    def dumpconfig(self) -> dict[str, Any]:
        """The whole configuration (`list dumpconfig`) in canonical shape."""
        return self.config_of(self.run([DUMPCONFIG])[0])

    def config_of(self, result: ActionResult) -> dict[str, Any]:
        """The configuration a `list dumpconfig` answered (alone, or after a batch's writes)."""
        return self.payload_of(result, "list dumpconfig", config_from_result, DUMPCONFIG)

    def advanced(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Layer 7 and Layer 4 global settings (`list advanced`), read in one request."""
        actions = [
            {"action": "list", "function": "advanced", "layer": "7"},
            {"action": "list", "function": "advanced", "layer": "4"},
        ]
        results = self.run(actions)
        l7, l4 = (
            self.payload_of(result, f"list advanced layer {sent['layer']}", advanced_from_result, sent)
            for sent, result in zip(actions, results, strict=True)
        )
        return l7, l4

    def nodestatus(self) -> dict[str, Any]:
        """`nodestatus`: what the node says about itself; only a hint (no documented fields)."""
        action = {"action": "nodestatus"}
        return self._read(action, "nodestatus", lambda raw: nodestatus_from_result(raw, action))

    def _read(
        self, action: Action, what: str, parse: Callable[[Mapping[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        result = self.run([action])[0]
        return self.payload_of(result, what, lambda raw, _sent: parse(raw), action)

    def payload_of(
        self,
        result: ActionResult,
        what: str,
        parse: Callable[[Mapping[str, Any], Action], dict[str, Any]],
        sent: Action,
    ) -> dict[str, Any]:
        try:
            return parse(result.raw, sent)
        except ShapeError as error:
            raise unreadable(self.name, what, error, result.raw) from None


def unreadable(name: str, what: str, error: ShapeError, raw: Any) -> ApplianceProtocolError:
    """The error for a response in a shape the provider does not know, with a redacted excerpt."""
    return ApplianceProtocolError(
        name,
        f"appliance {name}: the answer to '{what}' is not in a layout the provider recognizes "
        f"({error}); nothing was read from it and resources stay in state unchanged. Response "
        f"(redacted): {excerpt(raw)}. Run `eas-lb doctor --capture FILE` against "
        "this appliance and attach FILE to a bug report.",
    )


def action_label(action: Action) -> str:
    """The label an action is about, for messages: `VIP/RIP`, a VIP, an IP or an interface."""
    if action.get("vip") and action.get("rip"):
        return f"{action['vip']}/{action['rip']}"
    for key in ("vip", "ip", "peer_ip", "network", "interface", "hostname"):
        if action.get(key):
            return str(action[key])
    return ""


def raise_for_results(name: str, actions: Sequence[Action], results: Sequence[ActionResult]) -> None:
    """Raise one error for the first non-success, mentioning any further ones in its detail."""
    failures = [(action, result) for action, result in zip(actions, results, strict=False) if not result.ok]
    if not failures:
        return
    action, result = failures[0]
    detail = result.message
    others = [
        f"{other.action} on '{action_label(sent)}': {other.status}: {other.message}"
        for sent, other in failures[1:]
        if "not run" not in other.message
    ]
    if others:
        detail += " (also: " + "; ".join(others) + ")"
    raise ApplianceActionError(name, str(action.get("action")), action_label(action), result.status, detail)


_PLAIN_ERRNO = {
    errno.ECONNREFUSED: "connection refused: nothing listens at that address and port; is the appliance "
    "running, and are the endpoint's address and port right?",
    errno.EHOSTUNREACH: "no route to the host; check the endpoint's address and this machine's network",
    errno.ENETUNREACH: "the network is unreachable from this machine; check the endpoint's address",
    errno.ECONNRESET: "the connection was reset by the appliance (or something in between)",
}


def _connect_reason(error: BaseException) -> str:
    """A connection failure in plain words (refused, unreachable, unknown host), else `_reason`."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "the endpoint's host name cannot be resolved; check its spelling or use an IP address"
        if isinstance(current, OSError) and current.errno in _PLAIN_ERRNO:
            return _PLAIN_ERRNO[current.errno]
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
        pending += [
            a for a in (getattr(current, "reason", None), *current.args) if isinstance(a, BaseException)
        ]
    text = _reason(error)
    for number, words in _PLAIN_ERRNO.items():
        if f"[Errno {number}]" in text:
            return words
    if "Failed to resolve" in text or "Name or service not known" in text:
        return "the endpoint's host name cannot be resolved; check its spelling or use an IP address"
    return text


def _reason(error: BaseException) -> str:
    """The innermost useful reason of a requests/urllib3 error, without URLs' query strings."""
    reason: BaseException = error
    for _ in range(5):
        inner = getattr(reason, "reason", None) or (reason.args[0] if reason.args else None)
        if isinstance(inner, BaseException):
            reason = inner
        else:
            break
    text = str(reason)
    return text[:300]
