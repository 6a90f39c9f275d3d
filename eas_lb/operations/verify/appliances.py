"""API clients for the site's appliances, built from the site file's endpoints and credential names."""

from __future__ import annotations

import os
from dataclasses import dataclass

from eas_lb.inputs.site import Credentials as SiteCredentials
from eas_lb.inputs.site import Deployment, Node, Site
from lborg_provider.client import ApiCredentials, ApplianceClient


class MissingCredentialsError(RuntimeError):
    """A credential environment variable the site names is not set."""


@dataclass(frozen=True)
class PairClients:
    pair: str
    primary: ApplianceClient
    secondary: ApplianceClient | None


def _env(name: str, node: Node) -> str:
    value = os.environ.get(name)
    if not value:
        raise MissingCredentialsError(f"appliance {node.name}: environment variable {name} is not set")
    return value


def client_for(site: Site, node: Node, *, timeout_seconds: float = 10.0) -> ApplianceClient:
    creds = site.credentials_for(node)
    username = creds.username or _env(creds.username_env, node)
    api_key = _env(creds.api_key_env, node) if creds.api_key_env else ""
    return ApplianceClient(
        node.endpoint,
        ApiCredentials(username, _env(creds.password_env, node), api_key),
        name=node.name,
        ca_file=str(node.ca_file) if node.ca_file else None,
        insecure=node.insecure,
        timeout_seconds=timeout_seconds,
        retries=1,
        credentials_source=_source(creds, username),
    )


def _source(creds: SiteCredentials, username: str) -> str:
    """Where verify took the credentials from, by variable name (never the values)."""
    user = f"the user name '{username}'" + ("" if creds.username else f" (from {creds.username_env})")
    key = f" and the API key in environment variable {creds.api_key_env}" if creds.api_key_env else ""
    return f"{user}, the password in environment variable {creds.password_env}{key}"


def pair_clients(deployment: Deployment) -> list[PairClients]:
    site = deployment.site
    return [
        PairClients(
            plan.pair.name,
            client_for(site, plan.pair.primary),
            client_for(site, plan.pair.secondary) if plan.pair.secondary else None,
        )
        for plan in deployment.pairs
    ]
