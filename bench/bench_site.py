"""Apply and destroy a generated scenario-1 site with real terraform, side by side with floors.

    python bench/bench_site.py [--pools 100 300] [--latency-ms 0] [--synth-pairs 1] [--synth-pools 100]

Per size N: a site of N pools (half `# MANAGEMENT`, half `# SERVICE`, 3 EAS servers each) is
synthesized with the project's own stacks (the lb stack of one HA pair: 4N + 8 resources) and
deployed to two simulated appliances paired by the stack itself. In the same run, on the same
resource count and shape (one item per VIP, three per VIP that depend on it, seven more), two
floors: `floor_item` of `bench/floor_provider.py` (a minimal provider on the same `tf`
framework, state in one file per item) and Terraform's built-in `terraform_data`.

Phases, each timed and shown as a ratio to the `floor_item` provider: plan (refresh, no change),
apply from empty, re-apply (no change) and destroy. For lborg also: API requests, write actions
and reloads per phase (simulator counters of both nodes), and the provider processes' peak RSS.
`--latency-ms` adds that much to every API request of the simulators (a slow appliance).

A second benchmark times `synth` of a site of `--synth-pairs` HA pairs x `--synth-pools` pools
(by default one pair of 100 pools) against an empty cdktf stack (best of `--synth-runs`, each in a
fresh Python process).

Addresses: 127.12.0.0/16 only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(BENCH_DIR))

import floor_provider  # noqa: E402

from lborg_provider import PROVIDER_SOURCE  # noqa: E402

NET = "127.12"
#: Third octet of the first subnet used: management {BASE}.x, service {BASE+1}.x, service VIP
#: {BASE+2}.x, management pools {BASE+10}.x and their servers {BASE+11}.x (`--subnet-base`).
BASE = 200


def addr(offset: int, host: int | str) -> str:
    return f"{NET}.{BASE + offset}.{host}"


API_PORT = 10944
#: Pairs of the synth benchmark: two service addresses each in the upper /25 of the service subnet.
MAX_SYNTH_PAIRS = 62
REALS = 3
EXTRAS = 8  # commit, on-destroy commit, floating IP, HA pair, hostname x2, interface address x2
PHASES = ("plan", "apply", "reapply", "destroy")
PHASE_TITLES = {
    "plan": "plan (refresh, no change)",
    "apply": "apply from empty",
    "reapply": "re-apply (no change)",
    "destroy": "destroy",
}


# -- the generated site ------------------------------------------------------------------------
def pools_text(pools: int, vip_host: int = 1) -> str:
    """N pools: the first half management (Layer 7), the rest service (Layer 4 NAT), 3 servers each.

    The management VIPs are on host `vip_host` of their subnet: each pair of the synth benchmark
    has a pools file of its own, since no VIP may come up on two pairs.
    """
    management = (pools + 1) // 2
    rows = ["POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT"]
    for index in range(management):
        port = 20000 + index
        servers = " ".join(addr(11, s) for s in range(1, REALS + 1))
        rows.append(f"P{index:03d}-{port} {addr(10, vip_host)} tcp {port} 2100 {servers}")
    rows += ["", "# SERVICE"]
    for index in range(management, pools):
        port = 20000 + index
        servers = " ".join(addr(1, 20 + s) for s in range(1, REALS + 1))
        rows.append(f"P{index:03d}-{port} - tcp {port} 2100 {servers}")
    return "\n".join(rows) + "\n"


def site_text(name: str, pools_file: str, pairs: int = 1) -> str:
    """A scenario-1 site on loopback; with several pairs (synth only), pair k is managed on 127.12.(k+1).x.

    Pair k > 1 reads its own pools file, `pools-pair<k>.txt` (see `synth_pools_file`): a pools
    file's sections are each served by one pair, and no VIP comes up on two. All share the EAS
    service subnet; each gets its own service addresses, service VIP and gateway, as `check`
    requires of any site (no address brought up twice).
    """
    if pairs > MAX_SYNTH_PAIRS:
        raise SystemExit(f"--synth-pairs {pairs}: at most {MAX_SYNTH_PAIRS} (service addresses of one /25)")
    lines = [
        f"name: {name}",
        f"pools: {pools_file}",
        "scenario: 1",
        "subscribers: 250000",
        "credentials:",
        "  username_env: LBORG_USERNAME",
        "  password_env: LBORG_PASSWORD",
        "  api_key_env: LBORG_API_KEY",
        "pairs:",
    ]
    for k in range(pairs):
        mgmt = f"{NET}.{BASE}" if pairs == 1 else f"{NET}.{k + 1}"
        primary_host, secondary_host, gateway_host = (
            (240, 241, 10) if pairs == 1 else (129 + 2 * k, 130 + 2 * k, 30 + k)
        )
        lines += [f"  - name: pair{k + 1}"]
        if k > 0:
            lines.append(f"    pools: {synth_pools_file(k)}")
        lines += [
            "    primary:",
            f"      name: lb{2 * k + 1}",
            f"      endpoint: https://{mgmt}.1:{API_PORT}",
            f"      management_ip: {mgmt}.1/24",
            f"      service_ip: {addr(1, primary_host)}/25",
            "      ca_file: run/ca/ca.pem",
            "    secondary:",
            f"      name: lb{2 * k + 2}",
            f"      endpoint: https://{mgmt}.2:{API_PORT}",
            f"      management_ip: {mgmt}.2/24",
            f"      service_ip: {addr(1, secondary_host)}/25",
            "      ca_file: run/ca/ca.pem",
            f"    service_vip: {addr(2, 150 + k)}",
            f"    service_gateway: {addr(1, gateway_host)}",
            f"    eas_service_subnet: {addr(1, 0)}/25",
        ]
    lines += ["backend:", "  kind: local"]
    return "\n".join(lines) + "\n"


def synth_pools_file(k: int) -> str:
    """The pools file of the synth site's pair k (0-based; pair 0 reads the site's `pools:`)."""
    return "pools.txt" if k == 0 else f"pools-pair{k + 1}.txt"


SYNTH_SITE = """
import sys, time
from pathlib import Path
started = time.perf_counter()
from eas_lb.synth.framework import App
from eas_lb.inputs.site import load_deployment
from eas_lb.synth.stacks.app import build_stacks
app = App(outdir=sys.argv[2])
build_stacks(app, load_deployment(Path(sys.argv[1])))
app.synth()
print(time.perf_counter() - started)
"""

SYNTH_EMPTY = """
import sys, time
started = time.perf_counter()
from cdktf import App, TerraformStack
app = App(outdir=sys.argv[2])
TerraformStack(app, "empty")
app.synth()
print(time.perf_counter() - started)
"""


def synth(script: str, site: Path | None, outdir: Path, env: dict[str, str]) -> float:
    """Wall time of a fresh `python` that synthesizes, as `cdktf synth` would run it."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, str(site or ""), str(outdir)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"synth failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started


