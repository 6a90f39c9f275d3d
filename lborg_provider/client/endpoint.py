"""Normalize the provider's `endpoint` to the one URL the API listens on."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORT = 9443
API_PATH = "/api/v2/"


def normalize_endpoint(endpoint: str) -> str:
    """`https://HOST[:PORT][/api/v2[/]]` → `https://HOST:PORT/api/v2/`; anything else is a ValueError.

    Only https is accepted: the API carries the WebUI password and the API key on every request.
    """
    raw = endpoint.strip()
    parts = urlsplit(raw)
    if parts.scheme != "https":
        raise ValueError(f"endpoint '{raw}' must start with https:// (the API is only served over TLS)")
    if not parts.hostname:
        raise ValueError(f"endpoint '{raw}' has no host; expected https://HOST:PORT")
    if parts.username or parts.password:
        raise ValueError("endpoint must not contain credentials; use username/password/api_key")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError as error:
        raise ValueError(f"endpoint '{raw}': {error}") from None
    path = parts.path.rstrip("/")
    if path not in ("", API_PATH.rstrip("/")):
        raise ValueError(f"endpoint '{raw}': path must be empty or {API_PATH}, not '{parts.path}'")
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    return f"https://{shown}:{port}{API_PATH}"


def endpoint_host(endpoint: str) -> str:
    """The host part, used as the appliance's name in messages when none is configured."""
    return urlsplit(endpoint.strip()).hostname or endpoint
