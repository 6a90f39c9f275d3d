"""Injected faults of every kind at 10 %: the site converges with no hand work.

Each case deploys the site on an empty appliance with faults on for the first two applies (the
second one repairs under faults too, as a re-run in a bad network would) and off for the third,
which must succeed and leave the appliance exactly as planned: 0 lost, 0 duplicated, 0 orphaned,
nothing pending, an empty plan. The kinds are grouped (default: the four that fail before the
appliance acts, then the three that act and lose the answer) and each group runs with three
seeds; `LBORG_REL_FAULT_KINDS="http500;timeout;failed;drop;late;lost;cut"` runs one case per kind.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.reliability.rel_harness import MAX_APPLIES, Deployment, announce, seeds

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SEEDS = seeds("LBORG_REL_FAULT_SEEDS", (1101, 2202, 3303))
GROUPS = [
    group.split(",")
    for group in os.environ.get("LBORG_REL_FAULT_KINDS", "http500,timeout,failed,drop;late,lost,cut").split(
        ";"
    )
    if group.strip()
]
RATE = 0.1
FAULTED_APPLIES = 2


@pytest.mark.parametrize("kinds", GROUPS, ids=lambda kinds: "+".join(kinds))
@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"seed{seed}")
def test_faults_then_convergence(deployment: Deployment, kinds: list[str], seed: int) -> None:
    announce(f"faults {','.join(kinds)} at {RATE:.0%}", seed)
    d = deployment
    # A `timeout` or `late` answer comes one second after the provider gave up on it.
    d.faults(rate=RATE, kinds=kinds, seed=seed, timeout_s=d.site.timeout_seconds + 1)
    for _ in range(FAULTED_APPLIES):
        d.apply()
    d.no_faults()
    seen = json.loads((d.sim.state_dir / "faults-seen.json").read_text())
    print(f"faults met: {seen}; faulted applies exited {d.applies}")
    assert sum(seen.values()) > 0, "no fault was injected: the case tested nothing"

    problems = d.converge(MAX_APPLIES - FAULTED_APPLIES)
    assert not problems, f"seed {seed}, kinds {kinds}, faults {seen}, applies {d.applies}:\n" + "\n".join(
        problems
    )
