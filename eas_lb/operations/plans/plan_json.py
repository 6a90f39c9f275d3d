"""The subset of Terraform's JSON plan format (``terraform show -json plan.out``) the review reads.

Unknown keys are ignored so newer Terraform versions keep working; the fields used are the
documented ones (format version 1.x). Parsing fails with a message naming the plan file and the
field, because a half-read plan would produce a misleading review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Lenient(BaseModel):
    """Ignore fields the review does not need (Terraform adds fields over time)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class PlanJsonChange(_Lenient):
    """``change`` of a resource: actions and the values before and after, with their markers."""

    actions: list[str]
    before: Any = None
    after: Any = None
    after_unknown: Any = None
    before_sensitive: Any = None
    after_sensitive: Any = None
    replace_paths: list[list[str | int]] | None = None
    #: ``{"id": ...}`` when the resource is imported by this plan (an ``import`` block).
    importing: dict[str, Any] | None = None


# Shares address/mode/type/name with ConfiguredResource below: two shapes of Terraform's plan JSON.
class PlanJsonResourceChange(_Lenient):
    """One entry of ``resource_changes`` or ``resource_drift``."""

    address: str
    mode: str = "managed"
    type: str
    name: str
    provider_name: str = ""
    module_address: str | None = None
    change: PlanJsonChange
    action_reason: str | None = None


class Expression(_Lenient):
    """A configuration expression: a constant or references to other objects."""

    constant_value: Any = None
    references: list[str] | None = None


class ProviderConfig(_Lenient):
    """One provider block (``configuration.provider_config[<key>]``)."""

    name: str
    full_name: str = ""
    alias: str | None = None
    module_address: str | None = None
    expressions: dict[str, Any] = Field(default_factory=dict)


# Shares address/mode/type/name with PlanJsonResourceChange above: two shapes of Terraform's plan JSON.
class ConfiguredResource(_Lenient):
    """A resource block of the configuration; only its provider key matters here."""

    address: str
    mode: str = "managed"
    type: str
    name: str
    provider_config_key: str = ""
    #: The attributes the configuration sets; one it leaves unset keeps what the appliance has.
    expressions: dict[str, Any] = Field(default_factory=dict)


class ModuleCall(_Lenient):
    """A ``module`` block: its own module configuration."""

    module: ConfiguredModule = Field(default_factory=lambda: ConfiguredModule())


class ConfiguredModule(_Lenient):
    """``configuration.root_module`` and nested modules."""

    resources: list[ConfiguredResource] = Field(default_factory=list)
    module_calls: dict[str, ModuleCall] = Field(default_factory=dict)


class Configuration(_Lenient):
    """``configuration``: provider blocks and resources with their provider keys."""

    provider_config: dict[str, ProviderConfig] = Field(default_factory=dict)
    root_module: ConfiguredModule = Field(default_factory=ConfiguredModule)


class StateResource(_Lenient):
    """A resource of ``prior_state``: its address and what it depended on when last applied."""

    address: str
    type: str = ""
    depends_on: list[str] = Field(default_factory=list)
    #: The refreshed values (sensitive ones included: read only what is known not to be secret).
    values: dict[str, Any] = Field(default_factory=dict)


class StateModule(_Lenient):
    """``prior_state.values.root_module`` and its child modules."""

    resources: list[StateResource] = Field(default_factory=list)
    child_modules: list[StateModule] = Field(default_factory=list)


class StateValues(_Lenient):
    """``prior_state.values``."""

    root_module: StateModule = Field(default_factory=StateModule)


class PriorState(_Lenient):
    """``prior_state``: the refreshed state the plan started from."""

    values: StateValues = Field(default_factory=StateValues)


class Plan(_Lenient):
    """The top level of a JSON plan."""

    format_version: str
    terraform_version: str = ""
    resource_changes: list[PlanJsonResourceChange] = Field(default_factory=list)
    resource_drift: list[PlanJsonResourceChange] = Field(default_factory=list)
    configuration: Configuration = Field(default_factory=Configuration)
    prior_state: PriorState | None = None
    errored: bool = False


ModuleCall.model_rebuild()


class PlanFormatError(ValueError):
    """A plan document that is not what ``terraform show -json`` writes."""


def parse_plan(document: Any, *, source: str) -> Plan:
    """Validate a decoded plan document; ``source`` names it in errors."""
    if not isinstance(document, dict) or "format_version" not in document:
        raise PlanFormatError(
            f"{source}: not a Terraform JSON plan (expected an object with 'format_version', "
            "as written by 'terraform show -json plan.out')"
        )
    major = str(document["format_version"]).split(".", 1)[0]
    if major != "1":
        raise PlanFormatError(
            f"{source}: plan format_version {document['format_version']!r} is not supported (expected 1.x)"
        )
    try:
        return Plan.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise PlanFormatError(f"{source}: field {where}: {first['msg']}") from None


def load_plan(path: Path) -> Plan:
    """Read and validate a JSON plan file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PlanFormatError(f"{path}: cannot read the plan file: {error.strerror}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanFormatError(
            f"{path}:{error.lineno}:{error.colno}: not JSON ({error.msg}); pass the output of "
            "'terraform show -json plan.out', not the binary plan file"
        ) from None
    return parse_plan(document, source=str(path))
