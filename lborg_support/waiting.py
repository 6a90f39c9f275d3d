"""Waiting for a condition with a deadline: the one poll loop of the project.

A caller says what it waits for and for how long; it gets back how long the wait took, or ``None``
when the deadline passed, and decides itself what a time-out means (an error, a failed check).
"""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], bool], timeout: float, *, interval: float = 0.1) -> float | None:
    """Seconds until ``condition()`` held, or None when ``timeout`` seconds passed first.

    The condition is tried at once, then every ``interval`` seconds, and once more at the deadline,
    so a condition that holds in time is never reported late.
    """
    started = time.monotonic()
    deadline = started + timeout
    while True:
        if condition():
            return time.monotonic() - started
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        time.sleep(min(interval, remaining))
