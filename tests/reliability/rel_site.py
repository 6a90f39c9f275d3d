"""The site every reliability scenario deploys: plain HCL, Layer 7 and Layer 4 VIPs with real servers.

The size is chosen for the suite's time budget (a few minutes on two cores) while keeping several
API batches per apply, so that faults and interrupts land in the middle of the work: by default
12 Layer 7 and 12 Layer 4 VIPs with 3 real servers each (97 resources with the commit).
Addresses are in the simulator's own `/24` of loopback (VIPs from `.10`, real servers from
`.100`), so nothing leaves 127.0.0.0/8.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

#: Attributes the HCL sets on each VIP and real server, as `list dumpconfig` spells them. Like the
#: constructs, the HCL sets every attribute it cares about explicitly (drift on an attribute left
#: unset is not planned: the appliance's value is taken as it is).
L7_VIP = {"persistence": "ip", "persist_time": "30", "mode": "tcp", "scheduler": "roundrobin"}
L4_VIP = {
    "forwardingmethod": "masq",
    "persistent": "on",
    "persist_time": "300",
    "protocol": "tcp",
    "scheduler": "wrr",
}
WEIGHT = "100"


@dataclass(frozen=True)
class Site:
    """`layer7` and `layer4` VIPs of `servers` real servers each, on `subnet` (`127.X.Y`)."""

    subnet: str
    endpoint: str
    ca_file: str
    layer7: int = 12
    layer4: int = 12
    servers: int = 3
    #: The provider's time-out of one API request: short, so injected time-outs cost little.
    timeout_seconds: int = 3
    #: On an HA pair: the peer's address; the site then pairs first (`lborg_ha_pair`, the peer
    #: password from `$LB2_PASSWORD`) and every VIP depends on the pair (the peer must be empty).
    peer_ip: str | None = None
    #: Add the `on_destroy` commit every VIP depends on, so `terraform destroy` ends with a reload
    #: (the provider's documented pattern for a destroy that leaves nothing running).
    on_destroy: bool = False

    def vips(self, layer: str) -> dict[str, dict[str, Any]]:
        """label → {ip, port, servers: {label: ip}} for one layer."""
        count, first = (self.layer7, 0) if layer == "7" else (self.layer4, self.layer7)
        vips: dict[str, dict[str, Any]] = {}
        for n in range(first, first + count):
            label = f"REL{layer}_{n:02d}"
            vips[label] = {
                "ip": f"{self.subnet}.{10 + n}",
                "port": 20000 + n,
                "servers": {
                    f"EAS_{s + 1}": f"{self.subnet}.{100 + (n * self.servers + s) % 150}"
                    for s in range(self.servers)
                },
            }
        return vips

    def objects(self) -> set[tuple[str, ...]]:
        """Every object the configuration manages: (layer, VIP) and (layer, VIP, real server)."""
        found: set[tuple[str, ...]] = set()
        for layer in ("7", "4"):
            for label, vip in self.vips(layer).items():
                found.add((layer, label))
                found.update((layer, label, rip) for rip in vip["servers"])
        return found

    def hcl(self) -> str:
        pair, after = "", []
        if self.peer_ip is not None:
            pair = f"""
resource "lborg_ha_pair" "pair" {{
  local_ip          = "{self.subnet}.1"
  peer_ip           = "{self.peer_ip}"
  peer_password_env = "LB2_PASSWORD"
}}
"""
            after.append("lborg_ha_pair.pair")
        if self.on_destroy:
            pair += """
resource "lborg_commit" "on_destroy" {
  on_destroy = true
}
"""
            after.append("lborg_commit.on_destroy")
        after_pair = f"\n  depends_on   = [{', '.join(after)}]" if after else ""
        return f"""
provider "lborg" {{
  endpoint        = "{self.endpoint}"
  ca_file         = "{self.ca_file}"
  timeout_seconds = {self.timeout_seconds}
}}
{pair}
locals {{
  l7 = {json.dumps(self.vips("7"))}
  l4 = {json.dumps(self.vips("4"))}
  l7_reals = merge([for vip, v in local.l7 :
    {{ for name, ip in v.servers :
      "${{vip}}/${{name}}" => {{ vip = vip, label = name, ip = ip, port = v.port }} }}
  ]...)
  l4_reals = merge([for vip, v in local.l4 :
    {{ for name, ip in v.servers :
      "${{vip}}/${{name}}" => {{ vip = vip, label = name, ip = ip, port = v.port }} }}
  ]...)
}}

resource "lborg_layer7_vip" "vip" {{
  for_each     = local.l7
  label        = each.key
  ip           = each.value.ip
  ports        = tostring(each.value.port)
  mode         = "tcp"
  scheduler    = "roundrobin"
  persistence  = "ip"
  persist_time = 30
  check_type   = "connect"{after_pair}
}}

resource "lborg_layer7_real_server" "rip" {{
  for_each = local.l7_reals
  vip      = lborg_layer7_vip.vip[each.value.vip].label
  label    = each.value.label
  ip       = each.value.ip
  port     = each.value.port
  weight   = {WEIGHT}
}}

resource "lborg_layer4_vip" "vip" {{
  for_each     = local.l4
  label        = each.key
  ip           = each.value.ip
  ports        = tostring(each.value.port)
  protocol     = "tcp"
  forwarding   = "masq"
  scheduler    = "wrr"
  persistent   = true
  persist_time = 300
  check_type   = "connect"{after_pair}
}}

resource "lborg_layer4_real_server" "rip" {{
  for_each = local.l4_reals
  vip      = lborg_layer4_vip.vip[each.value.vip].label
  label    = each.value.label
  ip       = each.value.ip
  port     = each.value.port
  weight   = {WEIGHT}
}}

resource "lborg_commit" "this" {{
  triggers = {{
    haproxy    = sha256(jsonencode([lborg_layer7_vip.vip, lborg_layer7_real_server.rip]))
    ldirectord = sha256(jsonencode([lborg_layer4_vip.vip, lborg_layer4_real_server.rip]))
  }}
}}
"""
