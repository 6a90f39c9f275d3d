"""The create protocol: the one way the provider makes an object on an appliance.

`create_object` is its only entry point and the resource base (`LborgResource.create_object`) its
only caller (`.importlinter` holds that); VIPs, real servers and floating IPs all create through it.
A resource says what to create (`NewObject`: the add, what identifies the object, and the writes
and reads of its own type); the protocol does the rest, in this order:

1. the create journal records the object (`create_journal`; a journal that cannot be written
   stops the create before anything is sent);
2. the `add-*` leaves in the connection's next batch of writes (`batching`);
3. `success`: the resource's writes that follow the add (a VIP's edit of the fields the add does
   not carry, a real server's state), then its state; an object this apply created but could not
   finish is recorded anyway (Terraform marks it tainted and replaces it on the next apply);
4. `exists`: the object is taken over (the resource edits what differs from the plan, with a
   warning) only if the journal's earlier entry and the object on the appliance agree; otherwise
   it is left untouched and the error gives the `terraform import` command;
5. any other answer: reported, nothing created.

The outcome comes back as `Created` (the state for Terraform, an error and a warning to show); the
resource base turns it into diagnostics, so nothing here knows Terraform's diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol, TypedDict, Unpack

from tf.types import Unknown

from lborg_provider.client.envelope import Action, ActionResult
from lborg_provider.client.errors import ApplianceActionError
from lborg_provider.runtime.create_journal import CreateJournal, JournalError
from lborg_provider.runtime.create_journal import Identity as Identity

ObjectState = dict[str, Any]


class Appliance(Protocol):
    """What the protocol needs of the connection to one appliance (`connection.ApplianceConnection`)."""

    name: str
    journal: CreateJournal

    def invalidate(self) -> None: ...

    def submit(self, actions: Sequence[Action], **options: Unpack[WriteOptions]) -> list[ActionResult]: ...


class WriteOptions(TypedDict, total=False):
    """The keywords of a batch of writes (`connection.ApplianceConnection.submit`, which documents
    them and their defaults)."""

    services: Sequence[str]
    idempotent: bool
    read_back: bool


def nothing() -> None:
    """No write: the add said it all (a floating IP)."""


def nothing_to_take_over(found: ObjectState) -> None:
    """No write: the object found is the object planned (a floating IP is only its address)."""


@dataclass(frozen=True, kw_only=True)
class NewObject:
    """One object a resource asks to create: the add, what identifies the object, and the steps
    only its type knows. Each step may raise; the protocol decides what a failure leaves."""

    planned: ObjectState
    #: Terraform's id of the object: the id of its state, and the import id a refusal names.
    object_id: str
    #: The object in words, for the take-over warning: "layer 7 VIP 'X'", "floating IP 127.0.0.9".
    what: str
    add: Action
    #: The service the add changes (what `lborg_commit` reloads).
    service: str
    journal_key: str
    #: What makes the object the one this create sent (label aside): address, ports.
    identity: Identity
    #: The object as the appliance has it now, None when it is not there (after `exists`).
    find: Callable[[], ObjectState | None]
    #: The identity of an object `find` returned.
    identity_of: Callable[[ObjectState], Identity]
    #: The state once every write answered success.
    written: Callable[[], ObjectState]
    #: The writes after an add that answered success.
    after_add: Callable[[], None] = nothing
    #: The writes that make an object this provider created earlier what the plan says.
    take_over: Callable[[ObjectState], None] = nothing_to_take_over
    #: `written` reads the configuration and `after_add` writes nothing: the add's batch brings
    #: the configuration back with it (`batching`), so no read of its own follows.
    read_back_on_add: bool = False


class NotCreated(Exception):
    """A create that stopped at the journal or at an `exists` not taken over, worded for the user:
    `summary` (the diagnostic's first line, after the resource type) and the message."""

    def __init__(self, summary: str, message: str) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass(frozen=True)
class Created:
    """What a create leaves: the state for Terraform (None: nothing created by this apply), the
    error to report (with a state: the object was created but not finished), the warning to show."""

    state: ObjectState | None
    error: Exception | None = None
    #: (summary after the resource type, detail)
    warning: tuple[str, str] | None = None


@dataclass(frozen=True)
class Sent:
    """An answered `add-*`, and what an earlier unfinished create of this provider recorded for
    the same object (None: no entry), which is all a take-over may be judged on."""

    result: ActionResult
    earlier: Identity | None


class AfterExists(Enum):
    """What to do when an `add-*` answered `exists`."""

    TAKE_OVER = "take over"
    REFUSE = "refuse"


def create_object(connection: Appliance, wanted: NewObject) -> Created:
    """Create `wanted` on the appliance: journal, add, then finish, take over or refuse (the module
    docstring's steps). Every failure comes back in `Created`; nothing is raised."""
    try:
        sent = send_add(
            connection,
            wanted.add,
            wanted.journal_key,
            wanted.identity,
            wanted.service,
            read_back=wanted.read_back_on_add,
        )
    except JournalError as error:
        return Created(None, NotCreated("create journal not writable", str(error)))
    except Exception as error:  # not answered: the entry stays, so the next apply can take over
        return Created(None, error)
    if sent.result.ok:
        return finish(wanted)
    if sent.result.status == "exists":
        return after_exists(connection, wanted, sent)
    return Created(None, refused(connection, wanted.add, sent.result))


def send_add(
    connection: Appliance, add: Action, key: str, identity: Identity, service: str, *, read_back: bool = False
) -> Sent:
    """Record `key` in the create journal, then send `add` (rows 1 to 4 and 6 to 7 of the
    journal's table in `create_journal`).

    Raises `JournalError` when the entry cannot be written (nothing was sent), and whatever the
    connection raises when the add was not answered: the entry then stays, so the next apply can
    take over what this add may have created."""
    earlier = connection.journal.record(key, identity)
    result = connection.submit([add], services=[service], read_back=read_back)[0]
    if not result.ok:
        connection.journal.restore(key, earlier)  # this add created nothing
    return Sent(result, earlier)


def finish(wanted: NewObject) -> Created:
    """The add answered success: the writes that follow it, then the state. A failure still
    records the object (tainted, replaced next time) rather than leaving an object on the
    appliance that no state knows."""
    try:
        wanted.after_add()
        return Created(wanted.written())
    except Exception as error:
        return Created(recorded_anyway(wanted.planned, wanted.object_id), error)


def after_exists(connection: Appliance, wanted: NewObject, sent: Sent) -> Created:
    """The add answered `exists`: take the object over (edit what differs from the plan) if an
    earlier create of this provider made it, else refuse with the import command."""
    warning = None
    try:
        connection.invalidate()
        found = wanted.find()
        verdict = decide_after_exists(sent.earlier, None if found is None else wanted.identity_of(found))
        if found is None or verdict is AfterExists.REFUSE:
            return Created(None, refused(connection, wanted.add, sent.result, import_id=wanted.object_id))
        wanted.take_over(found)
        warning = taken_over_warning(wanted.what, connection.name)
        return Created(wanted.written(), warning=warning)
    except Exception as error:
        return Created(None, error, warning)


def decide_after_exists(earlier: Identity | None, found: Identity | None) -> AfterExists:
    """Take over only the object an earlier create of this provider sent: its entry (`earlier`)
    and the object on the appliance (`found`, None when it cannot be found) must agree."""
    if earlier is not None and found is not None and dict(earlier) == dict(found):
        return AfterExists.TAKE_OVER
    return AfterExists.REFUSE


def refused(connection: Appliance, add: Action, result: ActionResult, import_id: str = "") -> Exception:
    """An `add-*` answered something other than success: nothing was created by this apply.

    No edit follows, so an object that already existed (`exists`) and that no earlier create of
    this provider made is never changed by a create; the error then says how to bring it under
    Terraform."""
    from lborg_provider.client.api import action_label  # here: `requests` loads only when used

    error = ApplianceActionError(
        connection.name, str(add.get("action")), action_label(add), result.status, result.message
    )
    if result.status == "exists" and import_id:
        return NotCreated(
            f"appliance {connection.name} already has '{import_id}', made outside this configuration",
            refused_exists_detail(str(error), connection.journal.path, import_id),
        )
    return error


def recorded_anyway(planned: ObjectState, object_id: str) -> ObjectState:
    """The state of an object this apply created but could not finish or read back: recorded, with
    unknown values as null, so Terraform (which marks a failed create tainted) replaces it on the
    next apply instead of losing track of it."""
    return {key: None if value is Unknown else value for key, value in planned.items()} | {"id": object_id}


def taken_over_warning(what: str, appliance: str) -> tuple[str, str]:
    """The warning (summary after the resource type, detail) a take-over adds to the apply."""
    return (
        f"took over {what} on appliance {appliance}",
        f"An earlier apply of this configuration created {what} but its result never reached "
        "Terraform's state (interrupted, or the answer was lost). It is now managed again and "
        "set to the planned values.",
    )


def refused_exists_detail(error: str, journal_path: Path, import_id: str) -> str:
    """Why an `exists` is not taken over, and the three ways forward."""
    return (
        f"{error}. No earlier apply of this configuration created it (its create journal "
        f"{journal_path} has no entry for it), so it is left untouched. To manage it "
        f"here, import it: `terraform import <this resource's address> '{import_id}'` (Terraform "
        "names the address with this error), or for an EAS site run `eas-lb adopt`; "
        "or delete it on the appliance and apply again."
    )
