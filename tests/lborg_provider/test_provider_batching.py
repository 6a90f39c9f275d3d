"""The write coalescer: concurrent requests leave together, each gets exactly its own answers, and
the outcome is the same whether the appliance runs every action of a batch or stops at the first
failure. A small in-process appliance model stands in for the HTTP client here; the provider
suite's terraform tests run the same code against the simulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest

from lborg_provider.client.envelope import Action, ActionResult
from lborg_provider.client.errors import ApplianceUnreachable
from lborg_provider.runtime.batching import WriteCoalescer


class ModelAppliance:
    """Labels that exist; `add` answers `exists` for a known one, `boom` labels fail generically.

    `stop_at_first_failure` answers every action after a failure with a generic `failed`, as an
    appliance that runs a batch as one transaction would; otherwise every action runs on its own.
    """

    def __init__(self, *, stop_at_first_failure: bool, delay: float = 0.0) -> None:
        self.stop_at_first_failure = stop_at_first_failure
        self.delay = delay
        self.labels: set[str] = {"HANDMADE"}
        self.batches: list[list[str]] = []
        self.lock = threading.Lock()
        self.first_call_started = threading.Event()
        self.release_first_call = threading.Event()
        self.release_first_call.set()

    def send(self, actions: Sequence[Action], idempotent: bool) -> list[ActionResult]:
        with self.lock:
            self.batches.append([f"{a['action']} {a['vip']}" for a in actions])
            first = len(self.batches) == 1
        if first:
            self.first_call_started.set()
            self.release_first_call.wait(10)
        time.sleep(self.delay)
        results: list[ActionResult] = []
        stopped = False
        for action in actions:
            name, label = str(action["action"]), str(action["vip"])
            if stopped:
                results.append(ActionResult(name, "failed", "not run"))
                continue
            result = self._one(name, label)
            results.append(result)
            stopped = self.stop_at_first_failure and not result.ok
        return results

    def _one(self, name: str, label: str) -> ActionResult:
        if label.startswith("boom"):
            return ActionResult(name, "failed", f"field 'vip': '{label}' is not allowed")
        if name == "add":
            if label in self.labels:
                return ActionResult(name, "exists", f"VIP '{label}' already exists")
            self.labels.add(label)
            return ActionResult(name, "success", "added")
        if label not in self.labels:
            return ActionResult(name, "missing", f"VIP '{label}' does not exist")
        return ActionResult(name, "success", "edited")


def _submit_all(coalescer: WriteCoalescer, requests: dict[str, list[Action]]) -> dict[str, Any]:
    outcomes: dict[str, Any] = {}

    def one(key: str, actions: list[Action]) -> None:
        try:
            outcomes[key] = [(r.status, r.message) for r in coalescer.submit(actions, idempotent=False)]
        except Exception as error:
            outcomes[key] = error

    threads = [threading.Thread(target=one, args=item) for item in requests.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _held_then_released(
    model: ModelAppliance, coalescer: WriteCoalescer, requests: dict[str, list[Action]]
) -> dict[str, Any]:
    """Hold the first call on the wire until every other request has queued behind it."""
    model.release_first_call.clear()
    first_key = next(iter(requests))
    first = {first_key: requests[first_key]}
    rest = {k: v for k, v in requests.items() if k != first_key}
    outcomes: dict[str, Any] = {}
    leader = threading.Thread(target=lambda: outcomes.update(_submit_all(coalescer, first)))
    leader.start()
    assert model.first_call_started.wait(10)
    others = threading.Thread(target=lambda: outcomes.update(_submit_all(coalescer, rest)))
    others.start()
    deadline = time.monotonic() + 10
    while coalescer.queued() < len(rest) and time.monotonic() < deadline:
        time.sleep(0.01)
    model.release_first_call.set()
    leader.join(30)
    others.join(30)
    return outcomes


@pytest.mark.parametrize("stop_at_first_failure", [False, True])
def test_concurrent_requests_share_one_call_and_each_gets_its_own_answer(stop_at_first_failure: bool) -> None:
    model = ModelAppliance(stop_at_first_failure=stop_at_first_failure)
    coalescer = WriteCoalescer(model.send)
    requests: dict[str, list[Action]] = {
        "first": [{"action": "add", "vip": "A"}],
        "b": [{"action": "add", "vip": "B"}],
        "handmade": [{"action": "add", "vip": "HANDMADE"}],
        "c": [{"action": "add", "vip": "C"}, {"action": "edit", "vip": "C"}],
        "bad": [{"action": "add", "vip": "boom-1"}],
        "d": [{"action": "add", "vip": "D"}],
    }
    outcomes = _held_then_released(model, coalescer, requests)
    assert outcomes["first"] == [("success", "added")]
    assert outcomes["b"] == [("success", "added")]
    assert outcomes["handmade"] == [("exists", "VIP 'HANDMADE' already exists")]
    assert outcomes["c"] == [("success", "added"), ("success", "edited")]
    assert outcomes["bad"] == [("failed", "field 'vip': 'boom-1' is not allowed")]
    assert outcomes["d"] == [("success", "added")]
    # One call for the first request, one for the five queued behind it; an appliance that stops
    # at the first failure needs a call more for what it did not run (and one per further failure).
    assert len(model.batches[1]) == 6
    assert len(model.batches) == (4 if stop_at_first_failure else 2), model.batches
    assert model.labels == {"HANDMADE", "A", "B", "C", "D"}


@pytest.mark.parametrize("stop_at_first_failure", [False, True])
def test_actions_after_a_requests_own_failure_are_never_sent_again(stop_at_first_failure: bool) -> None:
    model = ModelAppliance(stop_at_first_failure=stop_at_first_failure)
    coalescer = WriteCoalescer(model.send)
    requests: dict[str, list[Action]] = {
        "first": [{"action": "add", "vip": "A"}],
        "exists": [{"action": "add", "vip": "HANDMADE"}, {"action": "edit", "vip": "HANDMADE"}],
        "later": [{"action": "add", "vip": "E"}],
    }
    outcomes = _held_then_released(model, coalescer, requests)
    assert outcomes["exists"][0][0] == "exists"
    sent = [action for batch in model.batches for action in batch]
    assert sent.count("add HANDMADE") == 1 and sent.count("edit HANDMADE") == 1
    assert outcomes["later"] == [("success", "added")]
    assert sent.count("add E") == (2 if stop_at_first_failure else 1)


def test_a_transport_failure_reaches_every_request_of_the_batch() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def send(actions: Sequence[Action], idempotent: bool) -> list[ActionResult]:
        calls.append(len(actions))
        gate.wait(10)
        raise ApplianceUnreachable("lb1", "appliance lb1: cannot connect")

    coalescer = WriteCoalescer(send)
    requests: dict[str, list[Action]] = {f"r{n}": [{"action": "add", "vip": f"V{n}"}] for n in range(5)}
    threading.Timer(0.3, gate.set).start()
    outcomes = _submit_all(coalescer, requests)
    assert all(isinstance(outcome, ApplianceUnreachable) for outcome in outcomes.values()), outcomes
    assert sum(calls) == 5 and len(calls) <= 5


def test_batches_respect_the_size_limit_and_keep_a_requests_actions_together() -> None:
    model = ModelAppliance(stop_at_first_failure=False)
    coalescer = WriteCoalescer(model.send, max_actions=4)
    requests: dict[str, list[Action]] = {"first": [{"action": "add", "vip": "A"}]}
    for n in range(6):
        requests[f"r{n}"] = [{"action": "add", "vip": f"V{n}"}, {"action": "edit", "vip": f"V{n}"}]
    outcomes = _held_then_released(model, coalescer, requests)
    assert all(
        outcome == [("success", "added"), ("success", "edited")]
        for k, outcome in outcomes.items()
        if k != "first"
    )
    for batch in model.batches[1:]:
        assert len(batch) <= 4
        for position, action in enumerate(batch):
            if action.startswith("add "):
                assert batch[position + 1] == action.replace("add ", "edit ")


def test_a_batch_waits_for_every_resource_terraform_runs_at_once_when_their_turns_come_unevenly() -> None:
    """Four resources at once (Terraform's parallelism, as seen), each back with its next write a
    different time after its answer: the batch waits for all four (within half a call), so each
    round is one call, not two or three."""
    sizes: list[int] = []

    def send(actions: Sequence[Action], idempotent: bool) -> list[ActionResult]:
        sizes.append(len(actions))
        time.sleep(0.2)
        return [ActionResult(str(action["action"]), "success") for action in actions]

    coalescer = WriteCoalescer(send)
    rounds = 5

    def worker(n: int) -> None:
        for _ in range(rounds):
            coalescer.submit([{"action": "add", "vip": f"V{n}"}], idempotent=True)
            time.sleep(0.02 + 0.025 * n)  # Terraform's turn-around, uneven

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(sizes) == 4 * rounds
    assert sizes.count(4) >= rounds - 2, sizes
