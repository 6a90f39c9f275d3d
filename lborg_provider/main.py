"""Entry point of the `terraform-provider-lborg` executable that Terraform starts.

Kept tiny on purpose: Terraform starts the provider three or four times per command, so only the
provider class and `tf`'s runner are imported here; the HTTP client is imported on first use.
"""

from __future__ import annotations

import contextlib
import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Serve the provider over Terraform's plugin protocol until Terraform stops it."""
    from tf.runner import run_provider

    from lborg_provider.provider import LborgProviderPlugin
    from lborg_provider.runtime import graceful, plugin_protocol

    graceful.install()
    plugin_protocol.install()
    run_provider(LborgProviderPlugin(), argv if argv is not None else sys.argv)
    current = graceful.GracefulShutdown.current
    if current is not None and current.forced:
        exit_now()
    return 0


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