# -- terraform and measurements ------------------------------------------------------------------
@dataclass
class Phase:
    seconds: float
    requests: int = 0
    writes: int = 0
    busy: float = 0.0
    reloads: dict[str, int] = field(default_factory=dict)
    rss_mb: float = 0.0
    provider_cpu: float = 0.0
    #: CPU seconds of terraform itself (its own and its reaped children's, less the providers').
    terraform_cpu: float = 0.0
    #: From the lborg provider processes' own report (`LBORG_STATS_FILE`): how many ran, their CPU
    #: before serving (interpreter and imports) and in all, and their wait on the appliance.
    processes: int = 0
    start_cpu: float = 0.0
    own_cpu: float = 0.0
    wait: float = 0.0


class RssSampler:
    """Peak RSS (VmHWM) and CPU time of terraform's provider child processes, sampled every 20 ms
    (CPU time as last seen before each process ended, so slightly under the truth)."""

    def __init__(self, parent: int) -> None:
        self.parent = parent
        self.peak_kb = 0
        self.cpu_ticks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _children(self) -> list[int]:
        found: list[int] = []
        for task in Path(f"/proc/{self.parent}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                found += [int(pid) for pid in task.read_text().split()]
        return found

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            for pid in self._children():
                with contextlib.suppress(OSError, ValueError):
                    command = Path(f"/proc/{pid}/cmdline").read_text()
                    if "terraform-provider-" not in command and "lborg_provider.main" not in command:
                        continue
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
                    self.cpu_ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU seconds of this process's waited-for children and theirs (terraform reaps its providers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def terraform(
    workdir: Path, env: dict[str, str], *args: str, ok: Sequence[int] = (0,)
) -> tuple[float, float, float, float]:
    """Run terraform; return (seconds, peak provider RSS in MB, provider CPU seconds, CPU seconds of
    terraform and its providers together)."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        ["terraform", *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with RssSampler(process.pid) as sampler:
        stdout, stderr = process.communicate(timeout=3600)
    seconds = time.perf_counter() - started
    if process.returncode not in ok:
        raise SystemExit(
            f"terraform {' '.join(args)} exited {process.returncode}:\n{stdout[-3000:]}\n{stderr}"
        )
    return seconds, sampler.peak_kb / 1024, sampler.cpu_seconds, children_cpu() - cpu_before


COMMANDS = {
    "apply": ("apply", "-auto-approve", "-input=false", "-no-color"),
    "plan": ("plan", "-detailed-exitcode", "-input=false", "-no-color"),
    "reapply": ("apply", "-auto-approve", "-input=false", "-no-color"),
    "destroy": ("destroy", "-auto-approve", "-input=false", "-no-color"),
}


@dataclass
class Subject:
    """One of the three configurations measured side by side."""

    name: str
    workdir: Path
    env: dict[str, str]
    counters: Any = None
    phases: dict[str, Phase] = field(default_factory=dict)

    def run(self, phase_name: str) -> None:
        before = self.counters() if self.counters else None
        stats = self.workdir / f"provider-stats-{phase_name}.jsonl"
        env = {**self.env, "LBORG_STATS_FILE": str(stats)}
        seconds, rss, cpu, all_cpu = terraform(self.workdir, env, *COMMANDS[phase_name])
        phase = Phase(seconds, rss_mb=rss, provider_cpu=cpu)
        reports = [json.loads(line) for line in stats.read_text().splitlines()] if stats.exists() else []
        if reports:  # the lborg provider's own report is exact; the sampler's is slightly under
            phase.processes = len(reports)
            phase.start_cpu = sum(r["start_cpu"] for r in reports)
            phase.own_cpu = sum(r["cpu"] for r in reports)
            phase.wait = sum(r["request_seconds"] for r in reports)
            phase.provider_cpu = phase.own_cpu
        phase.terraform_cpu = max(0.0, all_cpu - phase.provider_cpu)
        if self.counters and before is not None:
            after = self.counters()
            phase.requests = after["api_requests"] - before["api_requests"] - after["own_requests"]
            phase.writes = after["write_actions"] - before["write_actions"]
            phase.busy = after["busy_seconds"] - before["busy_seconds"]
            phase.reloads = {k: after["reloads"][k] - before["reloads"][k] for k in after["reloads"]}
        self.phases[phase_name] = phase


def run_side_by_side(subjects: Sequence[Subject]) -> None:
    """Each phase runs for every subject back to back, so a busy machine weighs on all alike."""
    for phase_name in ("apply", "plan", "reapply", "destroy"):
        for subject in subjects:
            subject.run(phase_name)
        print(
            f"  {phase_name}: "
            + ", ".join(f"{s.name} {s.phases[phase_name].seconds:.1f} s" for s in subjects),
            flush=True,
        )


def floor_config(kind: str, stack: dict[str, Any], directory: Path) -> dict[str, Any]:
    """The floor's configuration: the lb stack's own graph, every resource a floor item.

    The same resources under the same names, the same `depends_on` edges (the commit after every
    object, every VIP after the node's settings, every real server after its VIP) and, for
    `floor_item`, the same two provider configurations (one per appliance of the pair): Terraform
    does the same walk for both, and the ratio is what lborg's provider adds per resource.
    Each item keeps a name, its VIP's label as `parent` and its address and port where it has them.
    `terraform_data` gets the same graph with those values as its `input`, and no provider. The
    stack's data source (the appliance's global settings, read to check the guide's timings) has
    no floor counterpart: it is lborg's own cost.
    """

    item_type = "floor_item" if kind == "floor" else "terraform_data"

    def key(type_name: str, name: str) -> str:
        return f"{type_name.removeprefix('lborg_')}__{name}"

    items: dict[str, Any] = {}
    for type_name, resources in stack["resource"].items():
        for name, body in resources.items():
            values: dict[str, Any] = {"name": f"{type_name}.{name}"}
            if "vip" in body:
                values["parent"] = body["vip"]
            if "ip" in body:
                values["ip"] = body["ip"]
            if isinstance(body.get("port"), int):
                values["port"] = body["port"]
            item: dict[str, Any] = values if kind == "floor" else {"input": values}
            if kind == "floor":
                item["provider"] = body["provider"].replace("lborg.", "floor.")
            if body.get("depends_on"):
                edges = [edge for edge in body["depends_on"] if not edge.startswith("data.")]
                item["depends_on"] = [f"{item_type}.{key(*edge.split('.', 1))}" for edge in edges]
            items[key(type_name, name)] = item
    if kind != "floor":
        return {"resource": {"terraform_data": items}}
    aliases = sorted({item["provider"].split(".", 1)[1] for item in items.values()})
    floor = {"source": floor_provider.SOURCE, "version": floor_provider.VERSION}
    return {
        "terraform": {"required_providers": {"floor": floor}},
        "provider": {"floor": [{"alias": alias, "directory": str(directory / alias)} for alias in aliases]},
        "resource": {"floor_item": items},
    }


# -- the simulated HA pair -------------------------------------------------------------------------
@contextlib.contextmanager
def simulated_pair(site: Path, latency_ms: int) -> Iterator[tuple[Any, dict[str, str]]]:
    """Start the site's two simulated appliances (no EAS stand-ins: the bench sends no traffic)."""
    from eas_lb.inputs.site import load_deployment
    from eas_lb.operations.demo import processes, runtime
    from eas_lb.operations.demo.layout import demo_layout

    layout = demo_layout(load_deployment(site))
    credentials = runtime.demo_credentials(layout)
    env = {**os.environ, **credentials}
    try:
        for appliance in layout.appliances:
            if latency_ms:
                state = layout.state_dir(appliance.name)
                state.mkdir(parents=True, exist_ok=True)
                (state / "faults.json").write_text(json.dumps({"latency_ms": latency_ms}))
            runtime.start_appliance(layout, appliance.name, env)
        yield layout, credentials
    finally:
        for name in processes.tracked(layout.run_dir):
            processes.stop(layout.run_dir, name)


def counter_reader(layout: Any, credentials: dict[str, str]) -> Any:
    from lborg_provider.client import ApiCredentials, ApplianceClient

    clients = [
        ApplianceClient(
            f"https://{a.host}:{a.port}",
            ApiCredentials(
                credentials["LBORG_USERNAME"], credentials["LBORG_PASSWORD"], credentials["LBORG_API_KEY"]
            ),
            ca_file=str(layout.ca_dir / "ca.pem"),
            timeout_seconds=120,
        )
        for a in layout.appliances
    ]
    primary = clients[0]

    def read() -> dict[str, Any]:
        total: dict[str, Any] = {
            "api_requests": 0,
            "write_actions": 0,
            "busy_seconds": 0.0,
            "own_requests": len(clients),
        }
        for client in clients:
            counters = client.nodestatus()["counters"]
            total["api_requests"] += counters["api_requests"]
            total["write_actions"] += counters.get("write_actions", 0)
            total["busy_seconds"] += counters.get("busy_seconds", 0.0)
            if client is primary:
                total["reloads"] = dict(counters["reloads"])
        return total

    return read


# -- one size ------------------------------------------------------------------------------------
def bench_size(
    root: Path, pools: int, latency_ms: int, base_env: dict[str, str]
) -> dict[str, dict[str, Phase]]:
    print(f"\n== {pools} pools ({4 * pools + EXTRAS} resources) ==", flush=True)
    scratch = root / f"site-{pools}"
    scratch.mkdir()
    (scratch / "pools.txt").write_text(pools_text(pools))
    site = scratch / "site.yaml"
    site.write_text(site_text("bench", "pools.txt"))
    out = scratch / "cdktf.out"
    synth(SYNTH_SITE, site, out, base_env)
    stack = json.loads((out / "stacks" / "bench-pair1-lb" / "cdk.tf.json").read_text())
    stack.get("terraform", {}).pop("backend", None)
    resources = sum(len(v) for v in stack["resource"].values())
    assert resources == 4 * pools + EXTRAS, resources
    subjects: list[Subject] = []
    for kind in ("floor", "terraform_data"):
        work = scratch / kind
        work.mkdir()
        (work / "main.tf.json").write_text(json.dumps(floor_config(kind, stack, work / "items"), indent=1))
        terraform(work, base_env, "init", "-input=false", "-no-color")
        subjects.append(Subject(kind, work, base_env))

    with simulated_pair(site, latency_ms) as (layout, credentials):
        work = scratch / "lborg"
        work.mkdir()
        (work / "main.tf.json").write_text(json.dumps(stack, indent=1))
        env = {**base_env, **credentials}
        terraform(work, env, "init", "-input=false", "-no-color")
        subjects.insert(0, Subject("lborg", work, env, counter_reader(layout, credentials)))
        run_side_by_side(subjects)
    results = {subject.name: subject.phases for subject in subjects}
    return results


def print_table(pools: int, results: dict[str, dict[str, Phase]], latency_ms: int) -> None:
    floor, data, lborg = results["floor"], results["terraform_data"], results["lborg"]
    print(f"\n{pools} pools, {4 * pools + EXTRAS} resources, appliance latency {latency_ms} ms")
    print(
        "| phase | lborg | floor_item | ratio | terraform_data | API requests | write actions "
        "| reloads (haproxy/ldirectord/heartbeat) | appliance busy | provider CPU lborg / floor "
        "| appliance actions (writes + reloads) per resource |"
    )
    print("| --- " * 11 + "|")
    for name in PHASES:
        phase = lborg[name]
        reloads = "/".join(str(phase.reloads.get(s, 0)) for s in ("haproxy", "ldirectord", "heartbeat"))
        print(
            f"| {PHASE_TITLES[name]} | {phase.seconds:.1f} s | {floor[name].seconds:.1f} s | "
            f"{phase.seconds / floor[name].seconds:.2f}x | {data[name].seconds:.1f} s | {phase.requests} | "
            f"{phase.writes} | {reloads} | {phase.busy:.1f} s | "
            f"{phase.provider_cpu:.1f} s / {floor[name].provider_cpu:.1f} s | "
            f"{phase.writes / (4 * pools + EXTRAS):.2f} |"
        )
    print_breakdown(pools, lborg, floor)
    peak = max(phase.rss_mb for phase in lborg.values())
    floor_peak = max(phase.rss_mb for phase in floor.values())
    print(f"provider peak RSS: lborg {peak:.0f} MB, floor_item {floor_peak:.0f} MB")


def print_breakdown(pools: int, lborg: dict[str, Phase], floor: dict[str, Phase]) -> None:
    """Where each phase's wall time goes: Terraform's CPU, the provider's CPU (of it, before
    serving: interpreter and imports), waiting on the appliance (of it, the simulated appliance's
    own work), for lborg and for the floor; CPU of two cores can exceed the wall time."""
    resources = 4 * pools + EXTRAS
    print(f"\nWhere the time goes, {pools} pools (seconds; the machine's 2 cores run work in parallel)")
    print(
        "| phase | wall lborg / floor | Terraform CPU lborg / floor | provider CPU lborg / floor "
        "| of it before serving (processes) lborg / floor | waiting on the appliance "
        "| of it the simulator's work | requests | actions per resource |"
    )
    print("| --- " * 9 + "|")
    for name in PHASES:
        mine, base = lborg[name], floor[name]
        actions = mine.writes / resources
        print(
            f"| {PHASE_TITLES[name]} | {mine.seconds:.1f} / {base.seconds:.1f} "
            f"| {mine.terraform_cpu:.1f} / {base.terraform_cpu:.1f} "
            f"| {mine.provider_cpu:.1f} / {base.provider_cpu:.1f} "
            f"| {mine.start_cpu:.1f} ({mine.processes}) / {base.start_cpu:.1f} ({base.processes}) "
            f"| {mine.wait:.2f} | {mine.busy:.2f} "
            f"| {mine.requests} | {actions:.2f} |"
        )


def bench_synth(root: Path, pairs: int, pools: int, runs: int, env: dict[str, str]) -> None:
    """The app alone (a fresh Python that synthesizes) and `cdktf synth` as a user runs it, each
    against an empty cdktf app measured the same way, on the checkout's Node.js as the tools run."""
    from eas_lb.synth.framework_choice import cli_bin_dir, use_supported_node

    env = dict(use_supported_node(dict(env)))
    print(f"\n== synth: {pairs} HA pairs x {pools} pools vs an empty stack ==", flush=True)
    scratch = root / "synth"
    scratch.mkdir()
    for k in range(pairs):
        (scratch / synth_pools_file(k)).write_text(pools_text(pools, vip_host=k + 1))
    site = scratch / "site.yaml"
    site.write_text(site_text("synth", "pools.txt", pairs=pairs))
    empty = min(synth(SYNTH_EMPTY, None, scratch / "empty.out", env) for _ in range(runs))
    full = min(synth(SYNTH_SITE, site, scratch / "site.out", env) for _ in range(runs))
    count = sum(
        len(items)
        for path in (scratch / "site.out" / "stacks").glob("*/cdk.tf.json")
        for items in json.loads(path.read_text())["resource"].values()
    )
    print("| synth | the app alone | ratio | `cdktf synth` | ratio |")
    print("| --- | --- | --- | --- | --- |")
    cli = cli_bin_dir("cdktf")
    cli_empty = cli_full = None
    if cli is not None:
        (scratch / "empty-app.py").write_text(SYNTH_EMPTY.replace("sys.argv[2]", "None"))
        empty_project = cdktf_project(scratch / "cli-empty", scratch / "empty-app.py")
        site_project = cdktf_project(scratch / "cli-site", PROJECT_ROOT / "main.py")
        cli_env = {**env, "EAS_SITE": str(site), "PATH": os.pathsep.join([str(cli), env["PATH"]])}
        cli_empty = min(cdktf_synth(empty_project, cli_env) for _ in range(runs))
        cli_full = min(cdktf_synth(site_project, cli_env) for _ in range(runs))
    shown = (
        ("empty cdktf stack", empty, cli_empty),
        (f"{pairs} pairs x {pools} pools ({count} resources)", full, cli_full),
    )
    for title, alone, whole in shown:
        by_cli = f"{whole:.2f} s | {whole / cli_empty:.2f}x" if whole and cli_empty else "no cdktf CLI | -"
        print(f"| {title} | {alone:.2f} s | {alone / empty:.2f}x | {by_cli} |")


def cdktf_project(project: Path, app: Path) -> Path:
    """A cdktf project folder whose app is `app`, run by this Python."""
    project.mkdir()
    config = {"language": "python", "app": f"{sys.executable} {app}", "sendCrashReports": "false"}
    (project / "cdktf.json").write_text(json.dumps(config))
    return project


def cdktf_synth(project: Path, env: dict[str, str]) -> float:
    """Wall time of `cdktf synth` in a project folder (`cdktf_project`)."""
    started = time.perf_counter()
    result = subprocess.run(
        ["cdktf", "synth"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"cdktf synth failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pools", type=int, nargs="+", default=[100, 300], help="site sizes (default 100 300)"
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every simulated API request")
    parser.add_argument("--synth-pairs", type=int, default=1, help="HA pairs of the synth benchmark's site")
    parser.add_argument("--synth-pools", type=int, default=100, help="pools of each of its pairs")
    parser.add_argument("--synth-runs", type=int, default=3)
    parser.add_argument("--skip-synth", action="store_true")
    parser.add_argument("--skip-apply", action="store_true")
    parser.add_argument("--subnet-base", type=int, default=200, help="third octet of the first subnet")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print its path")
    args = parser.parse_args()
    global BASE
    BASE = args.subnet_base
    if shutil.which("terraform") is None:
        print("terraform is not installed", file=sys.stderr)
        return 1
    from lborg_provider.tools.install import cli_config_text, install

    root = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        mirror = root / "mirror"
        install(mirror, root / "terraformrc")
        floor_provider.install(mirror)
        cli_config = root / "terraformrc"
        cli_config.write_text(
            cli_config_text(mirror).replace(
                f'"{PROVIDER_SOURCE}"', f'"{PROVIDER_SOURCE}", "{floor_provider.SOURCE}"'
            )
        )
        (root / "home").mkdir()
        env = {
            "PATH": os.pathsep.join(
                [str(Path(sys.executable).parent), os.environ.get("PATH", "/usr/bin:/bin")]
            ),
            "HOME": str(root / "home"),
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
        }
        if not args.skip_apply:
            for pools in args.pools:
                results = bench_size(root, pools, args.latency_ms, env)
                print_table(pools, results, args.latency_ms)
        if not args.skip_synth:
            bench_synth(root, args.synth_pairs, args.synth_pools, args.synth_runs, env)
    finally:
        if args.keep:
            print(f"scratch folder kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
