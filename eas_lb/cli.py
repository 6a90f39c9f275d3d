"""`eas-lb` (and `python -m eas_lb`): one click group, one subcommand per operator task.

Subcommand modules are imported only when their command runs or shows its help: `eas-lb --help`
lists the table below without loading any of them (no cdktf, no HTTP client). Every command is
declared one way (`eas_lb.operations.command_line.declare`, the project's `lborg_support`
declaration): a module's `command` (or, for the provider's and the lab's, the attribute the table
names) is a click command whose module loads nothing heavy; its `run` is imported when it runs.

Exit codes, the same in every command (docs/command-line.md): 0 done or clean, 1 failed or could
not tell, 2 changes or drift found, 3 a usage error (click's own code for one is 2: it is mapped).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import click

from eas_lb import SetupError, package_version
from lborg_support.command_line import EXIT_USAGE, run_program

__all__ = ["COMMANDS", "EXIT_USAGE", "Command", "eas_lb", "main"]


@dataclass(frozen=True)
class Command:
    """`eas-lb NAME`: the module that declares it, its attribute there, the line `eas-lb --help` shows."""

    name: str
    module: str
    summary: str
    attribute: str = "command"


COMMANDS: tuple[Command, ...] = (
    Command(
        "check",
        "eas_lb.operations.commands.check_cli",
        "parse a pools.txt (and a site file) and print its pools",
    ),
    Command(
        "synth",
        "eas_lb.operations.commands.synth",
        "write the site's Terraform JSON (cdktf synth) into cdktf.out",
    ),
    Command(
        "deploy",
        "eas_lb.operations.commands.deploy_cli",
        "back up lb_config.xml of the appliances, then cdktf deploy",
    ),
    Command(
        "destroy",
        "eas_lb.operations.commands.destroy_cli",
        "back up lb_config.xml of the appliances, then cdktf destroy",
    ),
    Command(
        "verify",
        "eas_lb.operations.verify.cli",
        "check that the deployed VIPs answer as the pools say",
    ),
    Command(
        "plan-review",
        "eas_lb.operations.plan_review.cli",
        "turn Terraform plans into a markdown review",
    ),
    Command(
        "drift",
        "eas_lb.operations.drift.cli",
        "read-only: what changed on the appliances outside the code since the last deploy",
    ),
    Command(
        "servers",
        "eas_lb.operations.servers.cli",
        "one line per EAS server, --detail per VIP and appliance, read-only; --wait-drained",
    ),
    Command(
        "new-site",
        "eas_lb.operations.new_site.cli",
        "write a new site repository that uses this package",
    ),
    Command(
        "adopt",
        "eas_lb.operations.adopt.cli",
        "bring a pair configured by hand under code, read-only",
    ),
    Command(
        "fetch-pools",
        "eas_lb.operations.commands.fetch_pools_cli",
        "fetch pools.txt from the EAS servers, compare it",
    ),
    Command(
        "backup",
        "eas_lb.operations.commands.backup_cli",
        "copy lb_config.xml from the appliances over SSH now",
    ),
    Command(
        "restore",
        "eas_lb.operations.commands.restore_cli",
        "put a saved lb_config.xml back and reload the services",
    ),
    Command(
        "migrate-labels",
        "eas_lb.operations.commands.migrate_labels_cli",
        "keep the position labels (EAS_SSS-<n>) of a deployed site: record them, re-create nothing",
    ),
    Command(
        "eas-servers",
        "eas_lb.operations.demo.stand_in_servers_cli",
        "lab only: stand-in EAS servers for every server of a site's pools (loopback)",
    ),
    # declared by the provider (it cannot import eas_lb) and by the lab
    Command(
        "doctor",
        "lborg_provider.tools.cli",
        "read-only first contact with an appliance: TLS, login, role, counts",
        "doctor",
    ),
    Command(
        "provider",
        "lborg_provider.tools.cli",
        "install, lock or document the lborg Terraform provider (install|lock|docs)",
        "provider",
    ),
    Command(
        "lab",
        "eas_lb.operations.demo.cli",
        "simulated appliances, stand-in EAS servers and SSH on loopback for a site (up|down|status)",
        "lab",
    ),
    Command(
        "demo",
        "eas_lb.operations.demo.cli",
        "the demo site on a local simulated HA pair (run|verify|down|server|appliance)",
        "demo",
    ),
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


class _Commands(click.Group):
    """The subcommands, each imported only when it runs or shows its help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [command.name for command in COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for command in COMMANDS:
            if command.name == cmd_name:
                declared = getattr(_load(command.module), command.attribute)
                assert isinstance(declared, click.Command), command
                return declared
        return None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list from the table above, without importing one module."""
        with formatter.section("Commands"):
            formatter.write_dl([(command.name, command.summary) for command in COMMANDS])


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    epilog="Example: eas-lb check --site site.yaml. Shell completion: docs/command-line.md.",
)
@click.version_option(package_version(), prog_name="eas-lb", message="%(prog)s %(version)s")
def eas_lb() -> None:
    """EAS load balancing on Loadbalancer.org appliances, as code."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run `eas-lb`; the exit code, with click's usage error (2) mapped to ours (3).

    A set-up the user can fix (an `EAS_LB_FRAMEWORK` naming no framework, found when the command's
    module loads) is one line and exit 1, never a traceback."""
    try:
        return run_program(eas_lb, argv, "eas-lb")
    except SetupError as error:
        print(f"eas-lb: {error}", file=sys.stderr)
        return 1


def command_paths() -> list[list[str]]:
    """The words of every command, a group's subcommands included (`["lab", "up"]`), for the help
    benchmark and tests; loads every declaration (not what the commands run)."""
    context = click.Context(eas_lb)
    paths: list[list[str]] = []
    for command in COMMANDS:
        paths.append([command.name])
        declared = eas_lb.get_command(context, command.name)
        if isinstance(declared, click.Group):
            paths += [[command.name, sub] for sub in declared.list_commands(context)]
    return paths
