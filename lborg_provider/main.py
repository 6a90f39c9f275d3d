"""Entry point of the `terraform-provider-lborg` executable that Terraform starts.

Kept tiny on purpose: Terraform starts the provider three or four times per command, so only the
provider class and `tf`'s runner are imported here; the HTTP client is imported on first use.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from typing import Any

#: A file to which each provider process appends one JSON line of its costs when it ends (the
#: site benchmark's split of wall time): CPU seconds before serving and in all, and its requests.
STATS_FILE_ENV = "LBORG_STATS_FILE"


def main(argv: list[str] | None = None) -> int:
    """Serve the provider over Terraform's plugin protocol until Terraform stops it."""
    from tf.runner import run_provider

    from lborg_provider.provider import LborgProviderPlugin
    from lborg_provider.runtime import graceful, plugin_certificate, plugin_protocol

    graceful.install()
    plugin_protocol.install()
    plugin_certificate.install()
    plugin = LborgProviderPlugin()
    start_cpu = time.process_time()
    run_provider(plugin, argv if argv is not None else sys.argv)
    if os.environ.get(STATS_FILE_ENV):
        write_stats(os.environ[STATS_FILE_ENV], plugin, start_cpu)
    current = graceful.GracefulShutdown.current
    if current is not None and current.forced:
        exit_now()
    return 0


def write_stats(path: str, plugin: Any, start_cpu: float) -> None:
    """One line of this process's costs (`STATS_FILE_ENV`); nothing secret, no failure raised."""
    client = plugin.data.client_or_none()
    line = {
        "pid": os.getpid(),
        "start_cpu": round(start_cpu, 4),
        "cpu": round(time.process_time(), 4),
        "requests": client.requests_sent if client is not None else 0,
        "request_seconds": round(client.request_seconds, 4) if client is not None else 0.0,
    }
    with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


def exit_now() -> None:
    """End the process at once, whatever its threads are doing.

    Stopped by SIGTERM or by the death of terraform: a call may still be stuck on the network,
    and its worker thread would keep the interpreter alive; nobody waits for its result. The
    output is flushed if it can be: after terraform died its pipes have no reader, the flush
    fails, and that failure must not stop the exit (it would leave the process waiting for its
    threads, outliving terraform).
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
