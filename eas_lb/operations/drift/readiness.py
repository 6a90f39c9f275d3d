"""Whether `drift` can read a stack and its appliances at all, and if not, why and what to do.

Drift compares the appliances with the Terraform state of the last deploy. Without that state, a
refresh has nothing to compare with, and every object on the appliances (the pair's own service
gateway first) would look "not managed by the code": a report that advises deleting it cuts the
NAT return path of every Layer 4 VIP. So a stack is refreshed only when everything a refresh
needs is there, and is otherwise "could not tell" with the reason and its fix:
- both appliances answer, and the site file can reach them: the credential variables it names are
  set, its `ca_file`s exist;
- Terraform finds the lborg provider in the mirror (`TF_CLI_CONFIG_FILE`, which the site's
  `env.sh` exports); without it `terraform init` would look for it on the network;
- the synthesized stack is the site's as it is now (synth again after any edit);
- the state holds the last deploy (where it lives is read from the synthesized stack's backend).
An appliance that does not answer at its endpoint is compared with the address the last deploy
paired it at (`paired_addresses`, read by `commands.node_down.endpoint_differs`), so a typo in the
endpoint is named as such, not taken for an outage.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eas_lb.inputs.site import Node, Pair, Site, ca_file_fault
from eas_lb.operations.appliances.clients import missing_variables
from eas_lb.synth.stamp import changed_inputs, synthesized_site_file

_AGAIN = "then drift again"


def mirror_problem(env: Mapping[str, str]) -> str | None:
    """Why Terraform would not find the lborg provider in its mirror (None: it would)."""
    from lborg_provider.tools.cli_config import MirrorNotFound, configured_mirror

    try:
        configured_mirror(env)
    except MirrorNotFound as error:
        return f"{error}; in a site repository, `. ./env.sh` exports it; {_AGAIN}"
    return None


def credentials_problem(site: Site, nodes: Sequence[Node]) -> str | None:
    """The credential variables these appliances need that are unset, named all at once."""
    missing = missing_variables(site, list(nodes))
    if not missing:
        return None
    names = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + f" and {missing[-1]}"
    verb = "is" if len(missing) == 1 else "are"
    which = ", ".join(node.name for node in nodes)
    return (
        f"{names} {verb} not set in this shell ({which}): export the appliances' API credentials "
        f"(the variables the site file names; the workflow takes them from the repository's secrets), "
        f"{_AGAIN}"
    )


def ca_problem(pair: Pair, node: Node) -> str | None:
    """A `ca_file` the site file names that cannot be read."""
    fault = None if node.ca_file is None else ca_file_fault(node.ca_file)
    if fault is None:
        return None
    role = "primary" if node.name == pair.primary.name else "secondary"
    where = f"site file, pair {pair.name}, {role}.ca_file"
    if fault == "missing":
        return (
            f"{node.name}: its CA file {node.ca_file} does not exist ({where}): put the CA certificate "
            f"of the appliances' API there (or correct the path), {_AGAIN}"
        )
    return f"{node.name}: its CA file {node.ca_file} cannot be read ({where}): check its permissions"


def stale_synth(synth_dir: Path, site_file: Path) -> str | None:
    """Why the synthesized stacks cannot stand for this site's last deploy, or None."""
    synthesized = synthesized_site_file(synth_dir)
    if synthesized is not None and synthesized != site_file.resolve():
        return (
            f"{synth_dir} was synthesized from {synthesized}, not {site_file}; run `cdktf synth` with "
            f"this site (EAS_SITE), {_AGAIN}"
        )
    changed = changed_inputs(synth_dir)
    if changed:
        names = ", ".join(shown_path(name, site_file) for name in changed)
        return f"{names} changed since the last `cdktf synth`; run `cdktf synth`, {_AGAIN}"
    return None


def shown_path(path: str, site_file: Path) -> str:
    """A site file's neighbour as the site's people name it (``pools.txt``), else as given."""
    try:
        return str(Path(path).resolve().relative_to(site_file.resolve().parent))
    except ValueError:
        return path


