"""`LborgProviderPlugin`: the provider block's schema, its configuration, and the list of types.

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
from lborg_provider.resources.commit import CommitResource
from lborg_provider.resources.config_data import ConfigDataSource
from lborg_provider.resources.floating_ip import FloatingIpResource
from lborg_provider.resources.global_settings_data import GlobalSettingsDataSource
from lborg_provider.resources.ha_pair import HaPairResource
from lborg_provider.resources.hostname import HostnameResource
from lborg_provider.resources.interface_address import InterfaceAddressResource
from lborg_provider.resources.layer4_real_server import Layer4RealServerResource
from lborg_provider.resources.layer4_vip import Layer4VipResource
from lborg_provider.resources.layer7_real_server import Layer7RealServerResource
from lborg_provider.resources.layer7_vip import Layer7VipResource
from lborg_provider.resources.route import RouteResource
from lborg_provider.runtime.connection import ProviderData

if TYPE_CHECKING:
    from lborg_provider.runtime.connection import ApplianceConnection

RESOURCES: list[type[Any]] = [
    Layer7VipResource,
    Layer7RealServerResource,
    Layer4VipResource,
    Layer4RealServerResource,
    FloatingIpResource,
    HaPairResource,
    HostnameResource,
    InterfaceAddressResource,
    RouteResource,
    CommitResource,
]
DATA_SOURCES: list[type[Any]] = [ConfigDataSource, GlobalSettingsDataSource]


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


def _first_contact(connection: ApplianceConnection) -> tuple[str, str] | None:
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
        connection.config()
    except (ApplianceAuthError, ApplianceTlsError) as error:
        return error.summary.partition(": ")[2] or "cannot use the appliance", str(error)
    except ApplianceUnreachable as error:
        if "connection refused" in str(error) or "cannot be resolved" in str(error):
            return "appliance unreachable", str(error)
    except ApplianceError:
        pass
    return None


class LborgProviderPlugin:
    """The provider Terraform talks to; `tf` asks it for each resource and data source, which it
    builds with its data (the connection, once configured), never with itself."""

    def __init__(self) -> None:
        self.data = ProviderData()

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
        from lborg_provider.runtime.connection import ApplianceConnection
        from lborg_provider.runtime.settings import SettingsError, resolve_settings

        if any(value is Unknown for value in config.values()):
            # The block depends on something created in this apply; creates can still be planned.
            self.data.unavailable("the provider configuration is not known until apply")
            return
        try:
            settings = resolve_settings(config, os.environ)
        except SettingsError as error:
            self.data.unavailable(str(error))
            diags.add_error("lborg provider: invalid configuration", str(error), path=[error.attribute])
            return
        if settings.insecure:
            diags.add_warning(
                "lborg provider: TLS verification disabled",
                f"insecure = true: the certificate of {settings.appliance_name} is not verified, so the "
                "password and API key could be sent to an impostor. Set ca_file instead.",
            )
        connection = ApplianceConnection(settings)
        failure = _first_contact(connection)
        if failure is not None:
            summary, detail = failure
            self.data.unavailable(f"{detail} (reported once, for the provider block)")
            diags.add_error(f"lborg provider: {summary}", detail)
            return
        self.data.configured(connection)

    def get_data_sources(self) -> list[type[Any]]:
        return DATA_SOURCES

    def get_resources(self) -> list[type[Any]]:
        return RESOURCES

    def get_functions(self) -> list[type[Any]]:
        return []

    def new_resource(self, klass: type[Any]) -> Any:
        return klass(self.data)

    def new_data_source(self, klass: type[Any]) -> Any:
        return klass(self.data)

    def new_function(self, klass: type[Any]) -> Any:
        return klass(self)
