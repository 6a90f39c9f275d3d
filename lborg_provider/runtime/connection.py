"""The provider's connection to one appliance: a client, a shared read cache and a write lock.

Terraform refreshes many resources in parallel (ten at a time) in one provider process. They all
read from one `list dumpconfig`, fetched once (single-flight: the first reader fetches while the
others wait) and dropped after every write so a read after apply never sees stale configuration.
Writes to one appliance are serialized, because the appliance applies lbcli actions one at a time
and two batches interleaving would make failures hard to attribute; writes that arrive while a
batch is in flight leave together in the next one (`batching.WriteCoalescer`), so an apply costs
about one request per group of resources Terraform runs at once, and no full re-read per write.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

from lborg_provider.model.server_states import ServerKey, UnreadableStates, reported_states
from lborg_provider.runtime.batching import BatchStats, WriteCoalescer
from lborg_provider.runtime.create_journal import CreateJournal
from lborg_provider.runtime.destroy_plans import DestroyPlans
from lborg_provider.runtime.drains import DrainSchedule
from lborg_provider.runtime.plan_ledger import PlanLedger
from lborg_provider.runtime.settings import ApplianceSettings

if TYPE_CHECKING:
    from lborg_provider.client import ActionResult, ApplianceClient
    from lborg_provider.client.envelope import Action
    from lborg_provider.runtime.create import WriteOptions


class ApplianceConnection:
    """Shared by every resource of one provider instance (one appliance)."""

    def __init__(self, settings: ApplianceSettings) -> None:
        from lborg_provider.client import ApiCredentials, ApplianceClient

        self.settings = settings
        self.name = settings.appliance_name
        self.client: ApplianceClient = ApplianceClient(
            settings.endpoint,
            ApiCredentials(settings.username, settings.password, settings.api_key),
            name=settings.appliance_name,
            ca_file=settings.ca_file,
            insecure=settings.insecure,
            timeout_seconds=settings.timeout_seconds,
            credentials_source=settings.credentials_source,
        )
        #: Objects this provider asked the appliance to create that state may not have yet.
        self.journal = CreateJournal(self.client.endpoint)
        #: Real servers drained by deletes, waiting for the commit's reload.
        self.drains = DrainSchedule(self.client.endpoint)
        #: The VIPs a plan deletes, so their real servers' deletes need not drain them.
        self.destroy_plans = DestroyPlans(self.client.endpoint)
        self._read_lock = threading.Lock()
        self._writes = WriteCoalescer(self._send, send_and_read=self._send_and_read)
        self._config: dict[str, Any] | None = None
        self._states: StateReport | None = None
        self._generation = 0
        self.written_services: set[str] = set()
        # What the resources planned in this process will write, for `lborg_commit`'s plan.
        self.ledger = PlanLedger()
        # LBORG_READ_CACHE=off reads once per resource; it exists to measure what the cache saves.
        self.cache_enabled = os.environ.get("LBORG_READ_CACHE", "on").lower() != "off"

    def config(self) -> dict[str, Any]:
        """The cached `list dumpconfig`; at most one request is in flight at a time."""
        with self._read_lock:
            if self._config is not None:
                return self._config
            generation = self._generation
            fetched = self.client.dumpconfig()
            if generation == self._generation and self.cache_enabled:
                self._config = fetched
            return fetched

    def server_states(self) -> StateReport:
        """Real servers' states as the appliance reports them (`model.server_states`), read once
        per provider process like the configuration and dropped with it after a write."""
        from lborg_provider.client.errors import ApplianceActionError, ApplianceProtocolError

        with self._read_lock:
            if self._states is not None:
                return self._states
            generation = self._generation
            try:
                report = StateReport(reported_states(self.client.nodestatus()), "")
            except ApplianceProtocolError as error:  # nodestatus has no documented answer
                report = StateReport(None, f"its nodestatus answer is not one the provider reads ({error})")
            except ApplianceActionError as error:
                report = StateReport(
                    None, f"nodestatus answered {error.status}: {error.detail or '(no message)'}"
                )
            except UnreadableStates as error:
                raise ApplianceProtocolError(
                    self.name, f"appliance {self.name}: nodestatus: {error}; the provider does not guess"
                ) from None
            if report.states is None and not report.why:
                report = StateReport(None, "its nodestatus has no real-server states")
            if generation == self._generation and self.cache_enabled:
                self._states = report
            return report

    def invalidate(self, config: dict[str, Any] | None = None) -> None:
        """Drop what was read; `config`: the configuration as the write just answered left it."""
        with self._read_lock:
            self._config = config if self.cache_enabled else None
            self._states = None
            self._generation += 1

    def submit(
        self,
        actions: Sequence[Action],
        *,
        services: Sequence[str] = (),
        idempotent: bool = False,
        read_back: bool = False,
    ) -> list[ActionResult]:
        """Send `actions` in the next batch and return their results, failures included.

        `services` names the services whose configuration the actions change, so the commit
        resource knows what to reload even when the change repaired drift. The read cache is
        dropped once the batch is answered; with `read_back` (the caller reads the configuration
        next) the batch's own call brings the new configuration, which becomes the cache.
        """
        try:
            return self._writes.submit(actions, idempotent=idempotent, read_back=read_back)
        finally:
            self.written_services.update(services)

    def write(self, actions: Sequence[Action], **options: Unpack[WriteOptions]) -> list[ActionResult]:
        """Like `submit`, but the first non-success of these actions is raised (naming any others)."""
        from lborg_provider.client.api import raise_for_results

        results = self.submit(actions, **options)
        raise_for_results(self.name, actions, results)
        return results

    @property
    def batch_stats(self) -> BatchStats:
        return self._writes.stats

    def _send(self, actions: Sequence[Action], idempotent: bool) -> list[ActionResult]:
        try:
            return self.client.call(actions, idempotent=idempotent)
        finally:
            self.invalidate()

    def _send_and_read(self, actions: Sequence[Action], idempotent: bool) -> list[ActionResult]:
        """Send `actions` with `list dumpconfig` after them, in one call; the configuration it
        answers (as the batch left it) becomes the read cache. An answer that is not one cannot
        be read is left alone: the next reader then reads, and says what is wrong with it."""
        from lborg_provider.client.api import DUMPCONFIG
        from lborg_provider.client.errors import ApplianceProtocolError

        config: dict[str, Any] | None = None
        try:
            *results, answer = self.client.call([*actions, DUMPCONFIG], idempotent=idempotent)
            if answer.ok:
                with contextlib.suppress(ApplianceProtocolError):
                    config = self.client.config_of(answer)
            return results
        finally:
            self.invalidate(config)


@dataclass(frozen=True)
class StateReport:
    """What the appliance says of its real servers' states: `states` None when it says nothing
    (`why` then says how that showed)."""

    states: dict[ServerKey, str] | None
    why: str


class NotConfigured(Exception):
    """The provider block could not be resolved; the reason was reported by ConfigureProvider."""


class ProviderData:
    """What the provider hands to each resource and data source: its connection, once configured.

    Resources get this, never the provider itself (the provider imports every resource type, so a
    resource that knew the provider would close an import circle). Terraform validates
    configuration in a process whose provider block is never configured; then `connection()`
    raises `NotConfigured` with the reason, which the resource reports as a diagnostic.
    """

    def __init__(self) -> None:
        self._connection: ApplianceConnection | None = None
        self._problem = "the provider block was not configured"

    def configured(self, connection: ApplianceConnection) -> None:
        self._connection = connection

    def unavailable(self, problem: str) -> None:
        """Why there is no connection (said by every resource that needs one)."""
        self._problem = problem

    def client_or_none(self) -> ApplianceClient | None:
        """The connection's API client, None when the block was never configured (a benchmark's
        count of requests)."""
        return None if self._connection is None else self._connection.client

    def connection(self) -> ApplianceConnection:
        if self._connection is None:
            raise NotConfigured(self._problem)
        return self._connection
