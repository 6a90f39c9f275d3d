"""Coalesce concurrent writes to one appliance into batches (group commit), one batch at a time.

Terraform applies up to ten resources at once in one provider process. Each resource submits its
own short list of lbcli actions (a *request*); whoever finds no batch in flight sends every request
queued at that moment as one API call, and the others wait for their results. While that call is
on the wire, new requests queue up and leave together in the next one. So batches grow with
whatever the appliance's latency makes wait, and no request waits for a timer.

Attribution stays per request: each request gets exactly the results of its own actions. The
appliance's front-end runs every action of a batch on its own (one lbcli call each); an
implementation that instead stopped at the first failure would answer the actions after it with
a generic `failed`. Both are handled: results up to and including the batch's first failure are
final; a generic `failed` of *another* request after that point is sent again in the next batch
(an action that genuinely failed then fails again, as the first failure of its batch, and is
final), unless some action after the first failure succeeded, which shows the appliance ran them
all. Actions of one request after its own failure are never sent again: a request's actions
may depend on each other (delete, then add).

A request may ask for a read back (`read_back`): its resource will need the configuration as the
batch left it (a value the plan could not know). Its batch is then sent with `send_and_read`,
which asks the appliance for the configuration in the same call, after the batch's writes, so no
read of its own follows a batch that could have answered it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lborg_provider.client.envelope import Action, ActionResult

#: Most actions per API call: the appliance runs lbcli once per action, and one call must finish
#: well within the request time-out even on a slow appliance.
MAX_BATCH_ACTIONS = 32
#: The status an appliance gives to a failure that names no specific cause (so it may be "not run").
GENERIC_FAILURE = "failed"

#: Longest a batch waits for more requests before it leaves, and that wait as a share of how long
#: the previous batch took: resources whose write was just answered hand Terraform their result
#: and the next ones arrive a little later (Terraform plans each again before it applies it); a
#: wait lets them share the next call instead of forming one of their own, and each call costs the
#: appliance a save of its whole configuration (and a copy to its HA peer). The wait ends as soon
#: as as many requests wait as were waiting or on the wire at once during the previous round (how
#: many resources Terraform keeps going, as seen lately): nobody else is coming. On a fast
#: appliance the wait shrinks with the calls.
MAX_LINGER_SECONDS = 0.25
LINGER_SHARE = 0.5

Sender = Callable[[Sequence[Action], bool], list[ActionResult]]


@dataclass
class WriteRequest:
    """One resource's actions, kept together and in order inside whatever batch carries them."""

    actions: list[Action]
    idempotent: bool
    read_back: bool = False
    results: list[ActionResult | None] = field(default_factory=list)
    error: BaseException | None = None
    done: bool = False
    #: Index of the first action not yet answered for good.
    next_index: int = 0

    def __post_init__(self) -> None:
        self.results = [None] * len(self.actions)

    def pending(self) -> list[Action]:
        return self.actions[self.next_index :]


# Counters alike lborg_simulator/appliance.py's Counters in shape; the provider never imports it.
@dataclass
class BatchStats:
    """What one provider process sent; useful in logs and tests."""

    batches: int = 0
    actions: int = 0
    resent: int = 0
    largest: int = 0


