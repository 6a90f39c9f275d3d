"""API requests per refresh of N provider resources: shared `list dumpconfig` cache vs one read per
resource (LBORG_READ_CACHE=off), measured side by side with real terraform and a simulator.

    python bench/bench_provider_refresh.py [--vips 10] [--reals 3]

Prints requests and wall time of `terraform plan` (refresh + plan) both ways, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lborg_provider.tools.install import install
from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    running_simulator,
)

LISTEN = "127.2.250.1:10944"


def site(sim: SimulatorProcess, vips: int, reals: int) -> str:
    return f"""
terraform {{
  required_providers {{
    lborg = {{ source = "local/lborg/lborg", version = "0.1.0" }}
  }}
}}
provider "lborg" {{
  endpoint = "{sim.endpoint}"
  ca_file  = "{sim.ca_file}"
}}
locals {{
  vips  = {{ for n in range({vips}) : format("VIP-%03d", n) => 20000 + n }}
  reals = merge([
    for label, port in local.vips : {{
      for r in range({reals}) : "${{label}}/RS-${{r}}" => {{
        vip = label, label = "RS-${{r}}", port = port, ip = "127.2.250.${{20 + r}}"
      }}
    }}
  ]...)
}}
resource "lborg_layer7_vip" "vip" {{
  for_each = local.vips
  label    = each.key
  ip       = "127.2.250.10"
  ports    = tostring(each.value)
}}
resource "lborg_layer7_real_server" "rs" {{
  for_each = local.reals
  vip      = lborg_layer7_vip.vip[each.value.vip].label
  label    = each.value.label
  ip       = each.value.ip
  port     = each.value.port
}}
"""


def api_requests(sim: SimulatorProcess) -> int:
    return int(sim.call([{"action": "nodestatus"}])[0]["data"]["counters"]["api_requests"])


def terraform(workdir: Path, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        ["terraform", *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise SystemExit(f"terraform {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started


def measure(sim: SimulatorProcess, workdir: Path, env: dict[str, str]) -> tuple[int, float]:
    overhead = -api_requests(sim) + api_requests(sim)
    before = api_requests(sim)
    seconds = terraform(workdir, env, "plan", "-input=false", "-no-color")
    return api_requests(sim) - before - overhead, seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vips", type=int, default=10)
    parser.add_argument("--reals", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("terraform") is None:
        print("terraform is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-provider-") as scratch:
        root = Path(scratch)
        installed = install(root / "mirror", root / "terraformrc")
        (root / "home").mkdir()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root / "home"),
            "TF_CLI_CONFIG_FILE": str(installed.cli_config),
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "LBORG_USERNAME": TEST_USERNAME,
            "LBORG_PASSWORD": TEST_PASSWORD,
            "LBORG_API_KEY": TEST_API_KEY,
        }
        with running_simulator(root / "sim", LISTEN) as sim:
            workdir = root / "work"
            workdir.mkdir()
            (workdir / "main.tf").write_text(site(sim, args.vips, args.reals))
            terraform(workdir, env, "init", "-input=false")
            terraform(workdir, env, "apply", "-auto-approve", "-input=false")
            resources = args.vips * (1 + args.reals)
            cached, cached_s = measure(sim, workdir, env)
            uncached, uncached_s = measure(sim, workdir, {**env, "LBORG_READ_CACHE": "off"})
    print(f"refresh + plan of {resources} resources ({args.vips} VIPs x {args.reals} real servers)")
    print(f"  shared cache     : {cached:4d} API requests, {cached_s:5.2f} s")
    print(f"  one read/resource: {uncached:4d} API requests, {uncached_s:5.2f} s")
    print(f"  ratio            : {uncached / max(cached, 1):.1f}x fewer requests with the cache")
    return 0


if __name__ == "__main__":
    sys.exit(main())
