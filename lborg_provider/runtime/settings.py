"""Resolve the provider block plus environment into the settings of one appliance connection.

Secrets are best kept out of configuration: `password_env`/`api_key_env` name an environment
variable (this is how cdktf passes credentials without writing their value into cdk.tf.json),
`*_file` names a file, and `LBORG_*` variables are the last fallback. Errors say which attribute or
variable to set and never echo a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tf.types import Unknown

from lborg_provider.client.endpoint import endpoint_host, normalize_endpoint

DEFAULT_TIMEOUT_SECONDS = 30.0


class SettingsError(ValueError):
    """A provider setting is missing or wrong; `attribute` names where to fix it."""

    def __init__(self, attribute: str, message: str) -> None:
        super().__init__(message)
        self.attribute = attribute


@dataclass(frozen=True)
class ApplianceSettings:
    endpoint: str
    username: str
    password: str = field(repr=False)
    api_key: str = field(repr=False)
    ca_file: str | None
    insecure: bool
    appliance_name: str
    timeout_seconds: float
    #: Where the credentials came from, by name (never value), for authentication failures.
    credentials_source: str = ""


def _given(config: Mapping[str, Any], key: str) -> Any:
    """A configured value, treating null and (during validation) unknown values as absent."""
    value = config.get(key)
    if value is None or value is Unknown:
        return None
    return value


def _read_secret_file(attribute: str, path: str) -> str:
    try:
        content = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(attribute, f"{attribute}: cannot read {path}: {error.strerror}") from None
    secret = content.strip()
    if not secret:
        raise SettingsError(attribute, f"{attribute}: {path} is empty")
    return secret


def _secret(config: Mapping[str, Any], env: Mapping[str, str], name: str, env_var: str) -> str:
    """Resolve a secret from `name`, `name_env`, `name_file`, then $LBORG_X, then $LBORG_X_FILE."""
    return _secret_and_source(config, env, name, env_var)[0]


def _secret_and_source(
    config: Mapping[str, Any], env: Mapping[str, str], name: str, env_var: str
) -> tuple[str, str]:
    """The secret and where it came from, in words that name a variable or file, never the value."""
    words = name.replace("_", " ")
    direct = _given(config, name)
    if direct:
        return str(direct), f"the {words} set in the provider block"
    var_name = _given(config, f"{name}_env")
    if var_name:
        value = env.get(str(var_name), "")
        if not value:
            raise SettingsError(
                f"{name}_env",
                f"{name}_env names the environment variable {var_name}, which is not set or empty",
            )
        return value, f"the {words} in environment variable {var_name}"
    file_path = _given(config, f"{name}_file")
    if file_path:
        return _read_secret_file(f"{name}_file", str(file_path)), f"the {words} in file {file_path}"
    if env.get(env_var):
        return env[env_var], f"the {words} in environment variable {env_var}"
    if env.get(f"{env_var}_FILE"):
        path = env[f"{env_var}_FILE"]
        return _read_secret_file(f"{env_var}_FILE", path), f"the {words} in file {path} ({env_var}_FILE)"
    raise SettingsError(
        name,
        f"no {name.replace('_', ' ')} for the appliance: set {name}, {name}_env or {name}_file in the "
        f"provider block, or the environment variable {env_var} or {env_var}_FILE",
    )


def resolve_settings(config: Mapping[str, Any], env: Mapping[str, str]) -> ApplianceSettings:
    """Build the connection settings or raise `SettingsError` naming the attribute to fix."""
    raw_endpoint = _given(config, "endpoint") or env.get("LBORG_ENDPOINT")
    if not raw_endpoint:
        raise SettingsError("endpoint", 'no endpoint: set endpoint = "https://HOST:9443" or LBORG_ENDPOINT')
    try:
        endpoint = normalize_endpoint(str(raw_endpoint))
    except ValueError as error:
        raise SettingsError("endpoint", str(error)) from None
    username = _given(config, "username") or env.get("LBORG_USERNAME")
    if not username:
        raise SettingsError("username", "no username: set username or LBORG_USERNAME")
    password, password_source = _secret_and_source(config, env, "password", "LBORG_PASSWORD")
    api_key, api_key_source = _secret_and_source(config, env, "api_key", "LBORG_API_KEY")
    ca_file = _given(config, "ca_file") or env.get("LBORG_CA_FILE") or None
    if ca_file and not Path(str(ca_file)).is_file():
        raise SettingsError("ca_file", f"ca_file: {ca_file} does not exist or is not a file")
    insecure = bool(_given(config, "insecure") or False)
    timeout = _given(config, "timeout_seconds")
    timeout_seconds = DEFAULT_TIMEOUT_SECONDS if timeout is None else float(timeout)
    if timeout_seconds <= 0:
        raise SettingsError("timeout_seconds", f"timeout_seconds must be positive, not {timeout}")
    name = _given(config, "appliance_name") or endpoint_host(endpoint)
    return ApplianceSettings(
        endpoint=endpoint,
        username=str(username),
        password=password,
        api_key=api_key,
        ca_file=str(ca_file) if ca_file else None,
        insecure=insecure,
        appliance_name=str(name),
        timeout_seconds=timeout_seconds,
        credentials_source=f"the user name '{username}', {password_source} and {api_key_source}",
    )
