"""Regenerate the plan-review fixtures from real plans.

A simulated appliance (``lborg_simulator``, loopback 127.4.0.0/16) gets a baseline applied with
the real ``terraform`` and the real lborg provider; then each scenario's configuration is
planned against that state and saved as ``terraform show -json`` output:

    no-change, add-pool, change-sticky, remove-server, change-label, delete-pool, drift,
    ha-pairing (the HA pairing is added, with a peer password Terraform marks sensitive)

(``drift`` edits the appliance with raw API calls first). ``vm-change`` cannot be planned here
(no hypervisor); it is derived from the real plans' structure, as the fixtures' README says.

The configuration is Terraform JSON written by this script with the pools-to-resources mapping
of the deployment guide (the shape ``cdktf synth`` produces), so the fixtures do not depend on
the constructs. Usage::

    python -m tests.eas_lb.operations.plan_review.make_fixtures [--out DIR]   # default: fixtures/ here
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tests.support.paths import REPO_ROOT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = REPO_ROOT
API_LISTEN = "127.4.0.1:14443"
ENDPOINT = f"https://{API_LISTEN}"
SERVICE_GATEWAY = "127.4.3.10"
PEER_IP = "127.4.0.2"
# Not a secret: a marker value that shows the plan JSON carries sensitive values in clear text
# while the review must print "(sensitive)" instead.
PEER_PASSWORD = "peer-password-fixture-value"
LB_STACK = "fixture-pair1-lb"
VM_STACK = "fixture-pair1-vms"
TERRAFORM_TIMEOUT = 600.0


@dataclass(frozen=True)
class Pool:
    """One pools.txt row, with the VIP the site file gives a service pool."""

    section: str  # "MANAGEMENT" or "SERVICE"
    name: str
    vip_ip: str
    port: int
    sticky: int
    servers: tuple[str, ...]
    label: str | None = None  # a label other than the guide's, for the replace scenario

    @property
    def vip_label(self) -> str:
        prefix = "MGMT" if self.section == "MANAGEMENT" else "SERV"
        return self.label or f"{prefix}_{self.name}"

    @property
    def resource_name(self) -> str:
        prefix = "mgmt" if self.section == "MANAGEMENT" else "serv"
        return f"{prefix}_{self.name}".lower().replace("-", "_")


MGMT_SERVERS = ("127.4.2.231", "127.4.2.116")
SERV_SERVERS = ("127.4.3.61", "127.4.3.5")
BASELINE = (
    Pool("MANAGEMENT", "HTTP-18080", "127.4.1.227", 18080, 2100, MGMT_SERVERS),
    Pool("MANAGEMENT", "HTTPS-18443", "127.4.1.227", 18443, 2100, MGMT_SERVERS),
    Pool("MANAGEMENT", "IMAP-10143", "127.4.1.223", 10143, 0, MGMT_SERVERS),
    Pool("SERVICE", "HTTP-18080", "127.4.1.150", 18080, 2100, SERV_SERVERS),
    Pool("SERVICE", "IMAP-10143", "127.4.1.150", 10143, 0, SERV_SERVERS),
)


def _layer7(pool: Pool) -> dict[str, Any]:
    """The guide's management pool: layer 7 SNAT, persistence in minutes (rounded up)."""
    return {
        "label": pool.vip_label,
        "ip": pool.vip_ip,
        "ports": str(pool.port),
        "mode": "tcp",
        "scheduler": "roundrobin",
        "persistence": "ip" if pool.sticky else "none",
        "persist_time": math.ceil(pool.sticky / 60) if pool.sticky else 30,
        "check_type": "connect",
        "check_port": pool.port,
        "timeout_client": "900000",
        "timeout_server": "901000",
    }


