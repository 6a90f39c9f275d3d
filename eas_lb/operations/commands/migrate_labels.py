"""`eas-lb migrate-labels --site SITE.yaml [--synth-dir DIR]`: keep the labels of a
site deployed when real servers were labelled by position (`EAS_SSS-1`, `EAS_SSS-2`, ...).

Real servers are now known by address (`EAS_SSS-<address>`). The appliance cannot rename a real
server, so a site deployed before would otherwise see every real server deleted and created anew.
This command reads each lb stack's Terraform state (`terraform init` and `terraform state pull`
in the synthesized stack, so any backend works), records every deployed label that is not the
address one in the adoption record beside the site file (`server_labels`, commit it), and says
what to run next: the next synth adds a `moved` block for each, so the next plan renames them in
state only: 0 to add, 0 to change, 0 to destroy, no reload. Reading only: nothing is written to
the appliances or to the state. Running it again adds nothing.

`eas-lb deploy` does the same before it deploys, so a site deployed with that command
upgrades without this step; a plain `cdktf deploy` does not.

Exit status: 0 recorded or nothing to keep, 1 the state could not be read (or no synthesized
stack) or the input is unusable.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eas_lb.guide.adoption import AdoptionRecord, load_record, save_record
from eas_lb.guide.kept_labels import KeptLabelsError, deployed_labels, labels_to_keep, with_kept_labels
from eas_lb.inputs.pools import InputFileError
from eas_lb.inputs.site import Deployment, load_deployment
from eas_lb.operations.command_line import Options
from eas_lb.operations.terraform.state import StateReadError, pull_state

EXIT_STATE = 1
EXIT_INPUT = 1


@dataclass(frozen=True)
class KeptLabels:
    """What `keep_position_labels` recorded: how many labels are new, and one line per pool."""

    added: int
    lines: tuple[str, ...]
    record: Path | None
    #: The Terraform state each lb stack was read from (stack name -> `state pull`'s document):
    #: a deploy also says from it which real servers its apply will drain.
    states: Mapping[str, Any] = field(default_factory=dict)


def keep_position_labels(
    deployment: Deployment,
    synth_dir: Path,
    stacks: Sequence[str] = (),
    terraform: str = "terraform",
    env: Mapping[str, str] | None = None,
) -> KeptLabels:
    """Record the deployed labels that are not address labels, from the lb stacks' state.

    `stacks` limits it to some lb stacks (default: every one). Raises `StateReadError` or
    `KeptLabelsError`; a missing synthesized stack is a `StateReadError` too.
    """
    from eas_lb.synth.stacks.names import lb_stack_name

    site = deployment.site
    record = load_record(deployment.source) or AdoptionRecord(site=site.name)
    lines: list[str] = []
    added = 0
    states: dict[str, Any] = {}
    for plan in deployment.pairs:
        stack = lb_stack_name(site, plan)
        if stacks and stack not in stacks:
            continue
        stack_dir = synth_dir / "stacks" / stack
        if not (stack_dir / "cdk.tf.json").is_file():
            raise StateReadError(f"no synthesized stack {stack} in {synth_dir}; run `cdktf synth` first")
        states[stack] = pull_state(stack_dir, terraform, env)
        deployed = deployed_labels(states[stack])
        kept = labels_to_keep(deployed, plan.pools.pools, record.pairs.get(plan.pair.name))
        record, new = with_kept_labels(record, plan.pair.name, kept)
        added += new
        for (section, name), labels in kept.items():
            servers = ", ".join(f"{ip} as {label}" for ip, label in labels.items())
            lines.append(f"{stack}: {section.value.lower()} pool {name}: {servers}")
    where = save_record(deployment.source, record) if added else None
    return KeptLabels(added, tuple(lines), where, states)


def run(args: Options) -> int:
    try:
        deployment = load_deployment(args.site)
        kept = keep_position_labels(deployment, args.synth_dir, terraform=args.terraform)
    except InputFileError as error:
        print(error, file=sys.stderr)
        return EXIT_INPUT
    except (StateReadError, KeptLabelsError) as error:
        print(f"migrate-labels: {error}", file=sys.stderr)
        return EXIT_STATE
    name = deployment.site.name
    if kept.record is None:
        print(
            f"migrate-labels: site {name}: nothing to keep: every deployed real server already has "
            "its address label or a recorded one. Nothing was written"
        )
        return 0
    print(f"migrate-labels: site {name}: kept {kept.added} real-server labels, recorded in {kept.record}:")
    print("\n".join(f"  {line}" for line in kept.lines))
    print(
        "next: cdktf synth, then plan-review or cdktf deploy: each kept real server moves to its address "
        "in state only (0 to add, 0 to change, 0 to destroy, no reload). Commit the record."
    )
    return 0
