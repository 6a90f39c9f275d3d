"""The provider's commands: install it for Terraform, lock it, generate its documentation, check an
appliance read-only before the first apply (`doctor`), and `serve` (what Terraform starts).

`eas-lb provider install|lock|docs` and `eas-lb doctor` are these commands; `python -m
lborg_provider` (`program`) runs them too, for one more release. Each one's work is imported only
when it runs, so `--help` loads neither the HTTP client nor Terraform's plugin library.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from lborg_provider import PROVIDER_SOURCE, PROVIDER_VERSION
from lborg_support.command_line import Options, declare, group, run_program

VERSION = f"{PROVIDER_SOURCE} {PROVIDER_VERSION}"
PATH = click.Path(path_type=Path)


def run_install(args: Options) -> int:
    from lborg_provider.tools.install import install

    installed = install(args.dir, args.cli_config)
    print(f"provider mirror: {installed.mirror_dir}")
    print("use it with: export TF_CLI_CONFIG_FILE=<the path below>")
    print(installed.cli_config)
    return 0


def run_lock(args: Options) -> int:
    from lborg_provider.tools.lock import LockError, default_mirror, lock_directories

    try:
        mirror = args.dir or default_mirror()
        for directory in lock_directories(args.directories, mirror):
            print(f"locked {directory}")
    except LockError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def run_docs(args: Options) -> int:
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


def run_doctor(args: Options) -> int:
    from lborg_provider.tools.doctor import main as doctor_main

    return doctor_main(args.endpoint, args.ca_file, args.capture, args.timeout, as_json=args.json)


def run_serve(_args: Options) -> int:
    from lborg_provider.main import main as serve

    return serve([sys.argv[0]])


install = declare(
    "install",
    run_install,
    (
        click.option(
            "--dir",
            type=PATH,
            default=Path("build/terraform-mirror"),
            show_default=True,
            help="mirror directory",
        ),
        click.option(
            "--cli-config",
            type=PATH,
            default=Path("build/terraformrc"),
            show_default=True,
            help="CLI config to write",
        ),
    ),
    summary="build a filesystem mirror and a Terraform CLI config; prints the config's path last",
    example="eas-lb provider install && export TF_CLI_CONFIG_FILE=$PWD/build/terraformrc",
    version=VERSION,
)
# Declared like install above and docs below (options, summary, example, version); its own command.
lock = declare(
    "lock",
    run_lock,
    (
        click.argument("directories", type=PATH, nargs=-1, required=True),
        click.option(
            "--dir",
            type=PATH,
            help="mirror directory (default: the one TF_CLI_CONFIG_FILE names, else build/terraform-mirror)",
        ),
    ),
    summary="write .terraform.lock.hcl entries from the mirror (e.g. for cdktf.out/stacks/*)",
    example="eas-lb provider lock cdktf.out/stacks/*",
    version=VERSION,
)
# Declared like install and lock above (options, summary, example, version); its own command.
docs = declare(
    "docs",
    run_docs,
    (
        click.option("--out", type=PATH, default=Path("docs"), show_default=True, help="documentation root"),
        click.option("--check", is_flag=True, help="only report files that differ; exit 1 if any"),
    ),
    summary="generate docs/index.md, docs/resources and docs/data-sources",
    example="eas-lb provider docs --out lborg_provider/docs --check",
    version=VERSION,
)
doctor = declare(
    "doctor",
    run_doctor,
    (
        click.option("--endpoint", help="https://HOST:9443 (default: $LBORG_ENDPOINT)"),
        click.option(
            "--ca-file", help="CA that signed the appliance's certificate (default: $LBORG_CA_FILE)"
        ),
        click.option(
            "--capture",
            type=PATH,
            help="write every response, credentials and addresses redacted, to this file",
        ),
        click.option("--timeout", type=float, help="seconds per request (default 30)"),
        click.option("--json", is_flag=True, help="print the checks as one JSON object"),
    ),
    summary="read-only first contact with an appliance: TLS, login, role, counts, what is not read",
    example="eas-lb doctor --endpoint https://192.0.2.10:9443 --ca-file ca.pem",
    details="Credentials come from LBORG_USERNAME, LBORG_PASSWORD (or _FILE) and LBORG_API_KEY (or "
    "_FILE). Sends only list and nodestatus. Exit 0: the provider reads this appliance correctly; "
    "1: it would not (or cannot connect); 3: usage error.",
    version=VERSION,
)
serve = declare(
    "serve",
    run_serve,
    (),
    summary="run the provider (what Terraform does through the mirror)",
    example="python -m lborg_provider serve",
    version=VERSION,
)
#: `eas-lb provider`: the commands that install and document the provider.
provider = group(
    "provider",
    (install, lock, docs),
    summary="install, lock or document the lborg Terraform provider",
    example="eas-lb provider install",
    version=VERSION,
)
#: `python -m lborg_provider`: every command, `serve` included.
program = group(
    "python -m lborg_provider",
    (install, lock, docs, doctor, serve),
    summary="the lborg Terraform provider's tools",
    example="python -m lborg_provider serve",
    version=VERSION,
)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m lborg_provider ...`: the exit code (docs/command-line.md)."""
    return run_program(program, argv, "python -m lborg_provider")
