"""The create protocol on its own (`runtime.create`): journal first, then the add, then finish,
take over or refuse, and what each outcome leaves in the journal and in Terraform's state.

An in-process appliance stands in for the connection; the terraform tests (test_provider_takeover,
tests/reliability) run the same protocol through real applies against the simulator."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from tf.types import Unknown

from lborg_provider.client.envelope import Action, ActionResult
from lborg_provider.client.errors import ApplianceActionError, ApplianceUnreachable
from lborg_provider.runtime.create import NewObject, NotCreated, create_object
from lborg_provider.runtime.create_journal import CreateJournal

KEY = "rip:7:VIP/RIP-1"


class Appliance:
    """Answers every add with `answer`; records what was sent and whether the cache was dropped."""

    def __init__(self, journal_dir: Path, answer: str = "success") -> None:
        self.name = "lb1"
        self.journal = CreateJournal("https://127.0.0.1:9443/api/v2/", journal_dir)
        self.answer = answer
        self.sent: list[Action] = []
        self.invalidated = 0

    def invalidate(self) -> None:
        self.invalidated += 1

    def submit(
        self,
        actions: Sequence[Action],
        *,
        services: Sequence[str] = (),
        idempotent: bool = False,
        read_back: bool = False,
    ) -> list[ActionResult]:
        self.sent.extend(actions)
        if self.answer == "unanswered":
            raise ApplianceUnreachable(self.name, "appliance lb1: time-out")
        return [ActionResult(str(a["action"]), self.answer, f"answer {self.answer}") for a in actions]


class Steps:
    """The resource's side: which of its steps ran, and the object the appliance has (`found`)."""

    def __init__(self, found: dict[str, Any] | None = None, fail: str = "") -> None:
        self.found = found
        self.fail = fail
        self.ran: list[str] = []

    def step(self, name: str) -> None:
        self.ran.append(name)
        if name == self.fail:
            raise ApplianceActionError("lb1", "edit-rip", "VIP/RIP-1", "failed", "refused")

    def written(self, planned: dict[str, Any]) -> dict[str, Any]:
        self.step("written")
        return {**planned, "id": "VIP/RIP-1", "weight": 100}

    def new_object(self, ip: str = "127.0.0.20") -> NewObject:
        planned = {"id": Unknown, "vip": "VIP", "label": "RIP-1", "ip": ip, "weight": Unknown}
        return NewObject(
            planned=planned,
            object_id="VIP/RIP-1",
            what="real server 'VIP/RIP-1'",
            add={"action": "add-rip", "vip": "VIP", "rip": "RIP-1", "ip": ip},
            service="haproxy",
            journal_key=KEY,
            identity={"ip": ip},
            find=lambda: self.found,
            identity_of=lambda found: {"ip": str(found["ip"])},
            written=lambda: self.written(planned),
            after_add=lambda: self.step("after_add"),
            take_over=lambda found: self.step("take_over"),
        )


def test_a_created_object_is_finished_and_its_entry_stays_until_state_has_it(tmp_path: Path) -> None:
    appliance, steps = Appliance(tmp_path), Steps()
    created = create_object(appliance, steps.new_object())
    assert created.error is None and created.warning is None
    assert created.state is not None and created.state["id"] == "VIP/RIP-1"
    assert steps.ran == ["after_add", "written"]
    assert appliance.sent == [{"action": "add-rip", "vip": "VIP", "rip": "RIP-1", "ip": "127.0.0.20"}]
    # The entry stays until a refresh reads the object from state (forget).
    assert appliance.journal.record(KEY, {"ip": "127.0.0.20"}) == {"ip": "127.0.0.20"}


def test_a_create_that_cannot_finish_is_recorded_with_unknowns_as_null(tmp_path: Path) -> None:
    steps = Steps(fail="after_add")
    created = create_object(Appliance(tmp_path), steps.new_object())
    assert isinstance(created.error, ApplianceActionError)
    assert created.state == {
        "id": "VIP/RIP-1",
        "vip": "VIP",
        "label": "RIP-1",
        "ip": "127.0.0.20",
        "weight": None,
    }


def test_exists_without_an_entry_is_refused_with_the_import_command_and_left_alone(tmp_path: Path) -> None:
    appliance, steps = Appliance(tmp_path, "exists"), Steps(found={"ip": "127.0.0.20"})
    created = create_object(appliance, steps.new_object())
    assert created.state is None and created.warning is None
    assert isinstance(created.error, NotCreated)
    assert created.error.summary == "appliance lb1 already has 'VIP/RIP-1', made outside this configuration"
    assert "terraform import <this resource's address> 'VIP/RIP-1'" in str(created.error)
    assert steps.ran == []  # nothing edited
    assert appliance.journal.record(KEY, {"ip": "127.0.0.20"}) is None  # the refusal left no entry


def test_exists_is_taken_over_only_when_the_earlier_entry_matches_the_object(tmp_path: Path) -> None:
    appliance = Appliance(tmp_path, "exists")
    appliance.journal.record(KEY, {"ip": "127.0.0.20"})  # an earlier apply, killed after its add
    steps = Steps(found={"ip": "127.0.0.20"})
    created = create_object(appliance, steps.new_object())
    assert created.error is None and created.state is not None
    assert (
        created.warning is not None
        and created.warning[0] == "took over real server 'VIP/RIP-1' on appliance lb1"
    )
    assert steps.ran == ["take_over", "written"]
    assert appliance.invalidated == 1  # the object is looked up afresh

    # The same entry does not vouch for an object whose address was changed by hand since.
    other = Steps(found={"ip": "127.0.0.99"})
    refused = create_object(appliance, other.new_object())
    assert isinstance(refused.error, NotCreated) and refused.state is None and other.ran == []


def test_a_failed_take_over_reports_the_error_and_keeps_the_warning(tmp_path: Path) -> None:
    appliance = Appliance(tmp_path, "exists")
    appliance.journal.record(KEY, {"ip": "127.0.0.20"})
    steps = Steps(found={"ip": "127.0.0.20"}, fail="written")
    created = create_object(appliance, steps.new_object())
    assert created.state is None and isinstance(created.error, ApplianceActionError)
    assert created.warning is not None  # the edits were made: the object is managed again


@pytest.mark.parametrize("answer", ["failed", "unanswered"])
def test_an_add_that_fails_creates_nothing_and_an_unanswered_one_keeps_its_entry(
    tmp_path: Path, answer: str
) -> None:
    appliance, steps = Appliance(tmp_path, answer), Steps()
    created = create_object(appliance, steps.new_object())
    assert created.state is None and steps.ran == []
    earlier = appliance.journal.record(KEY, {"ip": "127.0.0.20"})
    if answer == "failed":
        assert isinstance(created.error, ApplianceActionError) and created.error.status == "failed"
        assert earlier is None  # "not created": the entry is put back as it was
    else:
        assert isinstance(created.error, ApplianceUnreachable)
        assert earlier == {"ip": "127.0.0.20"}  # maybe created: the next apply may take it over


def test_a_journal_that_cannot_be_written_stops_the_create_before_the_add(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    appliance, steps = Appliance(blocker / "journal"), Steps()
    created = create_object(appliance, steps.new_object())
    assert isinstance(created.error, NotCreated) and created.error.summary == "create journal not writable"
    assert appliance.sent == [] and created.state is None
