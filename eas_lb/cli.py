"""The `python -m eas_lb` dispatcher: one subcommand per module, imported only when used.

Each command module exposes `add_arguments(parser) -> None` and `run(args) -> int`. Importing
lazily keeps `check` fast (no cdktf, no HTTP client) and lets a command whose module is not
installed fail with a sentence instead of a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from eas_lb import SetupError, package_version


@dataclass(frozen=True)
class Command:
    name: str
    module: str
    summary: str


COMMANDS: tuple[Command, ...] = (
    Command(
        "check", "eas_lb.operations.commands.check", "parse a pools.txt (and a site file) and print its pools"
    ),
    Command(
        "verify", "eas_lb.operations.verify.command", "check that the deployed VIPs answer as the pools say"
    ),
    Command(
        "plan-review", "eas_lb.operations.plan_review.command", "turn Terraform plans into a markdown review"
    ),
    Command(
        "drift",
        "eas_lb.operations.drift.command",
        "read-only: what changed on the appliances outside the code since the last deploy",
    ),
    Command(
        "new-site", "eas_lb.operations.new_site.command", "write a new site repository that uses this package"
    ),
    Command(
        "fetch-pools",
        "eas_lb.operations.commands.fetch_pools",
        "fetch pools.txt from the EAS servers, compare it",
    ),
    Command(
        "deploy",
        "eas_lb.operations.commands.deploy",
        "back up lb_config.xml of the appliances, then cdktf deploy",
    ),
    Command(
        "destroy",
        "eas_lb.operations.commands.destroy",
        "back up lb_config.xml of the appliances, then cdktf destroy",
    ),
    Command(
        "backup", "eas_lb.operations.commands.backup", "copy lb_config.xml from the appliances over SSH now"
    ),
    Command(
        "restore",
        "eas_lb.operations.commands.restore",
        "put a saved lb_config.xml back and reload the services",
    ),
    Command(
        "adopt", "eas_lb.operations.adopt.command", "bring a pair configured by hand under code, read-only"
    ),
    Command(
        "migrate-labels",
        "eas_lb.operations.commands.migrate_labels",
        "keep the position labels (EAS_SSS-<n>) of a deployed site: record them, re-create nothing",
    ),
    Command(
        "servers",
        "eas_lb.operations.servers.command",
        "each EAS server's state per VIP and appliance, read-only; --wait-drained",
    ),
    Command(
        "eas-servers",
        "eas_lb.operations.demo.stand_in_servers",
        "lab only: stand-in EAS servers for every server of a site's pools (loopback)",
    ),
)

EXIT_NOT_INSTALLED = 2


def _load(command: Command) -> ModuleType | None:
    try:
        return importlib.import_module(command.module)
    except ModuleNotFoundError as error:
        if error.name is None or not command.module.startswith(error.name):
            raise  # a dependency of the command is missing: that is a real bug, show it
        return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eas_lb", description="EAS load balancing on Loadbalancer.org appliances, as code."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        subparsers.add_parser(command.name, help=command.summary, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    names = {command.name: command for command in COMMANDS}
    if not arguments or arguments[0] not in names:
        _parser().parse_args(arguments)  # prints usage or help and exits
        return 2
    command = names[arguments[0]]
    try:
        module = _load(command)
    except SetupError as error:
        print(f"python -m eas_lb {command.name}: {error}", file=sys.stderr)
        return EXIT_NOT_INSTALLED
    if module is None:
        print(
            f"python -m eas_lb {command.name}: this command is not installed ({command.module} is missing)",
            file=sys.stderr,
        )
        return EXIT_NOT_INSTALLED
    parser = argparse.ArgumentParser(prog=f"python -m eas_lb {command.name}", description=command.summary)
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    module.add_arguments(parser)
    result: int = module.run(parser.parse_args(arguments[1:]))
    return result
