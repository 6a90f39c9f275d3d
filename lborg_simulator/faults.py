"""Fault injection for tests: HTTP 500s, latency, time-outs, `failed` statuses, dropped connections,
and answers lost after the actions ran.

Two families. `http500`, `timeout`, `failed` and `drop` fail the request before anything runs: the
configuration is untouched, so a client that retries or re-applies is safe. `late`, `lost` and
`cut` run the actions first and then lose the answer (it comes after the client gave up, as an
HTTP 500, or not at all): the appliance changed but the client cannot know, which is what a
network cut or an overloaded appliance does to a create.

Off by default. Settings come from the command line and can be replaced at run time by
`<state dir>/faults.json`, which is re-read on every request (write it atomically; delete it to
return to the command-line settings). A seed makes a failing run replayable: the n-th request
after start (or after the file changed) meets the same fault.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lborg_support.files import write_atomic

#: Kinds that answer before running anything.
NOTHING_APPLIED_KINDS = ("http500", "timeout", "failed", "drop")
#: Kinds that run the actions and then lose the answer: `late` answers after `timeout_s`, `lost`
#: answers HTTP 500, `cut` closes the connection without an answer.
APPLIED_KINDS = ("late", "lost", "cut")
FAULT_KINDS = NOTHING_APPLIED_KINDS + APPLIED_KINDS
#: Kinds used when none are named. The applied kinds must be asked for: they leave changes the
#: client never heard of, and a seed printed before they existed must replay the same faults.
DEFAULT_KINDS = NOTHING_APPLIED_KINDS


@dataclass(frozen=True)
class FaultSettings:
    rate: float = 0.0
    kinds: tuple[str, ...] = DEFAULT_KINDS
    seed: int | None = None
    latency_ms: int = 0
    timeout_s: float = 30.0

    @staticmethod
    def parse(data: object, where: str) -> FaultSettings:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected a JSON object")
        unknown = set(data) - {"rate", "kinds", "seed", "latency_ms", "timeout_s"}
        if unknown:
            raise ValueError(f"{where}: unknown key '{sorted(unknown)[0]}'")
        rate = float(data.get("rate", 0.0))
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"{where}: rate {rate} is not between 0 and 1")
        kinds_value = data.get("kinds", list(DEFAULT_KINDS))
        kinds = tuple(kinds_value.split(",") if isinstance(kinds_value, str) else kinds_value)
        return FaultSettings(
            rate=rate,
            kinds=validate_kinds(kinds, where),
            seed=None if data.get("seed") is None else int(data["seed"]),
            latency_ms=int(data.get("latency_ms", 0)),
            timeout_s=float(data.get("timeout_s", 30.0)),
        )


def validate_kinds(kinds: tuple[str, ...], where: str) -> tuple[str, ...]:
    cleaned = tuple(kind.strip() for kind in kinds if kind.strip())
    for kind in cleaned:
        if kind not in FAULT_KINDS:
            raise ValueError(f"{where}: fault kind '{kind}' is not one of {', '.join(FAULT_KINDS)}")
    if not cleaned:
        raise ValueError(f"{where}: no fault kind given")
    return cleaned


@dataclass
class FaultInjector:
    defaults: FaultSettings
    runtime_file: Path
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _active: FaultSettings | None = None
    _source: object = None
    _random: random.Random = field(default_factory=random.Random)
    #: Faults met since start, by kind; also in `faults-seen.json` beside the run-time file, so a
    #: test can check that its faults really happened.
    seen: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._activate(self.defaults, "defaults")

    def _activate(self, settings: FaultSettings, source: object) -> None:
        self._active = settings
        self._source = source
        self._random = random.Random(settings.seed)

    def _current(self) -> FaultSettings:
        try:
            text = self.runtime_file.read_text()
        except FileNotFoundError:
            if self._source != "defaults":
                self._activate(self.defaults, "defaults")
            assert self._active is not None
            return self._active
        if text != self._source:
            try:
                settings = FaultSettings.parse(json.loads(text), str(self.runtime_file))
            except (ValueError, TypeError) as error:
                raise ValueError(f"fault settings rejected: {error}") from None
            self._activate(settings, text)
        assert self._active is not None
        return self._active

    def draw(self) -> tuple[str | None, FaultSettings]:
        """The fault for this request (or None) and the settings it was drawn under."""
        with self._lock:
            settings = self._current()
            if settings.rate <= 0.0:
                return None, settings
            if self._random.random() >= settings.rate:
                return None, settings
            kind = self._random.choice(settings.kinds)
            self.seen[kind] += 1
            self._write_seen()
            return kind, settings

    def _write_seen(self) -> None:
        target = self.runtime_file.with_name("faults-seen.json")
        write_atomic(target, (json.dumps(dict(sorted(self.seen.items()))) + "\n").encode())
