"""`python -m lborg_provider`: install the provider for Terraform, lock it, generate its documentation,
or check an appliance read-only before the first apply (`doctor`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from lborg_provider import PROVIDER_SOURCE, PROVIDER_VERSION


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


def build_parser() -> argparse.ArgumentParser:
    """Every command and its options; `--version` answers on each of them."""
    parser = argparse.ArgumentParser(prog="python -m lborg_provider", description=__doc__)
    version = f"%(prog)s {PROVIDER_SOURCE} {PROVIDER_VERSION}"
    parser.add_argument("--version", action="version", version=version)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        sub.add_argument("--version", action="version", version=version)
        return sub

    install = command(
        "install", "build a filesystem mirror and a Terraform CLI config; prints the config's path last"
    )
    install.add_argument("--dir", type=Path, default=Path("build/terraform-mirror"), help="mirror directory")
    install.add_argument(
        "--cli-config", type=Path, default=Path("build/terraformrc"), help="CLI config to write"
    )
    lock = command("lock", "write .terraform.lock.hcl entries from the mirror (e.g. for cdktf.out/stacks/*)")
    lock.add_argument("directories", type=Path, nargs="+", help="Terraform working directories")
    lock.add_argument(
        "--dir",
        type=Path,
        help="mirror directory (default: the one TF_CLI_CONFIG_FILE names, else build/terraform-mirror)",
    )
    docs = command("docs", "generate docs/index.md, docs/resources and docs/data-sources")
    docs.add_argument("--out", type=Path, default=Path("docs"), help="documentation root")
    docs.add_argument("--check", action="store_true", help="only report files that differ; exit 1 if any")
    add_doctor_arguments(
        command(
            "doctor", "read-only first contact with an appliance: TLS, login, role, counts, what is not read"
        )
    )
    command("serve", "run the provider (what Terraform does through the mirror)")
    return parser


def add_doctor_arguments(doctor: argparse.ArgumentParser) -> None:
    doctor.epilog = (
        "Credentials come from LBORG_USERNAME, LBORG_PASSWORD (or _FILE) and LBORG_API_KEY (or _FILE). "
        "Sends only list and nodestatus. Exit 0: the provider reads this appliance correctly; 1: it "
        "would not (or cannot connect); 2: usage error."
    )
    doctor.add_argument("--endpoint", help="https://HOST:9443 (default: $LBORG_ENDPOINT)")
    doctor.add_argument(
        "--ca-file", help="CA that signed the appliance's certificate (default: $LBORG_CA_FILE)"
    )
    doctor.add_argument(
        "--capture", type=Path, help="write every response, credentials and addresses redacted, to this file"
    )
    doctor.add_argument("--timeout", type=float, default=None, help="seconds per request (default 30)")


def run_install(args: argparse.Namespace) -> int:
    from lborg_provider.tools.install import install

    installed = install(args.dir, args.cli_config)
    print(f"provider mirror: {installed.mirror_dir}")
    print("use it with: export TF_CLI_CONFIG_FILE=<the path below>")
    print(installed.cli_config)
    return 0


def run_lock(args: argparse.Namespace) -> int:
    from lborg_provider.tools.lock import LockError, default_mirror, lock_directories

    try:
        mirror = args.dir or default_mirror()
        for directory in lock_directories(args.directories, mirror):
            print(f"locked {directory}")
    except LockError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def run_docs(args: argparse.Namespace) -> int:
    from lborg_provider.tools.docs import render_all, stale_files, write_all

    if args.check:
        stale = stale_files(args.out, render_all())
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        if stale:
            print("regenerate with: eas-lb provider docs --out docs", file=sys.stderr)
        return 1 if stale else 0
    for path in write_all(args.out, render_all()):
        print(path)
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    from lborg_provider.tools.doctor import main as doctor_main

    return doctor_main(args.endpoint, args.ca_file, args.capture, args.timeout)


def run_serve(args: argparse.Namespace) -> int:
    from lborg_provider.main import main as serve

    return serve([sys.argv[0]])


#: What each command runs; every one returns the exit status.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "install": run_install,
    "lock": run_lock,
    "docs": run_docs,
    "doctor": run_doctor,
    "serve": run_serve,
}
