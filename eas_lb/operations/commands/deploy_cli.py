"""The declaration of `eas-lb deploy`, and the options `destroy` shares; `run` is in `deploy`.

Apart from that module so that `eas-lb deploy --help` loads neither cdktf nor the site models.
"""

from __future__ import annotations

from pathlib import Path

import click

from eas_lb.operations.command_line import (
    PATH,
    Decorator,
    declare,
    details_of,
    passed_on,
    repeatable,
    site_option,
)
from eas_lb.operations.plans.saved_plans import DEFAULT_PLANS_DIR


def cdktf_options(verb: str) -> tuple[Decorator, ...]:
    """The options `deploy` and `destroy` share: they differ only in the cdktf command they end with."""
    return (
        site_option(),
        repeatable("--stack", metavar="NAME", help="repeatable"),
        click.option(
            "--no-backup", is_flag=True, help=f"{verb} without copying lb_config.xml first (not advised)"
        ),
        click.option(
            "--app-dir",
            type=PATH,
            default=Path.cwd,
            help="where cdktf.json is (default: current directory)",
        ),
        passed_on("cdktf_args", metavar=f"[-- CDKTF_{verb.upper()}_ARGS]"),
    )


OPTIONS = (
    *cdktf_options("deploy"),
    click.option(
        "--reviewed",
        is_flag=True,
        help="apply exactly the plans `plan-review` saved, and refuse (changing nothing) when a stack has "
        "none, or its configuration or state changed since the review; exit 0 applied, 1 refused or failed",
    ),
    click.option(
        "--plans-dir",
        type=PATH,
        default=DEFAULT_PLANS_DIR,
        show_default=True,
        help="with --reviewed: where plan-review saved the plans",
    ),
)
command = declare(
    "deploy",
    "eas_lb.operations.commands.deploy:run",
    OPTIONS,
    summary="back up lb_config.xml of the appliances, then cdktf deploy",
    example="eas-lb deploy --site site.yaml -- --auto-approve",
    details=details_of("eas_lb.operations.commands.deploy"),
)