class WriteCoalescer:
    """Serialize writes to one appliance while sending concurrent ones together."""

    def __init__(
        self,
        send: Sender,
        *,
        send_and_read: Sender | None = None,
        max_actions: int = MAX_BATCH_ACTIONS,
        max_linger: float = MAX_LINGER_SECONDS,
    ) -> None:
        """`send_and_read`: sends a batch of which a request asked for a read back (the module
        docstring); without it, such a batch is sent like any other."""
        self._send = send
        self._send_and_read = send_and_read or send
        self._max_actions = max_actions
        self._max_linger = max_linger
        self._last_call_seconds = 0.0
        self._cond = threading.Condition()
        self._queue: list[WriteRequest] = []
        self._sending = False
        #: Requests in the batch on the wire; the most waiting or on the wire at once since the
        #: last batch left (this round), and in the round before (what a lingering batch waits for).
        self._on_wire = 0
        self._round_peak = 0
        self._peak = 0
        self.stats = BatchStats()

    def submit(
        self, actions: Sequence[Action], *, idempotent: bool, read_back: bool = False
    ) -> list[ActionResult]:
        """Send `actions` (possibly with other requests' actions) and return their results;
        `read_back`: the batch also reads the configuration back (the module docstring).

        Transport failures (unreachable, authentication, protocol) are raised to every request
        of the failed batch. Action statuses are returned, never raised.
        """
        request = WriteRequest(list(actions), idempotent, read_back)
        if not request.actions:
            return []
        with self._cond:
            self._queue.append(request)
            self._round_peak = max(self._round_peak, len(self._queue) + self._on_wire)
            self._cond.notify_all()  # a lingering batch may take this request along
            while not request.done:
                if self._sending:
                    self._cond.wait()
                    continue
                self._sending = True
                try:
                    self._linger()
                except BaseException:
                    self._sending = False
                    self._cond.notify_all()
                    raise
                batch = self._take()
                self._on_wire = len(batch)
                self._peak, self._round_peak = self._round_peak, len(self._queue) + len(batch)
                self._cond.release()
                started = time.monotonic()
                try:
                    self._run(batch)
                finally:
                    self._last_call_seconds = time.monotonic() - started
                    self._cond.acquire()
                    self._sending = False
                    self._on_wire = 0
                    for item in reversed(batch):
                        if not item.done:
                            self._queue.insert(0, item)  # re-sent first, in the same order
                    self._cond.notify_all()
        if request.error is not None:
            raise request.error
        return [result for result in request.results if result is not None]

    def _linger(self) -> None:
        """Wait (lock released) for more requests, up to a share of the last call's duration, or
        until as many wait as did at once in the previous round (see `MAX_LINGER_SECONDS`)."""
        deadline = time.monotonic() + min(self._max_linger, self._last_call_seconds * LINGER_SHARE)
        while (
            sum(len(r.pending()) for r in self._queue) < self._max_actions and len(self._queue) < self._peak
        ):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._cond.wait(remaining)

    def queued(self) -> int:
        """Requests waiting for the next batch."""
        with self._cond:
            return len(self._queue)

    def _take(self) -> list[WriteRequest]:
        """The longest prefix of the queue within the size limit (always at least one request)."""
        batch: list[WriteRequest] = []
        size = 0
        while self._queue:
            count = len(self._queue[0].pending())
            if batch and size + count > self._max_actions:
                break
            batch.append(self._queue.pop(0))
            size += count
        return batch

    def _run(self, batch: list[WriteRequest]) -> None:
        actions = [action for request in batch for action in request.pending()]
        idempotent = all(request.idempotent for request in batch)
        self.stats.batches += 1
        self.stats.actions += len(actions)
        self.stats.largest = max(self.stats.largest, len(actions))
        send = self._send_and_read if any(request.read_back for request in batch) else self._send
        try:
            results = send(actions, idempotent)
        except BaseException as error:
            for request in batch:
                request.error = error
                request.done = True
            if not isinstance(error, Exception):
                raise  # KeyboardInterrupt and the like still stop this thread, after the others wake
            return
        self.stats.resent += settle(batch, results)


def settle(batch: list[WriteRequest], results: Sequence[ActionResult]) -> int:
    """Give each request its results, in batch order; return how many actions must be sent again.

    See the module docstring for which results are final.
    """
    position = 0
    failure_seen = False
    resent = 0
    # A success after a failure shows the appliance ran the whole batch: every answer is final.
    first_failure = next((i for i, result in enumerate(results) if not result.ok), len(results))
    ran_everything = any(result.ok for result in results[first_failure:])
    for request in batch:
        start = request.next_index
        own = results[position : position + len(request.actions) - start]
        position += len(own)
        for offset, result in enumerate(own):
            index = start + offset
            if failure_seen and not ran_everything and not result.ok and result.status == GENERIC_FAILURE:
                request.next_index = index  # possibly never run: send it (and what follows) again
                resent += len(request.actions) - index
                break
            request.results[index] = result
            if not result.ok:
                failure_seen = True
                for later in range(offset + 1, len(own)):
                    request.results[start + later] = own[later]
                request.done = True
                break
        else:
            request.next_index = len(request.actions)
            request.done = True
    return resent
