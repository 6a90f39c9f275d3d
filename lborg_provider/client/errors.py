"""Typed failures of the appliance API, each carrying the facts a user needs to act on it.

Messages never contain credentials: an authentication failure says only that it failed.
"""

from __future__ import annotations


class ApplianceError(Exception):
    """Base class: something went wrong talking to one appliance."""

    def __init__(self, appliance: str, message: str) -> None:
        super().__init__(message)
        self.appliance = appliance
        self.message = message

    @property
    def summary(self) -> str:
        """A one-line summary for a Terraform diagnostic."""
        return f"appliance {self.appliance}: {type(self).__name__}"

    def __str__(self) -> str:
        return self.message


class ApplianceAuthError(ApplianceError):
    """HTTP 401/403: the username, password or API key was not accepted."""

    def __init__(self, appliance: str, endpoint: str, status: int, credentials_source: str = "") -> None:
        where = credentials_source or "the username, password and API key given to the provider"
        super().__init__(
            appliance,
            f"appliance {appliance} ({endpoint}): authentication failed (HTTP {status}); check {where}",
        )
        self.status = status

    @property
    def summary(self) -> str:
        return f"appliance {self.appliance}: authentication failed"


class ApplianceTlsError(ApplianceError):
    """The appliance's certificate could not be verified against the CA in use."""

    def __init__(self, appliance: str, endpoint: str, ca_description: str, reason: str) -> None:
        super().__init__(
            appliance,
            f"appliance {appliance} ({endpoint}): TLS verification failed using {ca_description}: "
            f"{reason}. Point ca_file (or LBORG_CA_FILE) at the CA that signed the appliance's "
            "certificate; insecure = true skips verification and is not recommended",
        )
        self.ca_description = ca_description

    @property
    def summary(self) -> str:
        return f"appliance {self.appliance}: TLS certificate not trusted"


class ApplianceUnreachable(ApplianceError):
    """No usable HTTP answer: connection refused, time-out, or an HTTP error after retries."""

    @property
    def summary(self) -> str:
        return f"appliance {self.appliance}: unreachable"


class ApplianceProtocolError(ApplianceError):
    """The appliance answered, but not in a shape this client understands."""

    @property
    def summary(self) -> str:
        return f"appliance {self.appliance}: unexpected response"


class ApplianceActionError(ApplianceError):
    """An lbcli action answered `failed`, `fatal`, `missing` or `exists`."""

    def __init__(self, appliance: str, action: str, label: str, status: str, detail: str) -> None:
        where = f" on '{label}'" if label else ""
        super().__init__(
            appliance,
            f"appliance {appliance}: action '{action}'{where} returned '{status}': "
            f"{detail or '(no message)'}",
        )
        self.action = action
        self.label = label
        self.status = status
        self.detail = detail

    @property
    def summary(self) -> str:
        return f"appliance {self.appliance}: {self.action} {self.status}"
