"""Operator hooks for the disruptive tests: how to stop and start an EAS server or an appliance.

Verify cannot know how a site stops an EAS server (the EAS Craft menu, a hypervisor, a script),
so the disruptive tests run commands the operator gives, with `{ip}` or `{name}` filled in.
The demo passes hooks that drive its simulators.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass


class HookError(RuntimeError):
    """A hook command failed; the message names the hook and its output."""


@dataclass(frozen=True)
class Hooks:
    server_stop: str | None = None
    server_start: str | None = None
    appliance_stop: str | None = None
    appliance_start: str | None = None

    def missing(self, *which: str) -> list[str]:
        """The command-line options of the hooks among `which` that were not given."""
        return [f"--{name.replace('_', '-')}-cmd" for name in which if getattr(self, name) is None]

    def run(self, which: str, **values: str) -> None:
        template: str | None = getattr(self, which)
        if template is None:
            raise HookError(f"no --{which.replace('_', '-')}-cmd given")
        argv = [part.format(**values) for part in shlex.split(template)]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise HookError(
                f"{which} hook '{' '.join(argv)}' exited {result.returncode}: {' | '.join(output)}"
            )
