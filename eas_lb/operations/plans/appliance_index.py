"""Which appliance each resource of a plan belongs to.

Each provider block of a stack is one appliance (alias, ``appliance_name``, ``endpoint``); a
configured resource names its block through ``provider_config_key``. A resource removed from
the configuration has no key any more and the plan does not say which alias it used, so it is
attributed through the dependencies recorded in the prior state: each appliance's
``lborg_commit`` depends on all of that appliance's resources, and a real server on its VIP.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from eas_lb.operations.plans import plan_json


@dataclass(frozen=True)
class PlannedAppliance:
    """The target a resource is configured on: one provider block of a stack."""

    name: str
    endpoint: str | None
    provider: str


_INDEX = re.compile(r"\[[^\]]*\]$")


def configured_address(address: str) -> str:
    """``lborg_x.y[0]`` or ``module.m[1].lborg_x.y["k"]`` → the address of its block."""
    return ".".join(_INDEX.sub("", part) for part in re.split(r"\.(?![^\[]*\])", address))


def _provider_keys(module: plan_json.ConfiguredModule, prefix: str = "") -> dict[str, str]:
    """Configured resource address → provider config key, for the module tree."""
    keys = {f"{prefix}{resource.address}": resource.provider_config_key for resource in module.resources}
    for name, call in sorted(module.module_calls.items()):
        keys.update(_provider_keys(call.module, f"{prefix}module.{name}."))
    return keys


def _state_edges(module: plan_json.StateModule) -> list[tuple[str, str]]:
    edges = [
        (configured_address(resource.address), configured_address(dependency))
        for resource in module.resources
        for dependency in resource.depends_on
    ]
    for child in module.child_modules:
        edges += _state_edges(child)
    return edges


def _constant(config: plan_json.ProviderConfig, name: str) -> str | None:
    """A provider argument given as a literal in the configuration, else None."""
    expression = config.expressions.get(name)
    if isinstance(expression, dict) and isinstance(expression.get("constant_value"), str):
        value: str = expression["constant_value"]
        return value
    return None


def appliance_of_config(config: plan_json.ProviderConfig) -> PlannedAppliance:
    """Name an appliance the way operators do: its appliance_name, else its alias or host."""
    if config.name == "vsphere":
        label = f"vSphere {config.alias}" if config.alias else "vSphere"
        return PlannedAppliance(name=label, endpoint=_constant(config, "vsphere_server"), provider="vsphere")
    endpoint = _constant(config, "endpoint")
    name = _constant(config, "appliance_name") or config.alias
    if name is None and endpoint:
        name = re.sub(r"^[a-z]+://", "", endpoint).split("/", 1)[0]
    return PlannedAppliance(name=name or config.name, endpoint=endpoint, provider=config.name)


class ApplianceIndex:
    """Resolves resources to appliances for one plan."""

    def __init__(self, plan: plan_json.Plan) -> None:
        configs = plan.configuration.provider_config
        self._keys = {
            address: key
            for address, key in _provider_keys(plan.configuration.root_module).items()
            if key in configs
        }
        self._by_key = {key: appliance_of_config(configs[key]) for key in sorted(set(self._keys.values()))}
        self._neighbours: dict[str, set[str]] = {}
        if plan.prior_state is not None:
            for source, target in _state_edges(plan.prior_state.values.root_module):
                self._neighbours.setdefault(source, set()).add(target)
                self._neighbours.setdefault(target, set()).add(source)

    @property
    def appliances(self) -> tuple[PlannedAppliance, ...]:
        """Appliances that configured resources use (not implicit empty provider blocks)."""
        found = {appliance for appliance in self._by_key.values() if appliance.provider != "terraform"}
        return tuple(sorted(found, key=lambda appliance: (appliance.name, appliance.endpoint or "")))

    def _nearest_configured(self, address: str) -> str | None:
        """Breadth-first through recorded dependencies to the closest still-configured resource."""
        seen, queue = {address}, deque([address])
        while queue:
            current = queue.popleft()
            for neighbour in sorted(self._neighbours.get(current, ())):
                if neighbour in self._keys:
                    return neighbour
                if neighbour not in seen:
                    seen.add(neighbour)
                    queue.append(neighbour)
        return None

    def appliance_of(self, entry: plan_json.PlanJsonResourceChange) -> PlannedAppliance:
        """The appliance of a planned resource, configured or removed from the configuration."""
        return self.appliance_at(entry.address, entry.provider_name)

    def appliance_at(self, address: str, provider_name: str = "") -> PlannedAppliance:
        """The appliance of the resource at ``address`` (a state's or a plan's)."""
        address = configured_address(address)
        if address not in self._keys:
            nearest = self._nearest_configured(address)
            if nearest is not None:
                address = nearest
        key = self._keys.get(address)
        if key is not None:
            return self._by_key[key]
        provider = provider_name.rsplit("/", 1)[-1] or "unknown"
        same_provider = [appliance for appliance in self.appliances if appliance.provider == provider]
        if len(same_provider) == 1:
            return same_provider[0]
        return PlannedAppliance(
            name=f"{provider} (removed from the configuration)", endpoint=None, provider=provider
        )
