"""What "converged" means, checked against the appliance itself and Terraform's state.

- 0 lost: every object of the configuration is on the appliance and in state;
- 0 duplicated: no VIP label appears twice on the appliance, no real server twice in its VIP;
- 0 orphaned: every VIP and real server on the appliance under the site's labels is in state
  (and nothing in state is missing from the appliance);
- planned values: address, ports and the attributes the HCL sets are the appliance's values;
- nothing pending: the service sections (HAProxy, ldirectord, heartbeat) of the simulator's
  `lb_config.xml` (pending) equal those of `running.xml` (last reload);
- `terraform plan -detailed-exitcode` exits 0.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from lborg_provider.model.config_view import reals, virtuals
from lborg_simulator.config import SERVICE_SECTIONS, load, section_bytes
from lborg_simulator.testing import SimulatorProcess

# The provider suite's terraform harness, shared (its directory is not a package).
from tests.reliability.rel_site import L4_VIP, L7_VIP, WEIGHT, Site
from tests.support.terraform import Terraform, dumpconfig

VIP_TYPES = {"lborg_layer7_vip": "7", "lborg_layer4_vip": "4"}
RIP_TYPES = {"lborg_layer7_real_server": "7", "lborg_layer4_real_server": "4"}


def state_objects(tf: Terraform) -> Counter[tuple[str, ...]]:
    """(layer, VIP) and (layer, VIP, real server) of every managed resource in Terraform's state."""
    shown = json.loads(tf.run("show", "-json").stdout)
    found: Counter[tuple[str, ...]] = Counter()
    for resource in shown.get("values", {}).get("root_module", {}).get("resources", []):
        values = resource["values"]
        if resource["type"] in VIP_TYPES:
            found[(VIP_TYPES[resource["type"]], values["label"])] += 1
        elif resource["type"] in RIP_TYPES:
            found[(RIP_TYPES[resource["type"]], values["vip"], values["label"])] += 1
    return found


def appliance_objects(config: dict[str, Any], prefix: str = "REL") -> Counter[tuple[str, ...]]:
    """The same keys for everything on the appliance whose VIP label starts with `prefix`."""
    found: Counter[tuple[str, ...]] = Counter()
    for layer in ("7", "4"):
        for vip in virtuals(config, layer):
            label = str(vip.get("label", ""))
            if not label.startswith(prefix):
                continue
            found[(layer, label)] += 1
            for real in reals(vip):
                found[(layer, label, str(real.get("label", "")))] += 1
    return found


def value_mismatches(site: Site, config: dict[str, Any]) -> list[str]:
    """Every attribute the HCL sets that the appliance holds otherwise."""
    wrong: list[str] = []
    for layer, wanted_vip in (("7", L7_VIP), ("4", L4_VIP)):
        by_label = {str(v.get("label")): v for v in virtuals(config, layer)}
        for label, planned in site.vips(layer).items():
            vip = by_label.get(label)
            if vip is None:
                continue
            wanted = {**wanted_vip, "server": planned["ip"], "ports": str(planned["port"])}
            for key, value in wanted.items():
                if str(vip.get(key)) != value:
                    wrong.append(f"L{layer} {label}: {key}={vip.get(key)!r}, planned {value!r}")
            if str((vip.get("check") or {}).get("type")) != "connect":
                wrong.append(f"L{layer} {label}: check {vip.get('check')!r}, planned connect")
            real_by_label = {str(r.get("label")): r for r in reals(vip)}
            for rip, ip in planned["servers"].items():
                real = real_by_label.get(rip)
                if real is None:
                    continue
                for key, value in {"server": ip, "port": str(planned["port"]), "weight": WEIGHT}.items():
                    if str(real.get(key)) != value:
                        wrong.append(f"L{layer} {label}/{rip}: {key}={real.get(key)!r}, planned {value!r}")
    return wrong


def pending_sections(sim: SimulatorProcess) -> list[str]:
    """Service sections whose pending configuration differs from what was last reloaded.

    Read from the files themselves (`lb_config.xml`, `running.xml`), not from the API. Only the
    sections a reload applies are compared: `running.xml` records what the services run, and
    per-node settings such as an HA secondary's role are never part of it.
    """
    pending = load(sim.state_dir / "lb_config.xml")
    running = load(sim.state_dir / "running.xml")
    return [
        name
        for name in SERVICE_SECTIONS.values()
        if section_bytes(pending, name) != section_bytes(running, name)
    ]


def convergence_problems(
    tf: Terraform, sims: list[SimulatorProcess], site: Site, *, plan: bool = True
) -> list[str]:
    """Empty when converged; otherwise one line per problem (counts first, then details)."""
    problems: list[str] = []
    expected = site.objects()
    in_state = state_objects(tf)
    for sim in sims:
        config = dumpconfig(sim)
        on_appliance = appliance_objects(config)
        lost = sorted(expected - set(on_appliance))
        duplicated = sorted(key for key, count in on_appliance.items() if count > 1)
        orphaned = sorted(set(on_appliance) - set(in_state))
        if lost or duplicated or orphaned:
            problems.append(
                f"{sim.name}: {len(lost)} lost, {len(duplicated)} duplicated, {len(orphaned)} orphaned: "
                f"lost {lost[:5]} duplicated {duplicated[:5]} orphaned {orphaned[:5]}"
            )
        problems += [f"{sim.name}: {line}" for line in value_mismatches(site, config)[:10]]
        pending = pending_sections(sim)
        if pending:
            problems.append(f"{sim.name}: lb_config.xml differs from running.xml (pending: {pending})")
    unplanned_state = sorted(set(in_state) - expected)
    twice_in_state = sorted(key for key, count in in_state.items() if count > 1)
    missing_state = sorted(expected - set(in_state))
    if unplanned_state or twice_in_state or missing_state:
        problems.append(
            f"state: missing {missing_state[:5]}, not planned {unplanned_state[:5]}, "
            f"twice {twice_in_state[:5]}"
        )
    if plan and not problems:
        result = tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", ok=(0, 1, 2))
        if result.returncode != 0:
            problems.append(f"plan -detailed-exitcode exited {result.returncode}:\n{result.stdout[-3000:]}")
    return problems
