"""What VIPs and real servers share once their `add-*` was sent: finishing the create, and taking
over an object an earlier, unrecorded create of this provider made (see `journal.py`).

Each kind says how to find its object on the appliance, how to name it, and how to edit it; the
steps themselves are the same for both.
"""

from __future__ import annotations

from typing import Any, ClassVar

from lborg_provider.client.envelope import Action, ActionResult
from lborg_provider.client.errors import ApplianceError
from lborg_provider.journal import Identity
from lborg_provider.resources.base import LborgResource, State, recorded_anyway, report
from lborg_provider.resources.fields import Field


class JournalledObject(LborgResource):
    service: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]

    # -- what each kind provides ---------------------------------------------------------------
    def object_id(self, state: State) -> str:
        """The Terraform id (and import id) of the object `state` describes."""
        raise NotImplementedError

    def describe(self, state: State) -> str:
        """The object in words, for messages: "layer 7 VIP 'X'", "real server 'X/Y'"."""
        raise NotImplementedError

    def found_on_appliance(self, state: State) -> State | None:
        """The object as the appliance has it now (None when it is not there)."""
        raise NotImplementedError

    def edit_action(self, state: State, values: dict[str, Any]) -> Action:
        raise NotImplementedError

    def identity(self, state: State | None) -> Identity | None:
        """What makes the object the one a create sent (None for None)."""
        raise NotImplementedError

    def _values(self, planned: State, attrs: list[Field]) -> dict[str, Any]:
        raise NotImplementedError

    def _after_write(self, planned: State) -> State:
        raise NotImplementedError

    # -- the shared steps ----------------------------------------------------------------------
    def finish_create(self, ctx: Any, planned: State) -> State | None:
        """The created object's state; a failed read back still records it (tainted, replaced next
        time) rather than leaving an object on the appliance that no state knows."""
        try:
            return self._after_write(planned)
        except ApplianceError as error:
            report(ctx.diagnostics, error, ctx.type_name)
            return recorded_anyway(planned, self.object_id(planned))

    def take_over(
        self, ctx: Any, planned: State, add: Action, added: ActionResult, earlier: Identity | None
    ) -> State | None:
        """The add answered `exists`: take the object over (edit what differs from the plan) if an
        earlier create of this provider made it, else refuse with the import command."""
        appliance = self.appliance

        def attempt() -> State | None:
            appliance().invalidate()
            found = self.found_on_appliance(planned)
            if found is None or not self.may_take_over(earlier, self.identity(found)):
                return self.add_refused(ctx, planned, add, added, import_id=self.object_id(planned))
            differ = [
                f for f in self.fields if not f.replace and not f.same(found.get(f.attr), planned.get(f.attr))
            ]
            values = self._values(planned, differ)
            if values:
                appliance().write(
                    [self.edit_action(planned, values)], services=[self.service], idempotent=True
                )
            self.warn_taken_over(ctx, self.describe(planned), appliance().name)
            return self._after_write(planned)

        return self.guarded(ctx.diagnostics, ctx.type_name, None, attempt)
