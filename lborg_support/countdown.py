"""Time left while a command waits: a live line on a terminal, a line per minute in a log.

A drain of several minutes with nothing on screen looks like a hang, and a log (CI) that gets a
line per second is unreadable. So on a terminal rich draws one line that it redraws in place
(`rich.live.Live`), with the time left and the clock time the wait ends; elsewhere a line is
printed when the wait starts and then once a minute. Other output goes through `say`, which on a
terminal prints above the live line, so nothing the command relays (Terraform's lines) is lost.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.live import Live

#: Seconds between two lines when the output is not a terminal.
LOG_EVERY = 60.0
#: Seconds by which a wait's end may move and still be the same wait.
JITTER = 2.0


def clock_time(epoch: float) -> str:
    """`21:50:10 UTC`: when a wait ends, in the time zone logs and appliances use."""
    return time.strftime("%H:%M:%S UTC", time.gmtime(epoch))


def duration(seconds: float) -> str:
    """`4 min 10 s`, `45 s`: a time left, rounded up to the second (0 s only when it is over)."""
    whole = max(0, int(-(-seconds // 1)))
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


class Countdown:
    """`with Countdown(stream) as wait: wait.set(what, until); ... wait.tick()`.

    `what` says what is waited for (`EAS 10.0.0.5 drains on 7 VIPs`), `until` when it ends (seconds
    since the epoch). `tick()` is called by the waiting loop; on a terminal the line redraws itself.
    """

    def __init__(
        self,
        stream: IO[str] | None = None,
        *,
        terminal: bool | None = None,
        every: float = LOG_EVERY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.every = every
        self.clock = clock
        self.what: str | None = None
        self.until = 0.0
        self._logged_at: float | None = None
        self._lock = threading.Lock()
        self._console: Console | None = None
        self._live: Live | None = None

    def line(self) -> str:
        """`EAS 10.0.0.5 drains on 7 VIPs: 4 min 10 s left, until 21:50:10 UTC`."""
        left = self.until - self.clock()
        if left <= 0:
            return f"{self.what}: its time has run (since {clock_time(self.until)})"
        return f"{self.what}: {duration(left)} left, until {clock_time(self.until)}"

    def set(self, what: str, until: float) -> None:
        """Wait for `what` until `until`; a new wait (or an end moved by more than JITTER seconds)
        is said at once in a log. A caller that counts from its own reads may pass an end that
        moves by a second from one read to the next: that is the same wait, and keeps its end."""
        with self._lock:
            same_end = abs(until - self.until) <= JITTER
            changed = what != self.what or not same_end
            self.what, self.until = what, (self.until if same_end else until)
        if self.terminal:
            self._start_live()
        elif changed:
            self._log()

    def clear(self) -> None:
        """Nothing is waited for any more: the live line goes."""
        with self._lock:
            self.what = None
        self._stop_live()

    def tick(self) -> None:
        """In a log, a line when a minute passed since the last one; on a terminal, nothing."""
        if self.what is None or self.terminal or self._logged_at is None:
            return
        if self.clock() - self._logged_at >= self.every and self.clock() < self.until + self.every:
            self._log()

    def say(self, text: str) -> None:
        """Print a line of other output; on a terminal, above the live line."""
        live = self._live
        if live is not None:
            from rich.text import Text

            live.console.print(Text.from_ansi(text.rstrip("\n")), soft_wrap=True, highlight=False)
            return
        self.stream.write(text if text.endswith("\n") else text + "\n")
        self.stream.flush()

    def _log(self) -> None:
        self._logged_at = self.clock()
        self.stream.write(f"==> {self.line()}\n")
        self.stream.flush()

    def _renderable(self) -> Any:
        from rich.text import Text

        return Text(self.line() if self.what is not None else "", style="bold")

    def _start_live(self) -> None:
        if self._live is not None:
            return
        from rich.console import Console
        from rich.live import Live

        self._console = Console(file=self.stream, force_terminal=True, highlight=False)
        self._live = Live(
            get_renderable=self._renderable,
            console=self._console,
            refresh_per_second=2,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._live.start()

    def _stop_live(self) -> None:
        live, self._live = self._live, None
        if live is not None:
            live.stop()

    def __enter__(self) -> Countdown:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop_live()
