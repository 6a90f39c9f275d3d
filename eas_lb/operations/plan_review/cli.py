"""The declaration of `eas-lb plan-review`: its options, help and example; `run` is in `command`.

Apart from the command module so that `eas-lb plan-review --help` loads neither cdktf nor the plan
models.
"""

from __future__ import annotations

from pathlib import Path

import click

from eas_lb.operations.command_line import PATH, declare, details_of, repeatable
from eas_lb.operations.plans.saved_plans import DEFAULT_PLANS_DIR

OPTIONS = (
    repeatable(
        "--plan",
        metavar="[STACK=]FILE",
        help="a JSON plan from 'terraform show -json plan.out' (repeatable); without it every stack in "
        "--synth-dir is planned with terraform",
    ),
    click.option("--synth-dir", type=PATH, default=Path("cdktf.out"), show_default=True, help="cdktf output"),
    repeatable("--stack", help="plan only this stack (repeatable)"),
    click.option("--terraform", default="terraform", show_default=True, help="terraform executable"),
    click.option("--out", type=PATH, help="write the markdown here instead of standard output"),
    click.option(
        "--json", is_flag=True, help="print the review as JSON on standard output (the markdown: --out)"
    ),
    repeatable(
        "--fail-on",
        metavar="replace|destroy|drift",
        help="exit 2 when the plans replace or destroy resources or found drift (repeatable or comma list)",
    ),
    # Option rows alike servers/cli.py's in shape; each command declares its own flags.
    click.option(
        "--max-chars",
        type=int,
        help="shorten the review to fit, raw section first (a GitHub comment holds 65536 characters)",
    ),
    click.option(
        "--full-out", type=PATH, help="also write the whole review here, without the --max-chars limit"
    ),
    click.option(
        "--plans-dir",
        type=PATH,
        default=DEFAULT_PLANS_DIR,
        show_default=True,
        help="keep each reviewed stack's saved plan here, with manifest.json, for `deploy --reviewed`",
    ),
)
command = declare(
    "plan-review",
    "eas_lb.operations.plan_review.command:run",
    OPTIONS,
    summary="turn Terraform plans into a markdown review",
    example="eas-lb plan-review --out review.md --fail-on replace,destroy --json",
    details="Summarize the Terraform plans of every stack as markdown for a pull request: changes per "
    "appliance and pool, risk flags, reloads and drift.\n\n"
    + (details_of("eas_lb.operations.plan_review.command") or ""),
)
