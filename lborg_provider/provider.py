"""`LborgProvider`: the provider block's schema, its configuration, and the list of types.

One provider instance is one appliance (use aliases for several). Terraform may start the
provider several times per command, so nothing here imports the HTTP client until
`configure_provider` runs.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tf.schema import Attribute, Schema
from tf.types import Bool, Number, String, Unknown

from lborg_provider import PROVIDER_SOURCE
from lborg_provider.data_sources.config import ConfigData
from lborg_provider.data_sources.global_settings import GlobalSettingsData
from lborg_provider.resources.base import NotConfigured
from lborg_provider.resources.commit import Commit
from lborg_provider.resources.floating_ip import FloatingIp
from lborg_provider.resources.ha_pair import HaPair
from lborg_provider.resources.hostname import Hostname
from lborg_provider.resources.interface_address import InterfaceAddress
from lborg_provider.resources.layer4_real_server import Layer4RealServer
from lborg_provider.resources.layer4_vip import Layer4Vip
from lborg_provider.resources.layer7_real_server import Layer7RealServer
from lborg_provider.resources.layer7_vip import Layer7Vip
from lborg_provider.resources.route import Route

if TYPE_CHECKING:
    from lborg_provider.appliance import Appliance

RESOURCES: list[type[Any]] = [
    Layer7Vip,
    Layer7RealServer,
    Layer4Vip,
    Layer4RealServer,
    FloatingIp,
    HaPair,
    Hostname,
    InterfaceAddress,
    Route,
    Commit,
]
DATA_SOURCES: list[type[Any]] = [ConfigData, GlobalSettingsData]


def provider_attributes() -> list[Attribute]:
    def opt(name: str, kind: Any, description: str, *, sensitive: bool = False) -> Attribute:
        return Attribute(name, kind, description=description, optional=True, sensitive=sensitive)

    return [
        opt(
            "endpoint",
            String(),
            "The appliance's API URL: `https://HOST:PORT` or `https://HOST:PORT/api/v2/` (port 9443 when "
            "omitted). Environment: `LBORG_ENDPOINT`.",
        ),
        opt("username", String(), "WebUI user for HTTP Basic authentication. Environment: `LBORG_USERNAME`."),
        opt(
            "password",
            String(),
            "WebUI password (sensitive). Prefer `password_env` or `password_file`. "
            "Environment: `LBORG_PASSWORD`.",
            sensitive=True,
        ),
        opt(
            "password_env",
            String(),
            "Name of an environment variable holding the password (its value never enters configuration).",
        ),
        opt(
            "password_file",
            String(),
            "Path of a file holding the password. Environment: `LBORG_PASSWORD_FILE`.",
        ),
        opt(
            "api_key",
            String(),
            "API key, sent base64-encoded as `X-LB-APIKEY` (sensitive). Prefer `api_key_env` or "
            "`api_key_file`. Environment: `LBORG_API_KEY`.",
            sensitive=True,
        ),
        opt("api_key_env", String(), "Name of an environment variable holding the API key."),
        opt(
            "api_key_file", String(), "Path of a file holding the API key. Environment: `LBORG_API_KEY_FILE`."
        ),
        opt(
            "ca_file",
            String(),
            "PEM file of the CA that signed the appliance's certificate (appliances ship self-signed "
            "ones). Default: the system CA store. Environment: `LBORG_CA_FILE`.",
        ),
        opt(
            "insecure",
            Bool(),
            "Skip TLS certificate verification. Default `false`; `true` is warned about on every run.",
        ),
        opt(
            "appliance_name",
            String(),
            "Name used in messages (for example `lb1-primary`). Default: the endpoint's host.",
        ),
        opt("timeout_seconds", Number(), "Time-out of one API request in seconds. Default 30."),
    ]


def _first_contact(appliance: Appliance) -> tuple[str, str] | None:
    """Read the configuration once at configure time, filling the shared read cache.

    Wrong credentials, an untrusted certificate or a refused connection would otherwise fail
    every resource with the same message (and a wrong password sent once per resource can lock
    the account); reported here, Terraform shows it once. Other failures (time-outs, 5xx) are
    left to the resources, which retry and name the action.
    """
    from lborg_provider.client.errors import (
        ApplianceAuthError,
        ApplianceError,
        ApplianceTlsError,
        ApplianceUnreachable,
    )

    try:
        appliance.config()
    except (ApplianceAuthError, ApplianceTlsError) as error:
        return error.summary.partition(": ")[2] or "cannot use the appliance", str(error)
    except ApplianceUnreachable as error:
        if "connection refused" in str(error) or "cannot be resolved" in str(error):
            return "appliance unreachable", str(error)
    except ApplianceError:
        pass
    return None


class LborgProvider:
    """The provider; `tf` builds resources with `klass(self)`, so they reach the appliance here."""

    def __init__(self) -> None:
        self._appliance: Appliance | None = None
        self._problem = "the provider block was not configured"

    def get_model_prefix(self) -> str:
        return "lborg"

    def full_name(self) -> str:
        return PROVIDER_SOURCE

    def get_provider_schema(self, diags: Any) -> Schema:
        return Schema(
            attributes=provider_attributes(),
            description="Configures one Loadbalancer.org appliance (API v2). Use aliases for several.",
        )

    def validate_config(self, diags: Any, config: dict[str, Any]) -> None:
        for secret in ("password", "api_key"):
            given = [name for name in (secret, f"{secret}_env", f"{secret}_file") if config.get(name)]
            if len(given) > 1:
                diags.add_error(
                    f"lborg provider: conflicting {secret} settings",
                    f"set only one of {', '.join(given)}",
                    path=[given[1]],
                )

    def configure_provider(self, diags: Any, config: dict[str, Any]) -> None:
        from lborg_provider.appliance import Appliance
        from lborg_provider.settings import SettingsError, resolve_settings

        if any(value is Unknown for value in config.values()):
            # The block depends on something created in this apply; creates can still be planned.
            self._problem = "the provider configuration is not known until apply"
            return
        try:
            settings = resolve_settings(config, os.environ)
        except SettingsError as error:
            self._problem = str(error)
            diags.add_error("lborg provider: invalid configuration", str(error), path=[error.attribute])
            return
        if settings.insecure:
            diags.add_warning(
                "lborg provider: TLS verification disabled",
                f"insecure = true: the certificate of {settings.appliance_name} is not verified, so the "
                "password and API key could be sent to an impostor. Set ca_file instead.",
            )
        appliance = Appliance(settings)
        failure = _first_contact(appliance)
        if failure is not None:
            summary, detail = failure
            self._problem = f"{detail} (reported once, for the provider block)"
            diags.add_error(f"lborg provider: {summary}", detail)
            return
        self._appliance = appliance

    def appliance(self) -> Appliance:
        if self._appliance is None:
            raise NotConfigured(self._problem)
        return self._appliance

    def get_data_sources(self) -> list[type[Any]]:
        return DATA_SOURCES

    def get_resources(self) -> list[type[Any]]:
        return RESOURCES

    def get_functions(self) -> list[type[Any]]:
        return []

    def new_resource(self, klass: type[Any]) -> Any:
        return klass(self)

    def new_data_source(self, klass: type[Any]) -> Any:
        return klass(self)

    def new_function(self, klass: type[Any]) -> Any:
        return klass(self)