def _layer4(pool: Pool) -> dict[str, Any]:
    """The guide's service pool: layer 4 NAT, persistence in seconds."""
    return {
        "label": pool.vip_label,
        "ip": pool.vip_ip,
        "ports": str(pool.port),
        "protocol": "tcp",
        "forwarding": "masq",
        "scheduler": "wrr",
        "persistent": pool.sticky > 0,
        "persist_time": pool.sticky if pool.sticky else 300,
        "check_type": "connect",
        "check_port": pool.port,
    }


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def configuration(pools: tuple[Pool, ...], *, paired: bool = False) -> dict[str, Any]:
    """Terraform JSON for one appliance: VIPs, real servers, the gateway floating IP, a commit.

    ``paired`` adds the HA pairing with a literal peer password, which Terraform marks sensitive.
    """
    resources: dict[str, dict[str, Any]] = {}
    desired: dict[str, list[Any]] = {"haproxy": [], "ldirectord": [], "heartbeat": [SERVICE_GATEWAY]}
    if paired:
        pairing = {"local_ip": API_LISTEN.split(":")[0], "peer_ip": PEER_IP}
        resources["lborg_ha_pair"] = {
            "pair": {"provider": "lborg.lb1", **pairing, "peer_password": PEER_PASSWORD}
        }
        desired["heartbeat"].append(pairing)
    for pool in pools:
        layer7 = pool.section == "MANAGEMENT"
        vip_type = "lborg_layer7_vip" if layer7 else "lborg_layer4_vip"
        rip_type = "lborg_layer7_real_server" if layer7 else "lborg_layer4_real_server"
        vip = _layer7(pool) if layer7 else _layer4(pool)
        resources.setdefault(vip_type, {})[pool.resource_name] = {"provider": "lborg.lb1", **vip}
        service = "haproxy" if layer7 else "ldirectord"
        desired[service].append(vip)
        for server in pool.servers:  # known by address, as the constructs make them
            rip = {"label": f"EAS_SSS-{server}", "ip": server, "port": pool.port}
            desired[service].append({"vip": pool.vip_label, **rip})
            resources.setdefault(rip_type, {})[f"{pool.resource_name}_eas_{server.replace('.', '_')}"] = {
                "provider": "lborg.lb1",
                "vip": f"${{{vip_type}.{pool.resource_name}.label}}",
                **rip,
            }
    resources["lborg_floating_ip"] = {"service_gateway": {"provider": "lborg.lb1", "ip": SERVICE_GATEWAY}}
    config_resources = [
        f"{kind}.{name}" for kind, blocks in sorted(resources.items()) for name in sorted(blocks)
    ]
    resources["lborg_commit"] = {
        "lb1": {
            "provider": "lborg.lb1",
            "triggers": {service: _digest(value) for service, value in desired.items()},
            "depends_on": config_resources,
        }
    }
    return {
        "terraform": {"required_providers": {"lborg": {"source": "local/lborg/lborg", "version": "0.1.0"}}},
        "provider": {
            "lborg": [
                {
                    "alias": "lb1",
                    "appliance_name": "lb1",
                    "endpoint": ENDPOINT,
                    "password_env": "LBORG_PASSWORD",
                    "api_key_env": "LBORG_API_KEY",
                }
            ]
        },
        "resource": resources,
    }


def _with(
    pools: tuple[Pool, ...], name: str, section: str, change: Callable[[Pool], Pool | None]
) -> tuple[Pool, ...]:
    result = []
    for pool in pools:
        if pool.name == name and pool.section == section:
            changed = change(pool)
            if changed is not None:
                result.append(changed)
        else:
            result.append(pool)
    return tuple(result)


SCENARIOS: dict[str, tuple[Pool, ...]] = {
    "no-change": BASELINE,
    "add-pool": (*BASELINE, Pool("MANAGEMENT", "MVWEBPROV-18087", "127.4.1.224", 18087, 86400, MGMT_SERVERS)),
    "change-sticky": _with(BASELINE, "HTTPS-18443", "MANAGEMENT", lambda pool: replace(pool, sticky=2400)),
    "remove-server": _with(
        BASELINE, "HTTPS-18443", "MANAGEMENT", lambda pool: replace(pool, servers=pool.servers[:1])
    ),
    "change-label": _with(
        BASELINE, "IMAP-10143", "MANAGEMENT", lambda pool: replace(pool, label="MGMT_IMAPS-10143")
    ),
    "delete-pool": _with(BASELINE, "IMAP-10143", "SERVICE", lambda pool: None),
}
DRIFT_CALLS = [
    {"action": "delete-rip", "vip": "MGMT_HTTP-18080", "rip": "EAS_SSS-127.4.2.116"},
    {"action": "edit-vip", "vip": "MGMT_HTTPS-18443", "persist_time": "50"},
]


class Terraform:
    """The real terraform in one working directory, with the provider mirror and credentials."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env

    def run(self, *arguments: str) -> str:
        result = subprocess.run(
            ["terraform", f"-chdir={self.workdir}", *arguments],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=TERRAFORM_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"terraform {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def write(self, pools: tuple[Pool, ...], *, paired: bool = False) -> None:
        (self.workdir / "main.tf.json").write_text(
            json.dumps(configuration(pools, paired=paired), indent=2), encoding="utf-8"
        )

    def plan_json(self) -> dict[str, Any]:
        self.run("plan", "-input=false", "-no-color", "-out=scenario.tfplan")
        document: dict[str, Any] = json.loads(self.run("show", "-json", "scenario.tfplan"))
        return document


def normalized(document: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Drop what differs between runs (time stamp, temporary paths) so fixtures diff cleanly."""
    document = {key: value for key, value in document.items() if key != "timestamp"}
    text = json.dumps(document, sort_keys=True).replace(str(workdir), ".")
    result: dict[str, Any] = json.loads(text)
    return result


