"""`eas-lb` (and `python -m eas_lb`): one click group, one subcommand per operator task.

Subcommand modules are imported only when their command runs or shows its help: `eas-lb --help`
lists the table below without loading any of them (no cdktf, no HTTP client). A module declares
its command one way: `command`, a click command built by `eas_lb.operations.command_line`.
A module that still declares argparse options (`add_arguments`, `run`) is run through a bridge
that hands it the rest of the command line, so both kinds answer `eas-lb NAME --help`.

Exit codes, the same in every command (docs/command-line.md): 0 done or clean, 1 failed or could
not tell, 2 changes or drift found, 3 a usage error (click's own code for one is 2: it is mapped).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import click

from eas_lb import SetupError, package_version

EXIT_USAGE = 3


@dataclass(frozen=True)
class Command:
    name: str
    module: str
    summary: str
    example: str


COMMANDS: tuple[Command, ...] = (
    Command(
        "check",
        "eas_lb.operations.commands.check",
        "parse a pools.txt (and a site file) and print its pools",
        "eas-lb check pools.txt --site site.yaml",
    ),
    Command(
        "synth",
        "eas_lb.operations.commands.synth",
        "write the site's Terraform JSON (cdktf synth) into cdktf.out",
        "eas-lb synth --site site.yaml",
    ),
    Command(
        "deploy",
        "eas_lb.operations.commands.deploy",
        "back up lb_config.xml of the appliances, then cdktf deploy",
        "eas-lb deploy --site site.yaml",
    ),
    Command(
        "destroy",
        "eas_lb.operations.commands.destroy",
        "back up lb_config.xml of the appliances, then cdktf destroy",
        "eas-lb destroy --site site.yaml",
    ),
    Command(
        "verify",
        "eas_lb.operations.verify.cli",
        "check that the deployed VIPs answer as the pools say",
        "eas-lb verify --site site.yaml",
    ),
    Command(
        "plan-review",
        "eas_lb.operations.plan_review.command",
        "turn Terraform plans into a markdown review",
        "eas-lb plan-review cdktf.out/stacks/*/plan.json",
    ),
    Command(
        "drift",
        "eas_lb.operations.drift.command",
        "read-only: what changed on the appliances outside the code since the last deploy",
        "eas-lb drift --site site.yaml",
    ),
    Command(
        "servers",
        "eas_lb.operations.servers.cli",
        "one line per EAS server, --detail per VIP and appliance, read-only; --wait-drained",
        "eas-lb servers --site site.yaml",
    ),
    Command(
        "new-site",
        "eas_lb.operations.new_site.command",
        "write a new site repository that uses this package",
        "eas-lb new-site ../site-lab --lab",
    ),
    Command(
        "adopt",
        "eas_lb.operations.adopt.cli",
        "bring a pair configured by hand under code, read-only",
        "eas-lb adopt --site site.yaml",
    ),
    Command(
        "fetch-pools",
        "eas_lb.operations.commands.fetch_pools",
        "fetch pools.txt from the EAS servers, compare it",
        "eas-lb fetch-pools --site site.yaml",
    ),
    Command(
        "backup",
        "eas_lb.operations.commands.backup_cli",
        "copy lb_config.xml from the appliances over SSH now",
        "eas-lb backup --site site.yaml",
    ),
    Command(
        "restore",
        "eas_lb.operations.commands.restore_cli",
        "put a saved lb_config.xml back and reload the services",
        "eas-lb restore --site site.yaml",
    ),
    Command(
        "migrate-labels",
        "eas_lb.operations.commands.migrate_labels",
        "keep the position labels (EAS_SSS-<n>) of a deployed site: record them, re-create nothing",
        "eas-lb migrate-labels --site site.yaml",
    ),
    Command(
        "eas-servers",
        "eas_lb.operations.demo.stand_in_servers_cli",
        "lab only: stand-in EAS servers for every server of a site's pools (loopback)",
        "eas-lb eas-servers --site site.yaml",
    ),
)

#: `eas-lb GROUP SUB`: groups whose subcommands an older program runs (its argv, before our words).
GROUPS: dict[str, tuple[str, str, dict[str, tuple[list[str], str]]]] = {
    "provider": (
        "lborg_provider.tools.cli",
        "install, lock or document the lborg Terraform provider",
        {
            "install": (["install"], "build a filesystem mirror and a Terraform CLI config"),
            "lock": (["lock"], "write .terraform.lock.hcl entries from the mirror"),
            "docs": (["docs"], "generate the provider's documentation"),
        },
    ),
    "lab": (
        "eas_lb.operations.demo.__main__",
        "simulated appliances, stand-in EAS servers and SSH on loopback for a site",
        {
            "up": (["lab"], "start the site's appliances, EAS stand-ins and (as root) an SSH server"),
            "down": (["down"], "stop what the lab started (its state is kept)"),
        },
    ),
    "demo": (
        "eas_lb.operations.demo.__main__",
        "the demo site on a local simulated HA pair",
        {
            "run": (["run"], "start the demo's appliances, cdktf deploy, verify"),
            "verify": (["verify"], "verify the running demo (--disruptive for the guide's tests)"),
            "down": (["down"], "stop everything the demo started"),
            "server": (["server"], "stop or start a stand-in EAS server (all its ports), by IP"),
            "appliance": (["appliance"], "stop or start a simulated appliance, by name"),
        },
    ),
}
#: `eas-lb doctor`: the provider's read-only first contact with an appliance.
DOCTOR = Command(
    "doctor",
    "lborg_provider.tools.cli",
    "read-only first contact with an appliance: TLS, login, role, counts",
    "eas-lb doctor --endpoint https://192.0.2.10:9443",
)


def _load(module: str) -> ModuleType:
    """The command's module; a setting this installation cannot honour, or a missing module, is one line."""
    try:
        return importlib.import_module(module)
    except SetupError as error:
        raise click.ClickException(str(error)) from None
    except ModuleNotFoundError as error:
        if error.name is None or not module.startswith(error.name):
            raise  # a dependency of the command is missing: that is a real bug, show it
        raise click.ClickException(f"this command is not installed ({module} is missing)") from None


