"""Golden-file tests: the review of real plans (fixtures/*.json) must equal fixtures/*.md.

The plans were made by ``make_fixtures.py`` with real terraform, the real lborg provider and a
simulator. After an intended change of wording, rewrite the goldens with
``PLAN_REVIEW_UPDATE_GOLDEN=1 pytest tests/eas_lb/operations/plan_review`` and read the diff.
Each scenario also has a few assertions on meaning, so a golden cannot silently accept a wrong review.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eas_lb.operations.plan_review.render import render
from eas_lb.operations.plan_review.review import Gate, Review, build_review, gate_failures
from eas_lb.operations.plan_review.risks import RiskKind
from eas_lb.operations.plans.changes import Action, stack_plan
from eas_lb.operations.plans.plan_json import parse_plan
from tests.eas_lb.operations.plan_review.make_fixtures import LB_STACK, PEER_PASSWORD, VM_STACK, generate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCENARIOS = (
    "no-change",
    "add-pool",
    "change-sticky",
    "remove-server",
    "change-label",
    "delete-pool",
    "drift",
    "ha-pairing",
    "vm-change",
)


def review_of(name: str, document: dict[str, Any]) -> Review:
    stack = VM_STACK if name == "vm-change" else LB_STACK
    return build_review([stack_plan(stack, parse_plan(document, source=name))])


def load(name: str, root: Path = FIXTURES) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((root / f"{name}.json").read_text(encoding="utf-8"))
    return document


def kinds(review: Review) -> set[RiskKind]:
    return {risk.kind for risk in review.risks}


def _no_change(review: Review, text: str) -> None:
    assert review.counts.total == 0 and not review.drift and review.reload_count == 0
    assert "No changes" in text


def _add_pool(review: Review, text: str) -> None:
    assert review.counts.add == 3  # the VIP and its two real servers
    assert "new pool: layer 7 VIP 127.4.1.224:18087, persistence source IP 1440 min" in text
    assert "EAS 127.4.2.116 added to MGMT_MVWEBPROV-18087 (port 18087)" in text
    assert not kinds(review) and "Reloads: haproxy\n" in text


def _change_sticky(review: Review, text: str) -> None:
    assert "persistence 35 → 40 min" in text
    assert kinds(review) == {RiskKind.PERSISTENCE}
    assert review.counts.change == 2  # the VIP and the commit
    assert "Reloads: haproxy\n" in text and review.reload_count == 1


def _remove_server(review: Review, text: str) -> None:
    # No drain time set: the provider's default drain runs before the delete, so no risk.
    assert review.counts.destroy == 1 and not kinds(review)
    assert "- EAS 127.4.2.116 removed from MGMT_HTTPS-18443 after a 30 s drain\n" in text
    assert gate_failures(review, {Gate.DESTROY}) and not gate_failures(review, {Gate.REPLACE})


def _change_label(review: Review, text: str) -> None:
    assert "label MGMT_IMAP-10143 → MGMT_IMAPS-10143" in text
    assert RiskKind.INTERRUPTION in kinds(review)
    assert review.counts.replace >= 1 and gate_failures(review, {Gate.REPLACE})


def _delete_pool(review: Review, text: str) -> None:
    assert review.counts.destroy == 3
    assert "pool deleted: VIP 127.4.1.150:10143 stops serving" in text
    assert "ldirectord" in text.split("Reloads:", 1)[1].splitlines()[0]
    assert RiskKind.INTERRUPTION in kinds(review)


def _drift(review: Review, text: str) -> None:
    assert review.drift and gate_failures(review, {Gate.DRIFT})
    drift_part = text.split("### Drift found during refresh", 1)[1]
    assert "EAS 127.4.2.116 missing on the appliance" in drift_part
    assert "persistence 35 → 50 min on the appliance" in drift_part
    assert "Reloads: haproxy (to repair drift)" in text
    assert any(change.action is Action.CREATE for change in review.changes)


def _ha_pairing(review: Review, text: str) -> None:
    assert kinds(review) == {RiskKind.FAILOVER}
    assert "HA pairing with peer 127.4.0.2 (local 127.4.0.1) added" in text
    assert "peer_password = (sensitive)" in text
    assert PEER_PASSWORD not in text
    assert PEER_PASSWORD in json.dumps(load("ha-pairing"))  # the plan itself carries it in clear
    assert "Reloads: heartbeat\n" in text


def _vm_change(review: Review, text: str) -> None:
    assert kinds(review) == {RiskKind.VM_REBUILD}
    assert "VM eas-lb1: memory 16384 → 24576 MB" in text
    assert "VM eas-lb2 rebuilt because ovf_deploy" in text


MEANING: dict[str, Callable[[Review, str], None]] = {
    "no-change": _no_change,
    "add-pool": _add_pool,
    "change-sticky": _change_sticky,
    "remove-server": _remove_server,
    "change-label": _change_label,
    "delete-pool": _delete_pool,
    "drift": _drift,
    "ha-pairing": _ha_pairing,
    "vm-change": _vm_change,
}


def test_every_scenario_has_a_fixture_and_a_golden() -> None:
    present = {path.stem for path in FIXTURES.glob("*.json")}
    assert present == set(SCENARIOS)
    assert {path.stem for path in FIXTURES.glob("*.md") if path.stem != "README"} == set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_review_of_real_plan_matches_golden(name: str) -> None:
    review = review_of(name, load(name))
    text = render(review)
    golden = FIXTURES / f"{name}.md"
    if os.environ.get("PLAN_REVIEW_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    MEANING[name](review, text)
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SCENARIOS)
def test_review_does_not_depend_on_input_order(name: str) -> None:
    document = load(name)
    shuffled = {**document, "resource_changes": list(reversed(document.get("resource_changes", [])))}
    assert render(review_of(name, shuffled)) == render(review_of(name, document))


def _shape(review: Review) -> list[tuple[str, str, list[str]]]:
    """Per resource: address, action and which attributes change (not their digests' values)."""
    return [
        (change.address, change.action.value, [item.name for item in change.attributes])
        for change in review.changes + review.drift
    ]


@pytest.mark.slow
def test_generator_reproduces_equivalent_plans(tmp_path: Path) -> None:
    """Fresh plans give the same review above the raw section and the same per-resource shape.

    The raw section is not compared byte for byte: it shows the provider's configuration
    digests, which are not the same from one simulator run to the next.
    """
    if shutil.which("terraform") is None or shutil.which("haproxy") is None:
        pytest.skip("needs terraform and haproxy on PATH")
    generate(tmp_path)
    for name in SCENARIOS:
        fresh, committed = review_of(name, load(name, tmp_path)), review_of(name, load(name))
        assert _shape(fresh) == _shape(committed), name
        golden = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
        assert render(fresh).split("<details>", 1)[0] == golden.split("<details>", 1)[0], name