def vm_change_plan(template: dict[str, Any]) -> dict[str, Any]:
    """A vsphere VM stack plan in the format of ``template`` (a real plan); see the README."""
    provider = "registry.terraform.io/hashicorp/vsphere"

    def vm(name: str, cpus: int, memory: int, ova: str) -> dict[str, Any]:
        return {
            "id": f"4214{name[-1]}a0c-0000-0000-0000-00000000000{name[-1]}",
            "name": name,
            "num_cpus": cpus,
            "memory": memory,
            "datastore_id": "datastore-101",
            "resource_pool_id": "resgroup-8",
            "guest_id": "other4xLinux64Guest",
            "disk": [{"label": "disk0", "size": 20, "thin_provisioned": True}],
            "network_interface": [{"network_id": "dvportgroup-44"}, {"network_id": "dvportgroup-45"}],
            "ovf_deploy": [{"local_ovf_path": ova, "disk_provisioning": "thin"}],
        }

    def entry(
        name: str, actions: list[str], before: dict[str, Any], after: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        unknown = {"id": True} if "create" in actions else {}
        return {
            "address": f"vsphere_virtual_machine.{name}",
            "mode": "managed",
            "type": "vsphere_virtual_machine",
            "name": name,
            "provider_name": provider,
            "change": {
                "actions": actions,
                "before": before,
                "after": after,
                "after_unknown": unknown,
                "before_sensitive": {},
                "after_sensitive": {},
                **extra,
            },
        }

    lb1_before = vm("eas-lb1", 8, 16384, "images/lb-8.13.ova")
    lb2_before = vm("eas-lb2", 8, 16384, "images/lb-8.13.ova")
    lb2_after = {**vm("eas-lb2", 8, 16384, "images/lb-8.14.ova"), "id": None}
    return {
        "format_version": template["format_version"],
        "terraform_version": template["terraform_version"],
        "resource_changes": [
            entry("eas_lb1", ["update"], lb1_before, {**lb1_before, "memory": 24576}),
            entry("eas_lb2", ["delete", "create"], lb2_before, lb2_after, replace_paths=[["ovf_deploy"]]),
        ],
        "resource_drift": [],
        "configuration": {
            "provider_config": {
                "vsphere": {
                    "name": "vsphere",
                    "full_name": provider,
                    "expressions": {"vsphere_server": {"constant_value": "vcenter.example.net"}},
                }
            },
            "root_module": {
                "resources": [
                    {
                        "address": f"vsphere_virtual_machine.{name}",
                        "mode": "managed",
                        "type": "vsphere_virtual_machine",
                        "name": name,
                        "provider_config_key": "vsphere",
                    }
                    for name in ("eas_lb1", "eas_lb2")
                ]
            },
        },
        "errored": False,
    }


@contextmanager
def _provider_mirror(scratch: Path) -> Iterator[Path]:
    """Build the lborg provider mirror and CLI config in scratch space; yield the config path."""
    command = [sys.executable, "-m", "lborg_provider", "install"]
    command += ["--dir", str(scratch / "mirror"), "--cli-config", str(scratch / "terraformrc")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"eas-lb provider install failed:\n{result.stdout}\n{result.stderr}")
    yield Path(result.stdout.strip().splitlines()[-1])


def generate(out: Path) -> list[str]:
    """Run every scenario and write ``<scenario>.json`` into ``out``; returns the scenario names."""
    from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, running_simulator

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="plan-review-fixtures-") as scratch_name:
        scratch = Path(scratch_name)
        workdir = scratch / "stack"
        workdir.mkdir()
        with _provider_mirror(scratch) as cli_config, running_simulator(scratch / "lb1", API_LISTEN) as lb1:
            env = {
                **os.environ,
                "TF_CLI_CONFIG_FILE": str(cli_config),
                "TF_IN_AUTOMATION": "1",
                "CHECKPOINT_DISABLE": "1",
                "LBORG_USERNAME": TEST_USERNAME,
                "LBORG_PASSWORD": TEST_PASSWORD,
                "LBORG_API_KEY": TEST_API_KEY,
                "LBORG_CA_FILE": str(lb1.ca_file),
            }
            terraform = Terraform(workdir, env)
            terraform.write(BASELINE)
            terraform.run("init", "-input=false", "-no-color")
            terraform.run("apply", "-input=false", "-no-color", "-auto-approve")
            plans: dict[str, dict[str, Any]] = {}
            for name, pools in SCENARIOS.items():
                terraform.write(pools)
                plans[name] = terraform.plan_json()
            terraform.write(BASELINE, paired=True)
            plans["ha-pairing"] = terraform.plan_json()
            terraform.write(BASELINE)
            lb1.call_ok(DRIFT_CALLS)
            plans["drift"] = terraform.plan_json()
        plans["vm-change"] = vm_change_plan(plans["no-change"])
        for name, document in plans.items():
            path = out / f"{name}.json"
            path.write_text(
                json.dumps(normalized(document, workdir), indent=1, sort_keys=True) + "\n", encoding="utf-8"
            )
            written.append(name)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=FIXTURES, help="where to write the plans (default: %(default)s)"
    )
    args = parser.parse_args()
    for name in generate(args.out):
        print(f"wrote {args.out / name}.json")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # run as a script: import the repository's packages, installed or not
    raise SystemExit(main())
