"""The schema is the contract with the constructs: names, flags and docs generated from it."""

from __future__ import annotations

import pytest

from lborg_provider.provider import DATA_SOURCES, RESOURCES, LborgProviderPlugin, provider_attributes
from lborg_provider.tools.docs import render_all, stale_files
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT

# type name → {attribute: "required" | "optional" | "computed"} as the issue specifies them.
CONTRACT: dict[str, dict[str, str]] = {
    "lborg_layer7_vip": {
        "label": "required",
        "ip": "required",
        "ports": "required",
        "mode": "optional",
        "scheduler": "optional",
        "persistence": "optional",
        "persist_time": "optional",
        "persist_table_size": "optional",
        "maxconn": "optional",
        "check_type": "optional",
        "check_port": "optional",
        "timeout_client": "optional",
        "timeout_server": "optional",
        "id": "computed",
    },
    "lborg_layer7_real_server": {
        "vip": "required",
        "label": "required",
        "ip": "required",
        "port": "required",
        "weight": "optional",
        "minconns": "optional",
        "maxconns": "optional",
        "encrypted": "optional",
        "id": "computed",
    },
    "lborg_layer4_vip": {
        "label": "required",
        "ip": "required",
        "ports": "required",
        "protocol": "optional",
        "forwarding": "optional",
        "scheduler": "optional",
        "persistent": "optional",
        "persist_time": "optional",
        "check_type": "optional",
        "check_port": "optional",
        "id": "computed",
    },
    "lborg_layer4_real_server": {
        "vip": "required",
        "label": "required",
        "ip": "required",
        "port": "optional",
        "weight": "optional",
        "minconns": "optional",
        "maxconns": "optional",
        "id": "computed",
    },
    "lborg_floating_ip": {"ip": "required", "id": "computed"},
    "lborg_ha_pair": {
        "local_ip": "required",
        "peer_ip": "required",
        "peer_password": "optional",
        "peer_password_env": "optional",
        "role": "computed",
        "id": "computed",
    },
    "lborg_hostname": {"hostname": "required", "domain": "optional", "id": "computed"},
    "lborg_interface_address": {"interface": "required", "address": "required", "id": "computed"},
    "lborg_route": {"gateway": "required", "network": "optional", "interface": "optional", "id": "computed"},
    "lborg_commit": {"triggers": "optional", "reloads": "computed", "id": "computed"},
    "lborg_config": {
        "json": "computed",
        "floating_ips": "computed",
        "layer7_vips": "computed",
        "layer4_vips": "computed",
    },
    "lborg_global_settings": {
        "l7_interval": "computed",
        "l7_rise": "computed",
        "l7_fall": "computed",
        "l4_check_interval": "computed",
        "l4_check_timeout": "computed",
        "l4_failure_count": "computed",
        "l7_json": "computed",
        "l4_json": "computed",
    },
}
REPLACE = {
    "lborg_layer7_vip": {"label"},
    "lborg_layer7_real_server": {"vip", "label"},
    "lborg_layer4_vip": {"label"},
    "lborg_layer4_real_server": {"vip", "label"},
    "lborg_floating_ip": {"ip"},
    "lborg_ha_pair": {"local_ip", "peer_ip"},
    "lborg_interface_address": {"interface", "address"},
    "lborg_route": {"network"},
}


def _types() -> dict[str, object]:
    prefix = LborgProviderPlugin().get_model_prefix()
    return {prefix + klass.get_name(): klass for klass in RESOURCES + DATA_SOURCES}


def _kind(attribute: object) -> str:
    if getattr(attribute, "required", False):
        return "required"
    if getattr(attribute, "optional", False):
        return "optional"
    return "computed"


def test_every_type_of_the_contract_exists_and_nothing_else() -> None:
    assert sorted(_types()) == sorted(CONTRACT)


@pytest.mark.parametrize("type_name", sorted(CONTRACT))
def test_attributes_match_the_contract(type_name: str) -> None:
    attributes = {a.name: a for a in _types()[type_name].get_schema().attributes}  # type: ignore[attr-defined]
    for name, kind in CONTRACT[type_name].items():
        assert name in attributes, f"{type_name}.{name} missing"
        assert _kind(attributes[name]) == kind, f"{type_name}.{name} should be {kind}"
    replaced = {name for name, a in attributes.items() if a.requires_replace}
    assert replaced == REPLACE.get(type_name, set())


def test_every_attribute_is_described_and_secrets_are_sensitive() -> None:
    every = [(name, a) for name, klass in _types().items() for a in klass.get_schema().attributes]  # type: ignore[attr-defined]
    every += [("provider", a) for a in provider_attributes()]
    undocumented = [f"{owner}.{a.name}" for owner, a in every if not (a.description or "").strip()]
    assert undocumented == []
    sensitive = {f"{owner}.{a.name}" for owner, a in every if a.sensitive}
    assert sensitive == {"provider.password", "provider.api_key", "lborg_ha_pair.peer_password"}


def test_provider_configuration_names_and_all_optional() -> None:
    names = {a.name: a for a in provider_attributes()}
    assert set(names) == {
        "endpoint",
        "username",
        "password",
        "password_env",
        "password_file",
        "api_key",
        "api_key_env",
        "api_key_file",
        "ca_file",
        "insecure",
        "appliance_name",
        "timeout_seconds",
    }
    assert all(a.optional and not a.required for a in names.values())


def test_checked_in_docs_match_the_schema() -> None:
    stale = stale_files(REPO / "docs", render_all())
    assert stale == [], f"regenerate with `eas-lb provider docs --out docs`: {stale}"


def test_provider_start_does_not_import_the_http_client() -> None:
    """Terraform starts the provider several times per command; requests loads only when used."""
    import subprocess
    import sys

    probe = "import sys, lborg_provider.main, lborg_provider.provider; print('requests' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
