"""`eas-lb destroy --site SITE.yaml [--stack NAME]... [--no-backup] [-- CDKTF DESTROY ARGS]`.

`cdktf destroy`, preceded by the same backup as `deploy`: lb_config.xml from every appliance the
stacks configure (the `-lb` stacks: both nodes of their pair), with the site's `backup:` section,
so that `restore` can bring the configuration back. If any backup fails, nothing is destroyed.
`--no-backup` is the explicit way to destroy without copies. Without `--stack`, every `-lb` stack of
the site is destroyed. Arguments after `--` go to `cdktf destroy` unchanged (`--auto-approve`,
`--skip-synth`, `--output DIR`, ...); without `--auto-approve` cdktf shows the plan and asks.

Exit status (docs/command-line.md): 0 destroyed; 1 failed: unusable input, a backup failed or an
appliance does not answer (nothing destroyed), or cdktf failed; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

from eas_lb.operations.command_line import Options
from eas_lb.operations.commands.deploy import run_cdktf_verb


def run(args: Options) -> int:
    return run_cdktf_verb(args, "destroy")
