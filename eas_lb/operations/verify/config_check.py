"""The appliance's configuration against pools.txt: labels, ports, persistence, servers, globals.

Expected values come from `eas_lb.guide.mapping` (what the constructs deploy); actual values are read
with the provider's own field tables, so "matches" means exactly what a Terraform plan would
call "no changes" — one definition of equality for plan, drift and verify.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eas_lb.guide import mapping
from eas_lb.guide.adoption import PairAdoption
from eas_lb.guide.capacity import PairCapacity
from eas_lb.guide.sizing import GUIDE_MAX_SUBSCRIBERS
from eas_lb.inputs.pools import Pool
from eas_lb.inputs.site import PairPlan
from eas_lb.operations.appliances.global_checks import globals_off_guide
from eas_lb.operations.pool_terms import (
    REAL_SERVER_TYPE_OF_LAYER,
    VIP_TYPE_OF_LAYER,
    drifted_field,
    server_missing,
    server_name,
    server_not_in_code,
    vip_missing,
    vip_not_in_code,
)
from eas_lb.operations.verify.report import Outcome, Report
from lborg_provider.model.config_view import find_real, find_virtual, reals, virtuals
from lborg_provider.model.fields import Field
from lborg_provider.model.normalize import text
from lborg_provider.model.tables import BY_LAYER


def _differences(
    expected: Mapping[str, Any], element: dict[str, Any], fields: Sequence[Field], resource_type: str
) -> list[str]:
    """The fields that differ, in the words plan review and drift use for drifted objects."""
    table = {f.attr: f for f in fields}
    out = []
    for attr, want in expected.items():
        field = table.get(attr)
        if field is None or attr in ("vip", "label"):
            continue
        have = field.from_appliance(element)
        if not field.same(want, have):
            out.append(drifted_field(resource_type, attr, want, have))
    return out


def _check_pool(
    config: dict[str, Any],
    appliance: str,
    pool: Pool,
    layer: str,
    expected: Mapping[str, Any],
    address: str,
    report: Report,
    server_labels: Mapping[str, str] | None = None,
) -> None:
    label = str(expected["label"])
    vip_table, rip_table = BY_LAYER[layer]
    vip_fields, rip_fields = vip_table.fields, rip_table.fields
    element = find_virtual(config, layer, label)
    if element is None:
        report.add(label, address, f"config {appliance}", Outcome.FAIL, vip_missing())
        return
    problems = _differences(expected, element, vip_fields, VIP_TYPE_OF_LAYER[layer])
    wanted = mapping.real_servers(pool, vip_label=label, labels=server_labels)
    for rip in wanted:
        real = find_real(element, rip["label"])
        if real is None:
            problems.append(server_missing(rip["ip"], rip["label"]))
            continue
        rip_type = REAL_SERVER_TYPE_OF_LAYER[layer]
        problems += [
            f"{server_name(rip['ip'], rip['label'])}: {d}"
            for d in _differences(rip, real, rip_fields, rip_type)
        ]
    known = {r["label"] for r in wanted}
    problems += [
        server_not_in_code(text(real.get("server")), text(real.get("label")))
        for real in sorted(reals(element), key=lambda r: text(r.get("label")))
        if text(real.get("label")) not in known
    ]
    if problems:
        report.add(label, address, f"config {appliance}", Outcome.FAIL, "; ".join(problems))
    else:
        report.add(
            label, address, f"config {appliance}", Outcome.PASS, f"matches pools.txt ({len(wanted)} servers)"
        )


def check_appliance_config(
    plan: PairPlan,
    appliance: str,
    config: dict[str, Any],
    report: Report,
    adoption: PairAdoption | None = None,
    capacity: PairCapacity | None = None,
) -> None:
    """Every pool of the pair on one appliance, and nothing the pools do not name.

    `adoption` gives the labels an adopted pair keeps (see `eas_lb.guide.adoption`); `capacity`
    the pair's Layer 7 sizing (`eas_lb.guide.capacity`; default: the guide's 250,000 subscribers)."""
    labels: dict[str, set[str]] = {"7": set(), "4": set()}
    adopted = adoption or PairAdoption()
    sizing = capacity or PairCapacity(GUIDE_MAX_SUBSCRIBERS)
    for pool in plan.pools.management:
        l7 = mapping.management_vip(pool, sizing.options(pool, adopted.management_options(pool)))
        labels["7"].add(l7["label"])
        kept = adopted.names(pool)
        servers = kept.server_labels if kept else None
        _check_pool(config, appliance, pool, "7", l7, f"{l7['ip']}:{pool.port}", report, servers)
    for pool in plan.pools.service:
        l4 = mapping.service_vip(pool, plan.service_vips[pool.name], adopted.service_options(pool))
        labels["4"].add(l4["label"])
        kept = adopted.names(pool)
        servers = kept.server_labels if kept else None
        _check_pool(config, appliance, pool, "4", l4, f"{l4['ip']}:{pool.port}", report, servers)
    for layer, known in labels.items():
        for element in virtuals(config, layer):
            label = text(element.get("label"))
            if label in adopted.unmanaged_vips:
                report.add(
                    label,
                    text(element.get("server")),
                    f"config {appliance}",
                    Outcome.SKIP,
                    f"Layer {layer} VIP that adopt left unmanaged (not an EAS pool)",
                )
            elif label not in known:
                report.add(
                    label,
                    text(element.get("server")),
                    f"config {appliance}",
                    Outcome.FAIL,
                    f"{vip_not_in_code(layer, label)} (pools.txt does not name it)",
                )


def check_globals(
    appliance: str, l7: dict[str, Any], l4: dict[str, Any], report: Report, layer4: bool, layer7: bool = True
) -> None:
    """The guide's global check timings (set in the WebUI: the API has no write action for them),
    for the layers the appliance serves."""
    problems = [
        f"{off.layer} {off.key} is {text(off.value) or 'unset'} (guide: {off.want})"
        for off in globals_off_guide(l7, l4, layer7=layer7, layer4=layer4)
    ]
    if problems:
        detail = (
            "; ".join(problems)
            + " — set them under Cluster Configuration > Layer 7/Layer 4 Advanced Configuration"
        )
        report.add(appliance, "-", "global checks", Outcome.FAIL, detail)
    else:
        report.add(
            appliance,
            "-",
            "global checks",
            Outcome.PASS,
            "; ".join((["L7 interval 3000 ms"] if layer7 else []) + (["L4 3 s / 3 s / 2"] if layer4 else [])),
        )
