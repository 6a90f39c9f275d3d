"""``eas-lb plan-review``: plans in, markdown review out, exit code for CI gates.

Exit codes: 0 review written; 1 a plan could not be made or read (message on stderr; a stack
Terraform could not plan is also named in the review, which still covers the others);
2 a ``--fail-on`` gate tripped (the review is still written, so the comment explains why).
``--json`` prints the review as one JSON object instead of the markdown (``--out`` still gets the
markdown), with the gates that tripped.

The saved plan of every stack reviewed is kept in ``--plans-dir`` with a manifest of digests,
which the review's last section repeats, for ``deploy --reviewed`` (``saved_plans``). The previous
review (``--out``, ``--full-out``, the saved plans) is removed first, so a refused or failed
review never leaves an older one that reads as current.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from eas_lb.operations.command_line import Options
from eas_lb.operations.plan_review.render import render
from eas_lb.operations.plan_review.review import Gate, Unplanned, build_review, gate_failures
from eas_lb.operations.plan_review.review_json import render_json
from eas_lb.operations.plans import saved_plans
from eas_lb.operations.plans.changes import StackPlan, stack_plan
from eas_lb.operations.plans.plan_json import PlanFormatError, load_plan, parse_plan
from eas_lb.operations.plans.planner import PLAN_FILE, PlanningError, discover_stacks, plan_stack
from eas_lb.synth.stamp import changed_inputs, eas_server_titles, synthesized_site_file

EXIT_ERROR = 1
#: docs/command-line.md: 2, changes found (those a --fail-on gate refuses).
EXIT_GATE = 2
_GENERIC_STEMS = frozenset({"plan", "tfplan", "plan.json", "show"})


def _gates(values: list[str]) -> set[Gate]:
    """``--fail-on replace --fail-on destroy,drift`` → the gates; unknown words are an error."""
    gates = set()
    for value in values:
        for word in filter(None, (part.strip() for part in value.split(","))):
            try:
                gates.add(Gate(word))
            except ValueError:
                choices = ", ".join(gate.value for gate in Gate)
                raise ValueError(f"--fail-on: unknown '{word}' (expected {choices})") from None
    return gates


def stack_name_for(argument: str) -> tuple[str, Path]:
    """``NAME=FILE`` or ``FILE``; a generic file name (plan.json) takes its directory's name."""
    name, separator, file = argument.partition("=")
    if separator and name and "/" not in name:
        return name, Path(file)
    path = Path(argument)
    stem = path.name.removesuffix(".json")
    if stem in _GENERIC_STEMS and path.parent.name:
        return path.resolve().parent.name, path
    return stem, path


def _from_files(args: Options) -> list[StackPlan]:
    if args.stack:
        raise PlanningError("--stack selects synthesized stacks to plan; it cannot be combined with --plan")
    stacks = []
    for argument in args.plan:
        name, path = stack_name_for(argument)
        stacks.append(stack_plan(name, load_plan(path)))
    names = [stack.name for stack in stacks]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise PlanningError(
            f"two plans for stack(s) {', '.join(duplicates)}; name them with --plan NAME=FILE"
        )
    return stacks


def _by_planning(
    args: Options,
) -> tuple[list[StackPlan], list[Unplanned], saved_plans.Manifest]:
    """Plan every stack and keep its saved plan; one that fails is reported in the review (and
    has no saved plan), and the others still are."""
    changed = changed_inputs(args.synth_dir)
    if changed:
        raise PlanningError(
            f"{', '.join(changed)} changed since the last synth into {args.synth_dir}, so its plans "
            "would review the old configuration; run `cdktf synth` again (with the same EAS_SITE), "
            "then plan-review"
        )
    synthesized = synthesized_site_file(args.synth_dir)
    wanted = os.environ.get("EAS_SITE")
    if synthesized is not None and wanted and Path(wanted).resolve() != synthesized:
        raise PlanningError(
            f"{args.synth_dir} was synthesized from {synthesized}, but EAS_SITE is {wanted}; run "
            "`cdktf synth` again with this EAS_SITE, then plan-review"
        )
    planned, unplanned, kept = [], [], []
    for stack in discover_stacks(args.synth_dir, args.stack):
        print(f"planning stack {stack.name} ...", file=sys.stderr)
        try:
            document = plan_stack(stack, terraform=args.terraform)
        except PlanningError as error:
            unplanned.append(Unplanned(stack.name, str(error)))
            continue
        planned.append(stack_plan(stack.name, parse_plan(document, source=f"stack {stack.name}")))
        kept.append(
            saved_plans.keep_plan(
                args.plans_dir, stack.name, stack.path / PLAN_FILE, stack.path / "cdk.tf.json"
            )
        )
    return planned, unplanned, saved_plans.write_manifest(args.plans_dir, kept)


def _forget_previous(args: Options) -> list[str]:
    """Remove what an earlier review left: its markdown and, when planning, its saved plans; what
    was removed.

    Whatever happens next (a refusal, a failed plan, Ctrl-C), nobody reads an older review as
    this one's, and `deploy --reviewed` finds no older plans to apply."""
    removed = []
    for path in (args.out, args.full_out):
        if path is not None and path.is_file():
            path.unlink()
            removed.append(str(path))
    if not args.plan and saved_plans.clear(args.plans_dir):
        removed.append(f"the saved plans in {args.plans_dir}")
    return removed


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename:
        return f"cannot write {error.filename}: {error.strerror}"
    return str(error)


def run(args: Options) -> int:
    """Build the review, write it, and apply the CI gates."""
    removed: list[str] = []
    try:
        removed = _forget_previous(args)
        gates = _gates(args.fail_on)
        manifest = None
        unplanned: list[Unplanned] = []
        if args.plan:
            planned = _from_files(args)
        else:
            planned, unplanned, manifest = _by_planning(args)
        review = build_review(planned, unplanned, eas_server_titles(args.synth_dir))
    except (ValueError, PlanFormatError, PlanningError, OSError) as error:
        print(f"plan-review: {_reason(error)}", file=sys.stderr)
        if removed:
            print(
                f"plan-review: removed the previous review ({', '.join(removed)}): it no longer shows "
                "what a deploy would do",
                file=sys.stderr,
            )
        return EXIT_ERROR
    section = saved_plans.review_section(manifest, args.plans_dir) if manifest and manifest.stacks else ""
    limit = None if args.max_chars is None else max(args.max_chars - len(section), 0)
    text = render(review, max_chars=limit) + section
    outputs = [(args.out, text)] if args.out else []
    if args.full_out:
        outputs.append((args.full_out, render(review) + section))
    for path, content in outputs:
        try:
            path.write_text(content, encoding="utf-8")
        except OSError as error:
            print(f"plan-review: cannot write {path}: {error.strerror}", file=sys.stderr)
            return EXIT_ERROR
        print(f"review written to {path}", file=sys.stderr)
    failures = [] if review.unplanned else gate_failures(review, gates)
    if args.json:
        sys.stdout.write(render_json(review, failures))
    elif not args.out:
        sys.stdout.write(text)
    for item in review.unplanned:
        print(f"plan-review: {item.reason}", file=sys.stderr)
    if review.unplanned:
        return EXIT_ERROR
    for failure in failures:
        print(f"plan-review: --fail-on: {failure}", file=sys.stderr)
    return EXIT_GATE if failures else 0
