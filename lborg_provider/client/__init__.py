"""A plain API v2 client for Loadbalancer.org appliances (requests + urllib3 Retry).

No Terraform or cdktf import lives here; tests and tools may use it directly. `ApplianceClient`
and `ApiCredentials` are imported on first use, so importing the error types (which every provider
start does) does not pay for `requests`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lborg_provider.client.envelope import ActionResult
from lborg_provider.client.errors import (
    ApplianceActionError,
    ApplianceAuthError,
    ApplianceError,
    ApplianceProtocolError,
    ApplianceTlsError,
    ApplianceUnreachable,
)

if TYPE_CHECKING:
    from lborg_provider.client.api import ApiCredentials, ApplianceClient

_LAZY = {"ApplianceClient", "ApiCredentials"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from lborg_provider.client import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ActionResult",
    "ApiCredentials",
    "ApplianceActionError",
    "ApplianceAuthError",
    "ApplianceClient",
    "ApplianceError",
    "ApplianceProtocolError",
    "ApplianceTlsError",
    "ApplianceUnreachable",
]
