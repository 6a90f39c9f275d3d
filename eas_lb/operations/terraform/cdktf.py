"""Run the cdktf (or cdktn) CLI for a site: synthesize every stack, deploy the appliance stacks.

The CLI is the chosen framework's (`eas_lb.synth.framework_choice`) unless a caller names one: a
site moving from cdktf to cdktn is run with both, one after the other. Both CLIs run on the
Node.js 22 `make node` installs beside cdktn's (`cdktn-cli/node_modules/.bin`), first on their
PATH; the system's Node.js stays as it is.

VM stacks need a hypervisor that is not reachable from a laptop or CI: they are synthesized
(so a mistake in them still fails) and skipped for deploy with one clear line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from eas_lb.synth.framework_choice import (
    CLI_BIN,
    SETTING,
    Framework,
    chosen,
    cli_bin_dir,
    use_supported_node,
)
from eas_lb.synth.framework_choice import PROJECT_ROOT as PROJECT_ROOT  # the demo and tests use it here
from lborg_support.progress import say

CLI: Framework = chosen()


def cdktf_command(cli: Framework = CLI) -> list[str]:
    folder = cli_bin_dir(cli)
    if folder is None:
        raise FileNotFoundError(f"the {cli} CLI is not installed: run `make setup` (npm ci installs it)")
    return [str(folder / cli)]


def cdktf_env(site: Path, extra: dict[str, str], cli: Framework = CLI) -> dict[str, str]:
    """The CLI's environment: the site, the framework its app runs on, the provider mirror."""
    env = {**os.environ, **extra}
    env["EAS_SITE"] = str(site.resolve())
    env[SETTING] = cli
    env.setdefault("CHECKPOINT_DISABLE", "1")
    # At a terminal the cdktf CLI asks npm for its newest version (`npm view`): a lookup off the
    # machine that no command of ours may make.
    env.setdefault("DISABLE_VERSION_CHECK", "1")
    # cdktf shares one provider plugin cache per user (~/.terraform.d/plugin-cache); every build of
    # the lborg provider is version 0.1.0 with its own checksum, so a copy cached from another
    # checkout, site or mirror fails `terraform init` against this stack's lock entry.
    env.setdefault("CDKTF_DISABLE_PLUGIN_CACHE_ENV", "1")
    paths = [str(Path(sys.executable).parent), env.get("PATH", "")]
    if CLI_BIN[cli].is_dir():
        paths.insert(1, str(CLI_BIN[cli]))
    env["PATH"] = os.pathsep.join(paths)
    use_supported_node(env)  # both CLIs and the app's jsii runtime on the checkout's Node.js 22
    mirror_config = PROJECT_ROOT / "build" / "terraformrc"
    if mirror_config.exists() and not _installs_lborg(env.get("TF_CLI_CONFIG_FILE")):
        env["TF_CLI_CONFIG_FILE"] = str(mirror_config)
    return env


def _installs_lborg(cli_config: str | None) -> bool:
    """Keep a user's own CLI config when it already knows where our provider comes from."""
    if not cli_config:
        return False
    try:
        return "local/lborg/lborg" in Path(cli_config).read_text()
    except OSError:
        return False


def quiet_env(env: dict[str, str], terminal: bool) -> dict[str, str]:
    """cdktf's environment for output that is not a terminal: its CI mode, and no colours.

    cdktf draws its progress with ink, which redraws a spinner frame by frame; in a log every frame
    stays, as escape codes (hundreds of lines for one deploy). ink renders only the final output
    when `CI` is set, and chalk adds no colour with `FORCE_COLOR=0`; cdktf's `--no-color` (added
    to the command) keeps Terraform's own output plain. A user's own `CI` is kept.
    """
    return env if terminal else {"CI": "1", "FORCE_COLOR": "0", **env}


def run_cdktf(args: Sequence[str], env: dict[str, str], output: Path, cli: Framework = CLI) -> None:
    argv = [*cdktf_command(cli), *args, "--output", str(output)]
    say(f"{cli} {' '.join(args)}")
    result = subprocess.run(argv, cwd=PROJECT_ROOT, env=quiet_env(env, sys.stdout.isatty()), check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{cli} {args[0]} failed with exit code {result.returncode}")


def lock_provider(output: Path, stacks: Sequence[str]) -> None:
    """Complete lock entries from the mirror, so cdktf needs no `--skip-provider-lock`."""
    from lborg_provider.tools.lock import lock_directories

    lock_directories([output / "stacks" / s for s in stacks], PROJECT_ROOT / "build" / "terraform-mirror")


def synthesized_stacks(output: Path) -> list[str]:
    manifest = json.loads((output / "manifest.json").read_text())
    return sorted(manifest["stacks"])


def deployable(stacks: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split stacks into appliance stacks (deployed here) and VM stacks (synthesized only)."""
    vms = [s for s in stacks if s.endswith("-vms")]
    return [s for s in stacks if s not in vms], vms
