"""`eas-lb synth`: write the site's Terraform JSON (every stack) with the framework's CLI.

The same `cdktf synth` (or `cdktn synth`) a site repository runs, with the environment `deploy`
gives it: the site, the checkout's Node.js 22 and provider mirror. Nothing reaches an appliance.
"""

from __future__ import annotations

import subprocess
import sys

import click

from eas_lb.operations.command_line import PATH, Options, declare, site_option
from eas_lb.operations.terraform.cdktf import cdktf_command, cdktf_env, quiet_env


def run(options: Options) -> int:
    try:
        argv = [*cdktf_command(), "synth", "--output", str(options.output)]
    except FileNotFoundError as error:
        print(f"eas-lb synth: {error}", file=sys.stderr)
        return 1
    env = quiet_env(cdktf_env(options.site, {}), sys.stdout.isatty())
    done = subprocess.run(argv, cwd=options.app_dir, env=env, check=False)
    return 0 if done.returncode == 0 else 1


OPTIONS = (
    site_option(),
    click.option(
        "--app-dir", type=PATH, default=".", help="where cdktf.json is (default: current directory)"
    ),
    click.option("--output", type=PATH, default="cdktf.out", help="where the stacks go (default cdktf.out)"),
)
command = declare(
    "synth",
    run,
    OPTIONS,
    summary="write the site's Terraform JSON (cdktf synth) into cdktf.out",
    example="eas-lb synth --site site.yaml",
)