class _Passthrough(click.Command):
    """A command whose program parses its own arguments: every word, `--` included, reaches it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.params["args"] = tuple(args)
        return []


def _bridge(command: Command) -> click.Command:
    """A command whose module still declares argparse options: it parses the rest itself."""

    def callback(args: tuple[str, ...]) -> None:
        module = _load(command.module)
        parser = argparse.ArgumentParser(
            prog=f"eas-lb {command.name}",
            description=command.summary,
            epilog=f"Example: {command.example}",
        )
        parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
        module.add_arguments(parser)
        try:
            options = parser.parse_args(list(args))
        except SystemExit as usage:
            raise SystemExit(EXIT_USAGE if usage.code == 2 else usage.code) from None
        sys.exit(module.run(options))

    return _Passthrough(
        command.name,
        callback=callback,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        help=f"{command.summary}\n\nExample: {command.example}",
        short_help=command.summary,
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


def _delegate(module: str, prefix: list[str], name: str, summary: str, example: str) -> click.Command:
    """A subcommand an older program runs: `prefix` and the rest of the command line go to its main."""

    def callback(args: tuple[str, ...]) -> None:
        main = _load(module).main
        site, rest = _site_first(list(args))
        sys.exit(main([*site, *prefix, *rest]))

    return _Passthrough(
        name,
        callback=callback,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        help=f"{summary}\n\nExample: {example}",
        short_help=summary,
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


def _site_first(args: list[str]) -> tuple[list[str], list[str]]:
    """`--site X` anywhere, moved before the subcommand (where the demo's own parser reads it)."""
    for index, arg in enumerate(args):
        if arg == "--site" and index + 1 < len(args):
            return args[index : index + 2], args[:index] + args[index + 2 :]
        if arg.startswith("--site="):
            return [arg], args[:index] + args[index + 1 :]
    return [], args


def _group(name: str) -> click.Group:
    module, summary, subcommands = GROUPS[name]
    group = click.Group(name, help=f"{summary}\n\nExample: eas-lb {name} {next(iter(subcommands))} --help")
    for sub, (prefix, what) in subcommands.items():
        group.add_command(_delegate(module, prefix, sub, what, f"eas-lb {name} {sub} --help"))
    return group


class _Commands(click.Group):
    """The subcommands, each imported only when it runs or shows its help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [command.name for command in COMMANDS] + [DOCTOR.name, *GROUPS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in GROUPS:
            return _group(cmd_name)
        if cmd_name == DOCTOR.name:
            return _delegate(DOCTOR.module, ["doctor"], DOCTOR.name, DOCTOR.summary, DOCTOR.example)
        for command in COMMANDS:
            if command.name == cmd_name:
                return self._command(command)
        return None

    @staticmethod
    def _command(command: Command) -> click.Command:
        module = _load(command.module)
        declared = getattr(module, "command", None)
        return declared if isinstance(declared, click.Command) else _bridge(command)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list from the table above, without importing one module."""
        rows = [(command.name, command.summary) for command in COMMANDS]
        rows.append((DOCTOR.name, DOCTOR.summary))
        rows += [(name, f"{summary} ({'|'.join(subs)})") for name, (_, summary, subs) in GROUPS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    epilog="Example: eas-lb check --site site.yaml. Shell completion: docs/command-line.md.",
)
@click.version_option(package_version(), prog_name="eas-lb", message="%(prog)s %(version)s")
def eas_lb() -> None:
    """EAS load balancing on Loadbalancer.org appliances, as code."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run `eas-lb`; the exit code, with click's usage error (2) mapped to ours."""
    try:
        eas_lb.main(
            args=list(sys.argv[1:] if argv is None else argv), prog_name="eas-lb", standalone_mode=False
        )
    except click.exceptions.UsageError as error:
        error.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as error:
        error.show()
        return 1
    except SystemExit as done:
        return _code(done.code)
    return 0


def _code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
