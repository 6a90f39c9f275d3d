"""API clients for the site's appliances, built from the site file's endpoints and credential names."""

from __future__ import annotations

import os
from dataclasses import dataclass

from eas_lb.inputs.site import Credentials as SiteCredentials
from eas_lb.inputs.site import Deployment, Node, Site, ca_file_fault
from lborg_provider.client import ApiCredentials, ApplianceClient


class MissingCredentialsError(RuntimeError):
    """A credential environment variable the site names is not set."""


@dataclass(frozen=True)
class PairClients:
    pair: str
    primary: ApplianceClient
    secondary: ApplianceClient | None


def _needed(creds: SiteCredentials) -> list[str]:
    """The variables an appliance's credentials read, in the order a user sets them."""
    names = [] if creds.username else [creds.username_env]
    names.append(creds.password_env)
    if creds.api_key_env:
        names.append(creds.api_key_env)
    return names


def missing_variables(site: Site, nodes: list[Node]) -> list[str]:
    """Every credential variable these appliances need that is unset or empty, each once.

    Naming them all at once saves a user one failed run per variable.
    """
    missing: dict[str, None] = {}
    for node in nodes:
        for name in _needed(site.credentials_for(node)):
            if not os.environ.get(name):
                missing[name] = None
    return list(missing)


def _missing_error(names: list[str], nodes: list[Node]) -> MissingCredentialsError:
    which = f"appliance{'s' if len(nodes) > 1 else ''} " + ", ".join(node.name for node in nodes)
    if len(names) == 1:
        return MissingCredentialsError(f"environment variable {names[0]} is not set ({which})")
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return MissingCredentialsError(f"environment variables {listed} are not set ({which})")


def client_for(site: Site, node: Node, *, timeout_seconds: float = 10.0) -> ApplianceClient:
    missing = missing_variables(site, [node])
    if missing:
        raise _missing_error(missing, [node])
    creds = site.credentials_for(node)
    username = creds.username or os.environ[creds.username_env]
    api_key = os.environ[creds.api_key_env] if creds.api_key_env else ""
    return ApplianceClient(
        node.endpoint,
        ApiCredentials(username, os.environ[creds.password_env], api_key),
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
    """A client per appliance; first, one error naming every credential variable that is missing."""
    site = deployment.site
    nodes = [node for plan in deployment.pairs for node in plan.pair.nodes]
    missing = missing_variables(site, nodes)
    if missing:
        raise _missing_error(missing, nodes)
    return [
        PairClients(
            plan.pair.name,
            client_for(site, plan.pair.primary),
            client_for(site, plan.pair.secondary) if plan.pair.secondary else None,
        )
        for plan in deployment.pairs
    ]


_CA_FAULT_SAID = {
    "missing": "does not exist",
    "unreadable": "cannot be read",
    "not PEM": "holds no PEM certificate",
}


def missing_ca_files(deployment: Deployment) -> list[str]:
    """A sentence per appliance whose `ca_file` is not a readable PEM file (before any connection)."""
    messages = []
    for index, plan in enumerate(deployment.site.pairs):
        for role, node in (("primary", plan.primary), ("secondary", plan.secondary)):
            if node is None or node.ca_file is None or node.insecure:
                continue
            fault = ca_file_fault(node.ca_file, pem=True)
            if fault is None:
                continue
            messages.append(
                f"appliance {node.name}: ca_file {node.ca_file} {_CA_FAULT_SAID[fault]} "
                f"({deployment.source}, pairs[{index}].{role}.ca_file); point it at the PEM file of the CA "
                "that signed the appliance's API certificate (a simulator writes STATE_DIR/ca.pem, or "
                "CA_DIR/ca.pem with --ca-dir)"
            )
    return messages
