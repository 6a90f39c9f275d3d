"""Stop the way Terraform expects a provider to stop: never in the middle of an appliance call.

Terraform's plugin protocol has two different stops, and the `tf` framework's runner treats both
as "stop the gRPC server now" (grace 0), which aborts every call in flight:

- `StopProvider` is sent when the user presses Ctrl-C. It asks the provider to wind down, but
  Terraform then *waits* for the operations in flight and records their results in state. If the
  server is gone, Terraform reports "Plugin did not respond" and the VIPs the appliance just
  created are in no state (every later apply would fail with `exists`).
- `GRPCController/Shutdown` is sent when Terraform is done with the plugin (and it kills the process
  two seconds later).

This module replaces the runner's shutdown interceptor (looked up by name when the runner starts)
with one that counts the calls in flight and:

- on `StopProvider`: keeps serving; the calls in flight finish and return their results;
- on `Shutdown`, SIGTERM, or the death of the parent `terraform` (SIGKILL, a crash): waits for the
  calls in flight to finish (bounded), then stops the server so the process exits; after the
  parent died it exits even if a call is still stuck, so the provider never outlives Terraform;
- SIGINT is ignored, as Go plugins do: Ctrl-C in a terminal reaches the whole process group, and
  it is Terraform's job to decide what happens (it sends `StopProvider`).

An object whose create was cut off anyway (the process was killed outright) is recovered by the
create journal (`create_journal.py`) on the next apply.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

LOG = logging.getLogger(__name__)

SHUTDOWN_METHOD = "/plugin.GRPCController/Shutdown"
STOP_METHOD_SUFFIX = "/StopProvider"
#: How long a stop waits for calls in flight: longer than one appliance request with its retries.
DRAIN_SECONDS = 120.0
#: After the parent died nobody reads the results: finish the appliance call if it is quick.
ORPHAN_DRAIN_SECONDS = 10.0
PARENT_POLL_SECONDS = 0.5


class GracefulShutdown:
    """Drop-in for `tf.runner._ShutdownInterceptor` (same `stopped` and `server` attributes)."""

    #: The instance the runner created, for the signal handler and the parent watch.
    current: ClassVar[GracefulShutdown | None] = None

    def __init__(self) -> None:
        self.stopped = False
        self.server: Any = None
        self.forced = False
        #: Terraform sent StopProvider (Ctrl-C): long waits (a drain) end early.
        self.stop_requested = False
        self._in_flight = 0
        self._idle = threading.Condition()
        self._stopping = False
        GracefulShutdown.current = self

    # -- the interceptor -----------------------------------------------------------------------
    def intercept_service(self, continuation: Callable[[Any], Any], details: Any) -> Any:
        handler = continuation(details)
        if handler is None or getattr(handler, "unary_unary", None) is None:
            return handler
        method = str(details.method)
        inner = handler.unary_unary
        if method == SHUTDOWN_METHOD:

            def shutdown(request: Any, context: Any) -> Any:
                response = inner(request, context)
                self.stop_after_drain(DRAIN_SECONDS, reason="Terraform is done with the provider")
                return response

            return handler._replace(unary_unary=shutdown)
        if method.endswith(STOP_METHOD_SUFFIX):

            def stop(request: Any, context: Any) -> Any:
                self.stop_requested = True
                LOG.info("StopProvider: %d call(s) in flight finish and return", self._in_flight)
                return inner(request, context)

            return handler._replace(unary_unary=stop)

        def counted(request: Any, context: Any) -> Any:
            with self._idle:
                self._in_flight += 1
            try:
                return inner(request, context)
            finally:
                with self._idle:
                    self._in_flight -= 1
                    self._idle.notify_all()

        return handler._replace(unary_unary=counted)

    # -- stopping ------------------------------------------------------------------------------
    def stop_after_drain(self, seconds: float, *, reason: str, force: bool = False) -> None:
        """In a thread: wait up to `seconds` for the calls in flight, then stop serving."""
        with self._idle:
            if self._stopping:
                return
            self._stopping = True
        self.forced = force
        threading.Thread(target=self._drain, args=(seconds, reason), name="lborg-stop", daemon=True).start()

    def _drain(self, seconds: float, reason: str) -> None:
        deadline = time.monotonic() + seconds
        with self._idle:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            left = self._in_flight
        if left:
            LOG.warning("stopping (%s) with %d call(s) still in flight", reason, left)
        if self.server is not None:
            self.server.stop(grace=0.5)
        self.stopped = True


def stop_requested() -> bool:
    """Whether Terraform asked this provider to stop (Ctrl-C) or is going away."""
    current = GracefulShutdown.current
    return current is not None and (current.stop_requested or current._stopping)


def install() -> None:
    """Make the `tf` runner use `GracefulShutdown`, ignore SIGINT, drain on SIGTERM, and watch the
    parent process. Call from the main thread before `run_provider`."""
    import tf.runner

    tf.runner._ShutdownInterceptor = GracefulShutdown
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    parent = os.getppid()
    threading.Thread(target=_watch_parent, args=(parent,), name="lborg-parent-watch", daemon=True).start()


def _stop_current(seconds: float, reason: str, *, force: bool) -> None:
    current = GracefulShutdown.current
    if current is None:  # not serving yet: nothing in flight
        os._exit(0)
    current.stop_after_drain(seconds, reason=reason, force=force)


def _on_sigterm(signum: int, frame: object) -> None:
    _stop_current(DRAIN_SECONDS, "SIGTERM", force=True)


def _watch_parent(parent: int) -> None:
    """Terraform killed outright (SIGKILL) cannot say Shutdown: notice it and stop anyway."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    _stop_current(ORPHAN_DRAIN_SECONDS, "terraform exited", force=True)
