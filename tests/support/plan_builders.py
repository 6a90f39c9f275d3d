"""Small JSON plan documents in Terraform's documented format, for unit tests of the renderer.

The golden-file tests use real plans made by terraform; these builders cover the corners real
plans rarely show (sensitive values, unknown values, odd action lists) in a few lines each.
"""

from __future__ import annotations

from typing import Any

LB1 = {
    "name": "lborg",
    "full_name": "local/lborg/lborg",
    "alias": "lb1",
    "expressions": {
        "appliance_name": {"constant_value": "lb1"},
        "endpoint": {"constant_value": "https://127.4.0.1:10443"},
        "password_env": {"constant_value": "LBORG_PASSWORD"},
    },
}


def change(
    address: str,
    actions: list[str],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    after_unknown: dict[str, Any] | None = None,
    before_sensitive: Any = None,
    after_sensitive: Any = None,
    replace_paths: list[list[str]] | None = None,
) -> dict[str, Any]:
    """One ``resource_changes`` entry."""
    resource_type, name = address.split(".", 1)
    body: dict[str, Any] = {
        "actions": actions,
        "before": before,
        "after": after,
        "after_unknown": after_unknown or {},
        "before_sensitive": before_sensitive if before_sensitive is not None else ({} if before else False),
        "after_sensitive": after_sensitive if after_sensitive is not None else ({} if after else False),
    }
    if replace_paths:
        body["replace_paths"] = replace_paths
    return {
        "address": address,
        "mode": "managed",
        "type": resource_type,
        "name": name.split("[", 1)[0],
        "provider_name": "registry.terraform.io/local/lborg",
        "change": body,
    }


def plan(
    changes: list[dict[str, Any]],
    *,
    drift: list[dict[str, Any]] | None = None,
    providers: dict[str, dict[str, Any]] | None = None,
    provider_key: str = "lborg.lb1",
) -> dict[str, Any]:
    """A whole plan whose resources all use ``provider_key``."""
    providers = providers if providers is not None else {"lborg.lb1": LB1}
    resources = [
        {
            "address": entry["address"].split("[", 1)[0],
            "mode": "managed",
            "type": entry["type"],
            "name": entry["name"],
            "provider_config_key": provider_key,
        }
        for entry in changes
    ]
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "resource_changes": changes,
        "resource_drift": drift or [],
        "configuration": {"provider_config": providers, "root_module": {"resources": resources}},
    }


def l7_vip(label: str, **overrides: Any) -> dict[str, Any]:
    """A layer 7 VIP as the constructs configure a management pool."""
    values: dict[str, Any] = {
        "id": label,
        "label": label,
        "ip": "10.225.37.227",
        "ports": "443",
        "mode": "tcp",
        "scheduler": "roundrobin",
        "persistence": "ip",
        "persist_time": 35,
        "persist_table_size": 10240,
        "maxconn": 40000,
        "check_type": "connect",
        "check_port": 443,
        "timeout_client": "900000",
        "timeout_server": "901000",
    }
    return {**values, **overrides}


def l7_rip(vip: str, label: str, ip: str, **overrides: Any) -> dict[str, Any]:
    """A layer 7 real server."""
    values: dict[str, Any] = {
        "id": f"{vip}/{label}",
        "vip": vip,
        "label": label,
        "ip": ip,
        "port": 443,
        "weight": 100,
        "minconns": 0,
        "maxconns": 0,
        "encrypted": False,
    }
    return {**values, **overrides}