def _backend(stack_dir: Path) -> tuple[str, dict[str, Any]] | None:
    """The synthesized stack's backend: (kind, arguments)."""
    try:
        document = json.loads((stack_dir / "cdk.tf.json").read_text(encoding="utf-8"))
        backends = document["terraform"]["backend"]
        kind, arguments = next(iter(backends.items()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StopIteration):
        return None
    return str(kind), arguments if isinstance(arguments, dict) else {}


def state_location(stack_dir: Path) -> str:
    """Where the stack's state lives, in words, from its synthesized backend."""
    found = _backend(stack_dir)
    if found is None:
        return f"the local backend's terraform.{stack_dir.name}.tfstate in the directory cdktf runs in"
    kind, arguments = found
    if kind == "local":
        return f"the local file {arguments.get('path', f'terraform.{stack_dir.name}.tfstate')}"
    if kind == "pg":
        return f"the pg backend, schema {arguments.get('schema_name', stack_dir.name)}"
    if kind == "s3":
        return f"the s3 backend, bucket {arguments.get('bucket')}, key {arguments.get('key')}"
    return f"the {kind} backend"


def no_state(stack_dir: Path) -> str:
    """A stack whose state holds nothing: there is no last deploy to compare the appliances with."""
    return (
        f"its Terraform state ({state_location(stack_dir)}) holds no deployed object, so there is no "
        "last deploy to compare the appliances with (nothing on them is reported). Run drift where "
        "the state of the last deploy is: with the local backend that is the machine and directory "
        "that deploys (the state is not in git); a shared backend (backend: pg or s3 in the site "
        "file) lets any machine read it. A stack never deployed: deploy it first"
    )


_STATE_WORDS = ("refreshing state", "state file", "failed to load state", "decoding state")


def _terraform_errors(output: str) -> list[str]:
    """Terraform's `Error:` summaries, each with the `- ` list that follows it (its problems)."""
    errors: list[str] = []
    for line in output.splitlines():
        text = line.strip().removeprefix("│").strip()
        if text.startswith("Error: "):
            errors.append(text.removeprefix("Error: "))
        elif errors and text.startswith("- ") and errors[-1].endswith(":"):
            errors[-1] += " " + text.removeprefix("- ")
        elif errors and text.startswith("- "):
            errors[-1] += "; " + text.removeprefix("- ")
    return list(dict.fromkeys(errors))


def terraform_failure(message: str, stack_dir: Path) -> str:
    """A refresh Terraform refused, in one line: its own errors, and the fix of the ones a user
    causes (an unreadable state)."""
    first, _, output = message.partition("\n")
    errors = _terraform_errors(output)
    said = " | ".join(errors) if errors else " ".join(output.split())[:400]
    line = first.rstrip(":") + (f": {said.rstrip('.')}" if said else "")
    if any(words in output.lower() for words in _STATE_WORDS):
        line += (
            f". The state ({state_location(stack_dir)}) could not be read: put back its last good copy "
            "(the local backend keeps the previous one beside it, ending in .backup), or correct the "
            "site file's backend: section and synth again"
        )
    return line


def paired_addresses(state: Mapping[str, Any]) -> dict[str, str]:
    """Appliance role (primary, secondary) → the address the last deploy paired it at."""
    found: dict[str, str] = {}
    for resource in state.get("resources") or []:
        if not isinstance(resource, dict) or resource.get("type") != "lborg_ha_pair":
            continue
        for instance in resource.get("instances") or []:
            values = instance.get("attributes") if isinstance(instance, dict) else None
            if isinstance(values, dict):
                found.setdefault("primary", str(values.get("local_ip") or ""))
                found.setdefault("secondary", str(values.get("peer_ip") or ""))
    return {role: address for role, address in found.items() if address}


def local_state(stack_dir: Path) -> dict[str, Any]:
    """The local backend's state document (no Terraform run), or {} when it is elsewhere or unreadable."""
    found = _backend(stack_dir)
    if found is None or found[0] != "local" or not isinstance(found[1].get("path"), str):
        return {}
    try:
        document = json.loads(Path(found[1]["path"]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}
