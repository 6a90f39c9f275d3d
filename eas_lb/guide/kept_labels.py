"""The real-server labels a deployed site keeps when labels stop being positions.

Earlier versions labelled real servers by their place in the pools row (`EAS_SSS-1`, `EAS_SSS-2`,
...) and gave each the Terraform address of that label. Real servers are now known by address
(`eas_lb.guide.mapping.real_server_label`), but the API cannot rename a real server: a new label
would delete it and create it anew, dropping its connections and reloading the service. So a site
deployed with position labels keeps them: `migrate-labels` reads the stacks' Terraform state and
records each real server's label by address in the adoption record (`server_labels`, as `adopt`
does for labels a person chose), and the constructs move each kept label's old Terraform address
to its new one (`eas_lb.synth.logical_ids`). The state is the truth here, not pools.txt: a row
edited since the last deploy would give wrong positions.

Pure: a Terraform state document in, record entries out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eas_lb.guide.adoption import AdoptedPool, AdoptionRecord, PairAdoption
from eas_lb.guide.mapping import real_server_label
from eas_lb.inputs.pools import Pool, Section

#: The real-server resource types and the section of the pools their VIPs serve.
REAL_SERVER_SECTIONS = {
    "lborg_layer7_real_server": Section.MANAGEMENT,
    "lborg_layer4_real_server": Section.SERVICE,
}

PoolKey = tuple[Section, str]


class KeptLabelsError(ValueError):
    """A state that gives one server of a pool two labels: nothing is recorded."""


def deployed_labels(state: Mapping[str, Any]) -> dict[tuple[Section, str], dict[str, str]]:
    """(section, VIP label) → {server IP: label} of every real server in a Terraform state document."""
    found: dict[tuple[Section, str], dict[str, str]] = {}
    for resource in state.get("resources") or []:
        if not isinstance(resource, dict) or resource.get("mode") != "managed":
            continue
        section = REAL_SERVER_SECTIONS.get(str(resource.get("type")))
        if section is None:
            continue
        for instance in resource.get("instances") or []:
            attributes = instance.get("attributes") if isinstance(instance, dict) else None
            if not isinstance(attributes, dict):
                continue
            vip, label, ip = (str(attributes.get(key) or "") for key in ("vip", "label", "ip"))
            if not (vip and label and ip):
                continue
            servers = found.setdefault((section, vip), {})
            if servers.get(ip, label) != label:
                raise KeptLabelsError(
                    f"Terraform state has server {ip} of VIP {vip} twice, as {servers[ip]} and {label}; "
                    "the state needs a look before labels can be kept (terraform state list)"
                )
            servers[ip] = label
    return found


def labels_to_keep(
    deployed: Mapping[tuple[Section, str], Mapping[str, str]],
    pools: Sequence[Pool],
    adoption: PairAdoption | None,
) -> dict[PoolKey, dict[str, str]]:
    """Per pool of the pair, the deployed labels that are not `EAS_SSS-<address>`.

    A VIP no pool of the pair serves any more is left out: the next deploy deletes it anyway.
    """
    result: dict[PoolKey, dict[str, str]] = {}
    for pool in pools:
        vip = adoption.vip_label(pool) if adoption is not None else pool.label
        servers = deployed.get((pool.section, vip), {})
        kept = {ip: label for ip, label in servers.items() if label != real_server_label(ip)}
        if kept:
            result[(pool.section, pool.name)] = dict(sorted(kept.items()))
    return result


def with_kept_labels(
    record: AdoptionRecord, pair: str, kept: Mapping[PoolKey, Mapping[str, str]]
) -> tuple[AdoptionRecord, int]:
    """`record` with `kept` added to the pair's server labels; also how many labels are new.

    Labels already recorded (by `adopt`, or an earlier run) stay; the deployed one wins for an
    address both name, since it is what the appliance has.
    """
    adoption = record.pairs.get(pair) or PairAdoption()
    pools = {(entry.section, entry.name): entry for entry in adoption.pools}
    added = 0
    for key, labels in kept.items():
        entry = pools.get(key) or AdoptedPool(section=key[0], name=key[1])
        merged = {**entry.server_labels, **labels}
        added += sum(1 for ip, label in labels.items() if entry.server_labels.get(ip) != label)
        pools[key] = entry.model_copy(update={"server_labels": dict(sorted(merged.items()))})
    ordered = sorted(pools.values(), key=lambda entry: (entry.section.value, entry.name))
    updated = adoption.model_copy(update={"pools": ordered})
    return record.model_copy(update={"pairs": {**record.pairs, pair: updated}}), added
