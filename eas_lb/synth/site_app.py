"""The cdktf app of a site: what a site repository's few-line `main.py` runs.

`run_site_app()` synthesizes every stack of the site file (`EAS_SITE`, else the default the caller
passes), then does the two chores a new user would otherwise forget:
- it writes `cdktf.out/eas-site.json`, the digests of the site file and its pools files, so
  `plan-review` can refuse to review a synth older than those files;
- it writes the `.terraform.lock.hcl` entry for the lborg provider into every stack that lacks it,
  from the mirror `TF_CLI_CONFIG_FILE` names; when that is impossible it says which command fixes it.

Without a CLI config whose filesystem mirror holds the lborg provider (a forgotten `. ./env.sh`),
Terraform would ask the network for `local/lborg/lborg`, fail with `could not connect to local`
and send a DNS query off the machine on the way. The app stops before that, whatever the lock
files say: `cdktf synth` and `cdktf deploy` run the app first and stop when it fails, so no
Terraform command starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from eas_lb import SetupError
from eas_lb.guide.capacity import site_capacity
from eas_lb.inputs.site import SiteFileError, load_deployment
from eas_lb.synth.stamp import write_stamp

SITE_ENV = "EAS_SITE"
#: Set to 1 to synthesize without writing lock entries (a synth for reading, not for deploying).
NO_LOCK_ENV = "EAS_LB_NO_LOCK"


def lock_stacks(outdir: Path, fallback_mirror: Path | None = None) -> str | None:
    """Lock the provider in every synthesized stack that uses it; a message when it could not.

    Stacks already locked are locked again: `terraform providers lock` adds the mirror's current
    hash to the entry, so a mirror rebuilt for another Python or checkout keeps deploys working.
    Without a configured mirror it is a message even when every stack is locked: a lock entry
    does not tell Terraform where the provider is, only the CLI config does.
    """
    from lborg_provider import PROVIDER_SOURCE
    from lborg_provider.tools.cli_config import MirrorNotFound, configured_mirror
    from lborg_provider.tools.lock import LockError, lock_directories

    stacks = [path for path in sorted((outdir / "stacks").glob("*")) if _uses(path, PROVIDER_SOURCE)]
    if not stacks:
        return None
    try:
        mirror = configured_mirror(os.environ)
    except MirrorNotFound as error:
        return _no_mirror_message(error, fallback_mirror)
    try:
        lock_directories(stacks, mirror)
    except LockError as error:
        names = ", ".join(path.name for path in stacks)
        return (
            f"cannot write the lock entry for {PROVIDER_SOURCE} (stacks {names}), without which "
            f"`cdktf deploy` fails with 'could not connect to local': {error}; then synthesize again, "
            f"or lock by hand: eas-lb provider lock {outdir}/stacks/*. "
            f"To synthesize without lock entries, set {NO_LOCK_ENV}=1."
        )
    return None


def _no_mirror_message(error: Exception, fallback_mirror: Path | None) -> str:
    """Why the app stops, and the one command that fixes it where the user stands.

    A site repository has `env.sh` (it exports `TF_CLI_CONFIG_FILE`); a checkout that ran the
    install has its CLI config beside the fallback mirror; anywhere else the install hint of the
    error says what to run.
    """
    fix = ""
    if Path("env.sh").is_file():
        fix = "run `. ./env.sh` in this directory, then run the command again"
    elif fallback_mirror is not None and (fallback_mirror.parent / "terraformrc").is_file():
        config = fallback_mirror.parent / "terraformrc"
        fix = f"export TF_CLI_CONFIG_FILE={config}, then run the command again"
    return (
        f"stopped before Terraform runs: {error}"
        + (f"\nto fix it: {fix}" if fix else "")
        + "\n(without the mirror Terraform would look for the provider on the network and fail with "
        f"'could not connect to local'; to synthesize for reading only, set {NO_LOCK_ENV}=1)"
    )


def _uses(stack: Path, source: str) -> bool:
    config = stack / "cdk.tf.json"
    return config.is_file() and source in config.read_text(encoding="utf-8")


def run_site_app(default_site: Path | None = None, *, fallback_mirror: Path | None = None) -> int:
    """Synthesize the site's stacks; 1 with every problem of the site printed when it is invalid.

    `fallback_mirror` (this repository's own app passes `build/terraform-mirror`) only shapes the
    message when `TF_CLI_CONFIG_FILE` names no mirror: the CLI config beside it is the one to export.
    """
    try:
        from eas_lb.synth.framework import App
        from eas_lb.synth.stacks.app import build_stacks
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1

    raw = os.environ.get(SITE_ENV) or (str(default_site) if default_site else "")
    if not raw:
        print(f"no site file: set {SITE_ENV}=path/to/site.yaml", file=sys.stderr)
        return 1
    path = Path(raw)
    try:
        deployment = load_deployment(path)
        site_capacity(deployment)  # a pair the guide cannot size, located in the site file
    except SiteFileError as error:
        print(error, file=sys.stderr)
        return 1
    app = App()
    try:
        build_stacks(app, deployment)
    except ValueError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    app.synth()
    outdir = Path(app.outdir)
    write_stamp(outdir, deployment)
    message = None if os.environ.get(NO_LOCK_ENV) == "1" else lock_stacks(outdir, fallback_mirror)
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0
