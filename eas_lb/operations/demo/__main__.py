"""What `eas-lb lab up|down|status` and `eas-lb demo run|verify|down|server|appliance` do (their
declarations are in `cli`): the demo's moving parts, one command each.

`lab up` is `up` plus an SSH server for the SSH features, for any site on loopback (see lab.py).

`make demo` calls `run`; the verify hooks call `server` and `appliance` to stop and start the
stand-in EAS servers and the simulated appliances, as an operator would through the EAS Craft
menu or by powering an appliance off.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.demo import kernel_nat, runtime
from eas_lb.operations.demo import lab as lab_commands
from eas_lb.operations.demo.kernel_nat import KernelNatUnavailable
from eas_lb.operations.demo.layout import DemoLayout, NotADemoSiteError, demo_layout
from eas_lb.operations.demo.net import output_on_net, site_on_net
from eas_lb.operations.demo.sshd import SshServerUnavailable
from eas_lb.operations.terraform.cdktf import (
    CLI,
    PROJECT_ROOT,
    cdktf_env,
    deployable,
    lock_provider,
    run_cdktf,
    synthesized_stacks,
)
from lborg_simulator.netns import NetnsError
from lborg_support.command_line import Options, run_program, shared
from lborg_support.progress import say

DEFAULT_SITE = PROJECT_ROOT / "examples" / "site-demo.yaml"


def _layout(site: Path) -> DemoLayout:
    return demo_layout(load_deployment(site))


def _say(line: str) -> None:
    say(line)


def _hooks(site: Path) -> list[str]:
    me = f"{sys.executable} -m eas_lb demo"
    return [
        "--server-stop-cmd",
        f"{me} server stop {{ip}} --site {site}",
        "--server-start-cmd",
        f"{me} server start {{ip}} --site {site}",
        "--appliance-stop-cmd",
        f"{me} appliance stop {{name}} --site {site}",
        "--appliance-start-cmd",
        f"{me} appliance start {{name}} --site {site}",
    ]


def verify_demo(site: Path, layout: DemoLayout, disruptive: bool) -> int:
    """`eas-lb verify` on the demo site; the disruptive tests drive the simulators."""
    from eas_lb.operations.verify import cli as verify_command

    _say("verifying every VIP (eas-lb verify" + (" --disruptive)" if disruptive else ")"))
    os.environ.update(runtime.demo_credentials(layout))
    argv = ["verify", "--site", str(site)] + (["--disruptive", *_hooks(site)] if disruptive else [])
    network = kernel_nat.load(layout)
    if network is not None:
        argv += ["--client-netns", network.client_netns]
    try:
        verify_command.command.main(args=argv[1:], prog_name="eas-lb verify", standalone_mode=False)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def layer4_up(site: Path, layout: DemoLayout, requested: str) -> list[str]:
    """The kernel-NAT namespaces when `requested` (auto, kernel-nat, proxy) chooses them."""
    use, note = kernel_nat.choose(requested)
    if note is not None:
        return [note]
    return kernel_nat.up(load_deployment(site), layout) if use else []


def run_demo(site: Path, output: Path, disruptive: bool, layer4: str = "auto") -> int:
    started = time.monotonic()
    layout = _layout(site)
    for line in [*layer4_up(site, layout, layer4), *runtime.up(layout)]:
        _say(line)
    env = cdktf_env(site, runtime.demo_credentials(layout))
    _say(f"synthesizing every stack of {site.name}")
    run_cdktf(["synth"], env, output)
    appliance_stacks, vm_stacks = deployable(synthesized_stacks(output))
    for stack in vm_stacks:
        _say(
            f"skipping deploy of {stack}: no hypervisor is reachable here "
            f"(synthesized in {output}/stacks/{stack})"
        )
    lock_provider(output, appliance_stacks)
    _say(f"deploying {', '.join(appliance_stacks)} to the simulated appliances")
    run_cdktf(
        [
            "deploy",
            *appliance_stacks,
            "--auto-approve",
            "--ignore-missing-stack-dependencies",
            "--skip-synth",
        ],
        env,
        output,
    )
    code = verify_demo(site, layout, disruptive)
    _say(f"demo finished in {time.monotonic() - started:.0f} s with {'success' if code == 0 else 'FAILURES'}")
    pools = site.parent / load_deployment(site).site.pools
    chosen = "" if site.resolve() == DEFAULT_SITE.resolve() else f" SITE={site}"
    on_site = "" if not chosen else f" --site {site}"
    print(
        "\nNext:\n"
        f"  make demo-down{chosen}                       stop the simulated appliances and EAS servers\n"
        f"  edit {pools}, then make demo{chosen}   (only what changed is applied: one reload)\n"
        f"  .venv/bin/eas-lb demo{on_site} verify --disruptive   drain, health-check, fail-over\n"
        f"  set -a; . {layout.credentials_file}; set +a   then use {CLI} or terraform yourself\n",
        flush=True,
    )
    return code


#: What a demo or lab command reports in one line, without a traceback: the user can fix each.
_ONE_LINE_ERRORS = (
    InputFileError,
    NotADemoSiteError,
    KeyError,
    TimeoutError,
    RuntimeError,
    FileNotFoundError,
    SshServerUnavailable,
    KernelNatUnavailable,
    NetnsError,
)


def _site(options: Options) -> Path:
    """The subcommand's --site, else its group's (with the group's default), else the demo's site;
    with a range chosen (`demo --net`, `EAS_LB_NET`), its copy on that range (`net`)."""
    site: Path = options.site or getattr(shared(), "site", None) or DEFAULT_SITE
    chosen: str | None = getattr(shared(), "net", None)
    return site_on_net(site, chosen) if chosen else site


def _command(work: Callable[[Options, Path], int | None]) -> Callable[[Options], int]:
    """A subcommand's `run`: the site resolved, a user's mistake in one line (exit 1)."""

    @functools.wraps(work)
    def run(options: Options) -> int:
        try:
            return work(options, _site(options)) or 0
        except _ONE_LINE_ERRORS as err:
            print(f"demo: {err}", file=sys.stderr)
            return 1

    return run


@_command
def run_up(options: Options, site: Path) -> None:
    layout = _layout(site)
    for line in [*layer4_up(site, layout, options.layer4), *runtime.up(layout)]:
        _say(line)


@_command
def run_lab(options: Options, site: Path) -> None:
    layout = _layout(site)
    deployment = load_deployment(site)
    for line in layer4_up(site, layout, options.layer4):
        _say(line)
    progress, exports = lab_commands.up(deployment, with_ssh=not options.no_ssh)
    for line in progress:
        _say(line)
    print("\nThe lab runs. In the shell you use the site from:")
    print("".join(f"  {line}\n" for line in exports), end="")
    print(f"Stop it with: eas-lb lab down --site {site}", flush=True)


@_command
def run_down(_options: Options, site: Path) -> None:
    layout = _layout(site)
    for line in [*runtime.down(layout), *lab_commands.unmount_state_dirs(layout)]:
        _say(line)


@_command
def run_status(options: Options, site: Path) -> int:
    from eas_lb.operations.demo.status import lab_status, render

    found = lab_status(load_deployment(site))
    print(json.dumps(found.as_json(), indent=2) if options.json else render(found), flush=True)
    return 0 if found.all_running else 1


@_command
def run_run(options: Options, site: Path) -> int:
    default = output_on_net(site) if getattr(shared(), "net", None) else PROJECT_ROOT / "cdktf.out"
    return run_demo(site, options.output or default, options.disruptive, options.layer4)


@_command
def run_verify(options: Options, site: Path) -> int:
    return verify_demo(site, _layout(site), options.disruptive)


@_command
def run_server(options: Options, site: Path) -> None:
    keep = options.keep_connections
    runtime.set_server(
        _layout(site), options.target, running=options.action == "start", keep_connections=keep
    )


@_command
def run_appliance(options: Options, site: Path) -> None:
    layout = _layout(site)
    if options.action == "stop":
        runtime.stop_appliance(layout, options.target)
    else:
        runtime.start_appliance(layout, options.target, {**os.environ, **runtime.demo_credentials(layout)})


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m eas_lb.demo ...` (the old form): the exit code (docs/command-line.md)."""
    from eas_lb.operations.demo.cli import program

    return run_program(program, argv, "eas-lb demo")


if __name__ == "__main__":
    sys.exit(main())
