"""Attributes with a closed set of values refuse anything else when Terraform validates the
configuration, with a message that lists the allowed values; a value not known until apply (a
variable) is left for later."""

from __future__ import annotations

from typing import Any

import pytest
from tf.types import Unknown
from tf.utils import Diagnostics

from lborg_provider.model.choices import LAYER7_PERSISTENCE, LAYER7_SCHEDULER
from lborg_provider.model.tables import BY_LAYER
from lborg_provider.provider import RESOURCES
from lborg_provider.resources.layer4_vip import Layer4VipResource
from lborg_provider.resources.layer7_vip import Layer7VipResource
from lborg_provider.runtime.connection import ProviderData
from tests.support.terraform import Terraform

L7_CONFIG: dict[str, Any] = {"label": "WEB", "ip": "127.0.0.10", "ports": "80", "mode": "http"}


def _errors(resource: Any, type_name: str, config: dict[str, Any]) -> list[tuple[str, str]]:
    diags = Diagnostics()
    resource.validate(diags, type_name, config)
    return [(d.summary, d.detail) for d in diags.diagnostics if d.severity == d.ERROR]


def test_a_typo_is_refused_naming_every_allowed_value() -> None:
    errors = _errors(
        Layer7VipResource(ProviderData()), "lborg_layer7_vip", {**L7_CONFIG, "scheduler": "leastconns"}
    )
    assert len(errors) == 1
    summary, detail = errors[0]
    assert summary == "lborg_layer7_vip: invalid scheduler"
    assert "'leastconns'" in detail and "`roundrobin` or `leastconn`" in detail


def test_every_allowed_value_and_alias_passes_and_unknown_waits_for_apply() -> None:
    resource = Layer7VipResource(ProviderData())
    for value in (*LAYER7_PERSISTENCE.values, *LAYER7_PERSISTENCE.aliases):
        assert _errors(resource, "lborg_layer7_vip", {**L7_CONFIG, "persistence": value}) == []
    assert _errors(resource, "lborg_layer7_vip", {**L7_CONFIG, "persistence": Unknown}) == []
    assert _errors(resource, "lborg_layer7_vip", {**L7_CONFIG, "persistence": None}) == []


def test_each_closed_set_is_checked_on_its_own_layer() -> None:
    # `leastconn` is a Layer 7 scheduler, not a Layer 4 one: the sets are per attribute and layer.
    config = {"label": "SIP", "ip": "127.0.0.11", "ports": "5060", "scheduler": "leastconn"}
    errors = _errors(Layer4VipResource(ProviderData()), "lborg_layer4_vip", config)
    assert [summary for summary, _ in errors] == ["lborg_layer4_vip: invalid scheduler"]
    assert "`wlc`, `wrr` or `dh`" in errors[0][1]
    assert "leastconn" in LAYER7_SCHEDULER.values


def test_every_closed_set_belongs_to_a_resource_attribute() -> None:
    attributes = {
        (klass.get_name(), attribute.name)
        for klass in RESOURCES
        for attribute in klass.get_schema().attributes
    }
    with_choices = [
        (f"_layer{table.layer}_{kind}", f.attr)
        for vip, rip in BY_LAYER.values()
        for kind, table in (("vip", vip), ("real_server", rip))
        for f in table.fields
        if f.choices is not None
    ]
    assert len(with_choices) == 8
    assert set(with_choices) <= attributes


@pytest.mark.slow
def test_terraform_validate_fails_on_a_typo_and_names_the_allowed_values(terraform: Terraform) -> None:
    vip = """
variable "mode" {
  type    = string
  default = "http"
}

resource "lborg_layer7_vip" "web" {
  label       = "WEB"
  ip          = "127.0.0.10"
  ports       = "80"
  mode        = var.mode
  persistence = "%s"
}
"""
    terraform.write('provider "lborg" {}\n' + vip % "source_ip")
    terraform.init()
    refused = terraform.run("validate", "-no-color", ok=(1,))
    output = " ".join((refused.stdout + refused.stderr).split())  # Terraform wraps long lines
    assert "lborg_layer7_vip: invalid persistence" in output
    assert "'source_ip' is not one of the allowed values" in output
    assert "`none`, `ip`, `http`, `http_ip`" in output and "`fallback_persist`" in output
    terraform.write('provider "lborg" {}\n' + vip % "ip")
    assert "The configuration is valid" in terraform.run("validate", "-no-color").stdout
