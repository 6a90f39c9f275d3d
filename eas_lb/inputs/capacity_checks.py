"""Checks of the site file's `capacity.pools` against the pools they name.

A label no pair has would set nothing: most likely a typing mistake, so it is an error at that
line, as for `drain.pools`. A Layer 4 label is refused with the reason: API v2 has no connection
limit or persistence table size on a Layer 4 VIP (docs/appliance-api.md, "Capacity").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eas_lb.inputs.pools import Section
from eas_lb.inputs.site_models import PairPlan, Site

Report = Callable[[tuple[Any, ...], str], None]


def check_capacity_labels(site: Site, plans: Sequence[PairPlan], problem: Report) -> None:
    """Report every `capacity.pools` key that is not the label of a Layer 7 pool."""
    sections = {pool.label: pool.section for plan in plans for pool in plan.pools.pools}
    layer7 = sorted(label for label, section in sections.items() if section is Section.MANAGEMENT)
    for label in site.capacity.pools:
        where = ("capacity", "pools", label)
        if sections.get(label) is Section.SERVICE:
            problem(
                where,
                f"{label} is a Layer 4 VIP: API v2 has no maxconn or persistence table size for "
                "Layer 4 (IPVS keeps persistence in its connection table, without a size per VIP); "
                "give capacity only for Layer 7 pools (MGMT_...)",
            )
        elif label not in sections:
            known = ", ".join(layer7) if layer7 else "none (no '# MANAGEMENT' pool)"
            problem(where, f"no Layer 7 pool is labelled {label!r}; known: {known}")
