"""`eas-lb lab up --no-ssh|lab|down|run|server|appliance`: the demo's moving parts, one command each.

`lab` is `up` plus an SSH server for the SSH features, for any site on loopback (see lab.py).

`make demo` calls `run`; the verify hooks call `server` and `appliance` to stop and start the
stand-in EAS servers and the simulated appliances, as an operator would through the EAS Craft
menu or by powering an appliance off.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.demo import kernel_nat, runtime
from eas_lb.operations.demo import lab as lab_commands
from eas_lb.operations.demo.kernel_nat import KernelNatUnavailable
from eas_lb.operations.demo.layout import DemoLayout, NotADemoSiteError, demo_layout
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

DEFAULT_SITE = PROJECT_ROOT / "examples" / "site-demo.yaml"


def _layout(site: Path) -> DemoLayout:
    return demo_layout(load_deployment(site))


def _say(line: str) -> None:
    print(f"==> {line}", flush=True)


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


def _add_layer4_option(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--layer4",
        choices=kernel_nat.LAYER4_CHOICES,
        default=default,
        help="how the Layer 4 (service) VIPs are served: kernel-nat (root: network namespaces and "
        "nftables, the EAS stand-ins see the client's address), proxy (a TCP proxy on loopback), "
        f"auto (kernel-nat where it works; default {default})",
    )


def main(argv: Sequence[str] | None = None) -> int:
    from eas_lb import package_version

    parser = argparse.ArgumentParser(prog="eas-lb demo", description=__doc__)
    version = f"%(prog)s {package_version()}"
    parser.add_argument("--version", action="version", version=version)
    parser.add_argument("--site", type=Path, default=DEFAULT_SITE, help="the demo's site file")
    commands = parser.add_subparsers(dest="command", required=True)

    class _Described:
        """Subcommands whose --help starts with a description (their help line) and has --version."""

        def add_parser(self, name: str, *, help: str) -> argparse.ArgumentParser:
            made = commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
            made.add_argument("--version", action="version", version=version)
            return made

    sub = _Described()
    up = sub.add_parser("up", help="start the simulated appliances and stand-in EAS servers")
    down = sub.add_parser("down", help="stop everything up, lab or run started")
    lab = sub.add_parser(
        "lab",
        help="up, and an SSH server (as root) serving the EAS pools.txt and the appliances' lb_config.xml",
    )
    lab.add_argument("--no-ssh", action="store_true", help="without root: no SSH server")
    for p in (up, down, lab):
        p.add_argument("--site", type=Path, default=None, dest="target_site", help="the site file")
    run = sub.add_parser("run", help="up, cdktf deploy, verify")
    for p, default in ((up, "proxy"), (lab, "proxy"), (run, "auto")):
        _add_layer4_option(p, default)
    run.add_argument("--output", type=Path, default=PROJECT_ROOT / "cdktf.out")
    run.add_argument("--disruptive", action="store_true")
    check = sub.add_parser("verify", help="verify the running demo (add --disruptive for the guide's tests)")
    check.add_argument("--disruptive", action="store_true")
    for name, what in (
        ("server", "a stand-in EAS server (all its ports), by IP"),
        ("appliance", "an appliance"),
    ):
        p = sub.add_parser(name, help=f"stop or start {what}")
        p.add_argument("action", choices=("stop", "start"))
        p.add_argument("target")
        p.add_argument("--site", type=Path, default=None, dest="target_site")
        if name == "server":
            p.add_argument(
                "--keep-connections",
                action="store_true",
                help="stop: keep the server's established connections (by default they are closed, as "
                "stopping or restarting the EAS closes them)",
            )
    args = parser.parse_args(argv)
    site: Path = getattr(args, "target_site", None) or args.site
    try:
        layout = _layout(site)
        if args.command == "up":
            for line in [*layer4_up(site, layout, args.layer4), *runtime.up(layout)]:
                _say(line)
        elif args.command == "lab":
            deployment = load_deployment(site)
            for line in layer4_up(site, layout, args.layer4):
                _say(line)
            progress, exports = lab_commands.up(deployment, with_ssh=not args.no_ssh)
            for line in progress:
                _say(line)
            print("\nThe lab runs. In the shell you use the site from:")
            print("".join(f"  {line}\n" for line in exports), end="")
            print(f"Stop it with: eas-lb lab down --site {site}", flush=True)
        elif args.command == "down":
            for line in [*runtime.down(layout), *lab_commands.unmount_state_dirs(layout)]:
                _say(line)
        elif args.command == "run":
            return run_demo(site, args.output, args.disruptive, args.layer4)
        elif args.command == "verify":
            return verify_demo(site, layout, args.disruptive)
        elif args.command == "server":
            keep = args.keep_connections
            runtime.set_server(layout, args.target, running=args.action == "start", keep_connections=keep)
        else:
            if args.action == "stop":
                runtime.stop_appliance(layout, args.target)
            else:
                env = {**os.environ, **runtime.demo_credentials(layout)}
                runtime.start_appliance(layout, args.target, env)
    except (
        InputFileError,
        NotADemoSiteError,
        KeyError,
        TimeoutError,
        RuntimeError,
        FileNotFoundError,
        SshServerUnavailable,
        KernelNatUnavailable,
        NetnsError,
    ) as err:
        print(f"demo: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
