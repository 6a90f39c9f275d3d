"""Team state: two checkouts deploy one site at once against a real PostgreSQL backend.

A PostgreSQL server (started here, on 127.17.0.1) holds the state; a simulated appliance
(127.17.1.1) is the target. The site is synthesized once with the cdktf CLI and copied into two
"checkouts"; `cdktf deploy` runs in both at the same time. Terraform's lock on the stack's state
must serialize them: one creates every object, the other then finds them in state and changes
nothing; the appliance holds each object exactly once. The connection string in the site has no
password (it comes from PGPASSWORD), and no file of either checkout holds it. A third checkout,
synthesized without a connection string, reaches the same state through PG_CONN_STR alone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eas_lb.operations.demo.layout import GUIDE_GLOBALS
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_command, cdktf_env, lock_provider
from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, SimulatorProcess
from tests.support.postgres import PostgresServer, free_port, running_postgres

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

PG_HOST = "127.17.0.1"
APPLIANCE = "127.17.1.1"
POOLS = 8
SERVERS = 2
STACK = "team-pair1-lb"


def _pools_text() -> str:
    rows = [
        f"P{n} 127.17.2.{n + 1} tcp {8000 + n} 0 "
        + " ".join(f"127.17.3.{n * SERVERS + s + 1}" for s in range(SERVERS))
        for n in range(POOLS)
    ]
    return "POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\n" + "\n".join(rows) + "\n"


def _site_text(sim: SimulatorProcess, port: int, conn_str: str | None) -> str:
    config = f"  config:\n    conn_str: {conn_str}\n" if conn_str else "  config: {}\n"
    return (
        "name: team\n"
        "pools: pools.txt\n"
        "pairs:\n"
        "  - name: pair1\n"
        "    primary:\n"
        "      name: lb1\n"
        f"      endpoint: https://{APPLIANCE}:{port}\n"
        f"      management_ip: {APPLIANCE}/24\n"
        f"      ca_file: {sim.ca_file}\n"
        "backend:\n"
        "  kind: pg\n" + config
    )


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres(PG_HOST) as server:
        yield server


@pytest.fixture(scope="module")
def appliance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SimulatorProcess, int]]:
    port = free_port(APPLIANCE)
    advanced = dict(GUIDE_GLOBALS)
    sim = SimulatorProcess(
        tmp_path_factory.mktemp("team-sim"), f"{APPLIANCE}:{port}", name="lb1", advanced=advanced
    )
    sim.start()
    try:
        yield sim, port
    finally:
        sim.stop()


def _env(site: Path, extra: dict[str, str]) -> dict[str, str]:
    credentials = {
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    env = cdktf_env(site, {**credentials, **extra})
    # The mirror this checkout builds (`make provider`), which lock_provider's entries describe.
    env["TF_CLI_CONFIG_FILE"] = str(PROJECT_ROOT / "build" / "terraformrc")
    # cdktf shares ~/.terraform.d/plugin-cache between every checkout of the user; each checkout
    # here installs the provider from its own mirror instead.
    env["CDKTF_DISABLE_PLUGIN_CACHE_ENV"] = "1"
    for name in ("PGPASSWORD", "PG_CONN_STR"):
        if name not in extra:
            env.pop(name, None)
    return env


def _synth(site: Path, output: Path, env: dict[str, str], *, cli: bool = True) -> None:
    """`cdktf synth`, or (cli=False, quicker) the app it runs, `python main.py`."""
    argv = [*cdktf_command(), "synth", "--output", str(output)] if cli else [sys.executable, "main.py"]
    result = subprocess.run(
        argv,
        cwd=PROJECT_ROOT,
        env={**env, "CDKTF_OUTDIR": str(output)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lock_provider(output, [STACK])


def _deploy(output: Path, env: dict[str, str], into: dict[str, Any]) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [*cdktf_command(), "deploy", STACK, "--auto-approve", "--skip-synth", "--output", str(output)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    into.update(code=result.returncode, out=result.stdout + result.stderr, seconds=time.monotonic() - started)


def _added(output: str) -> int:
    found = re.findall(r"Apply complete! Resources: (\d+) added", output)
    assert found, output[-3000:]
    return int(found[-1])


def _appliance_objects(sim: SimulatorProcess) -> tuple[list[str], list[str]]:
    data = sim.call([{"action": "list", "function": "dumpconfig"}])[0]["data"]
    text = repr(data)
    vips = re.findall(r"'label': '(MGMT_P\d+)'", text)
    servers = re.findall(r"'label': '(MGMT_P\d+[^']*)'", text)
    return vips, servers


def _files_containing(root: Path, secret: str) -> list[str]:
    return [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and secret.encode() in path.read_bytes()
    ]


def test_two_checkouts_deploy_at_once_and_the_lock_serializes_them(
    tmp_path: Path, postgres: PostgresServer, appliance: tuple[SimulatorProcess, int]
) -> None:
    sim, port = appliance
    site = tmp_path / "site" / "site.yaml"
    site.parent.mkdir()
    (site.parent / "pools.txt").write_text(_pools_text())
    site.write_text(_site_text(sim, port, postgres.url()))
    waiting = {"TF_CLI_ARGS_plan": "-lock-timeout=300s", "TF_CLI_ARGS_apply": "-lock-timeout=300s"}
    env = _env(site, {"PGPASSWORD": postgres.password, **waiting})

    synthesized = tmp_path / "synth"
    _synth(site, synthesized, env)
    checkouts = [tmp_path / "checkout-a", tmp_path / "checkout-b"]
    for checkout in checkouts:
        subprocess.run(["cp", "-a", str(synthesized), str(checkout)], check=True)

    results: list[dict[str, Any]] = [{}, {}]
    threads = [
        threading.Thread(target=_deploy, args=(checkout, env, result))
        for checkout, result in zip(checkouts, results, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    for result in results:
        assert result.get("code") == 0, result.get("out", "")[-4000:]

    objects = POOLS * (1 + SERVERS)
    added = sorted(_added(result["out"]) for result in results)
    assert added[0] == 0 and added[1] >= objects, added  # one deploy made everything, the other nothing
    vips, labels = _appliance_objects(sim)
    assert sorted(vips) == sorted(set(vips)) and len(set(vips)) == POOLS, vips
    assert len(labels) == len(set(labels))

    # The state lives in the database, in the stack's own schema, once.
    assert postgres.sql(f'select name from "{STACK}".states') == [["default"]]
    # The password came from the environment: no file of either checkout holds it.
    for checkout in checkouts:
        stack_json = (checkout / "stacks" / STACK / "cdk.tf.json").read_text()
        assert f"postgres://{postgres.user}@{PG_HOST}" in stack_json
        assert _files_containing(checkout, postgres.password) == []

    # A checkout synthesized without a connection string reaches the same state through PG_CONN_STR.
    site.write_text(_site_text(sim, port, None))
    env_only = _env(site, {"PG_CONN_STR": postgres.url(with_password=True)})
    third = tmp_path / "checkout-c"
    _synth(site, third, env_only, cli=False)
    backend = json.loads((third / "stacks" / STACK / "cdk.tf.json").read_text())["terraform"]["backend"]
    assert backend == {"pg": {"schema_name": STACK}}
    stack_dir = third / "stacks" / STACK
    for command in (
        ["init", "-input=false"],
        ["plan", "-input=false", "-detailed-exitcode", "-lock-timeout=60s"],
    ):
        started = time.monotonic()
        run = subprocess.run(
            ["terraform", f"-chdir={stack_dir}", *command],
            env=env_only,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr  # plan: 0 = the state is there, nothing to change
    assert _files_containing(third, postgres.password) == []

    # adopt on this deployed site reads the pg state through Terraform: nothing to adopt, nothing written.
    project = tmp_path / "adopting"
    project.mkdir()
    (project / "cdktf.out").symlink_to(third, target_is_directory=True)
    adopted = subprocess.run(
        [sys.executable, "-m", "eas_lb", "adopt", "--site", str(site)],
        cwd=project,
        env=env_only,
        capture_output=True,
        text=True,
        check=False,
    )
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    expected = f"every object on its appliances is already in Terraform state ({STACK} in the pg backend)"
    assert f"nothing to adopt: {expected}" in adopted.stdout, adopted.stdout + adopted.stderr
    assert not list(site.parent.glob("*.adopted.json"))
    seconds = [round(r["seconds"], 1) for r in results]
    print(f"concurrent deploys took {seconds} s; plan with PG_CONN_STR {time.monotonic() - started:.1f} s")
