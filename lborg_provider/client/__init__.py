"""A plain API v2 client for Loadbalancer.org appliances (requests + urllib3 Retry).

No Terraform or cdktf import lives here; tests and tools may use it directly.
"""

from lborg_provider.client.api import ApplianceClient, Credentials
from lborg_provider.client.envelope import ActionResult
from lborg_provider.client.errors import (
    ApplianceActionError,
    ApplianceAuthError,
    ApplianceError,
    ApplianceProtocolError,
    ApplianceTlsError,
    ApplianceUnreachable,
)

__all__ = [
    "ActionResult",
    "ApplianceActionError",
    "ApplianceAuthError",
    "ApplianceClient",
    "ApplianceError",
    "ApplianceProtocolError",
    "ApplianceTlsError",
    "ApplianceUnreachable",
    "Credentials",
]
