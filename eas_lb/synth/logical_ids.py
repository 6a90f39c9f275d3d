"""The Terraform address cdktf gives a construct, computed for a construct that no longer exists.

A real server's construct id was its label until labels were by position; it is now its address
(`eas_lb.synth.constructs.pools`). A site deployed before keeps its labels (`server_labels`), and a
`moved` block from the old address to the new one makes Terraform rename the object in state
instead of destroying it and creating it anew. The old address is what cdktf's `makeUniqueId`
(`cdktf/lib/private/unique.ts`, the scheme of `TerraformStack.allocateLogicalId`) gave the old
path; it is computed here in Python because the construct with that path is never built.
`tests/eas_lb/synth` checks the function against every logical id cdktf allocates in a site.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from cdktf import TerraformResource, TerraformStack
from constructs import Construct

_HIDDEN_ID = "Default"
_HIDDEN_FROM_HUMAN_ID = "Resource"
_MAX_HUMAN_LENGTH = 240
_MAX_ID_LENGTH = 255
_HASH_LENGTH = 8


def _allowed(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", text)


def unique_id(components: Sequence[str]) -> str:
    """cdktf's logical id of the construct path `components` (ids below the stack)."""
    kept = [component for component in components if component != _HIDDEN_ID]
    if not kept:
        raise ValueError("a logical id needs at least one path component")
    if len(kept) == 1 and len(_allowed(kept[0])) <= _MAX_ID_LENGTH:
        return _allowed(kept[0])
    digest = hashlib.md5("/".join(kept).encode("utf-8"), usedforsecurity=False).hexdigest()
    human: list[str] = []
    for component in kept:  # a component the previous one ends with is left out of the human part
        if not human or not human[-1].endswith(component):
            human.append(component)
    text = "_".join(_allowed(part) for part in human if part != _HIDDEN_FROM_HUMAN_ID)
    return f"{text[:_MAX_HUMAN_LENGTH]}_{digest[:_HASH_LENGTH].upper()}"


def path_below_stack(construct: Construct) -> list[str]:
    """The construct ids from below its stack down to `construct`."""
    scopes = construct.node.scopes
    below = next(index for index, scope in enumerate(scopes) if TerraformStack.is_stack(scope)) + 1
    return [scope.node.id for scope in scopes[below:]]


def former_address(resource: TerraformResource, former_id: str) -> str:
    """`type.name` Terraform gave `resource` when its construct id was `former_id`."""
    path = path_below_stack(resource)
    return f"{resource.terraform_resource_type}.{unique_id([*path[:-1], former_id])}"


def move_from_former_id(resource: TerraformResource, former_id: str) -> str:
    """A `moved` block to `resource` from the address it had when its construct id was `former_id`;
    returns that former address. Terraform ignores the block when nothing is at the former address."""
    former = former_address(resource, former_id)
    resource.move_from_id(former)
    return former
