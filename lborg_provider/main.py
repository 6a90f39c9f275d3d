"""Entry point of the `terraform-provider-lborg` executable that Terraform starts.

Kept tiny on purpose: Terraform starts the provider three or four times per command, so only the
provider class and `tf`'s runner are imported here; the HTTP client is imported on first use.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Serve the provider over Terraform's plugin protocol until Terraform stops it."""
    from tf.runner import run_provider

    from lborg_provider.provider import LborgProviderPlugin
    from lborg_provider.runtime import graceful

    graceful.install()
    run_provider(LborgProviderPlugin(), argv if argv is not None else sys.argv)
    current = graceful.GracefulShutdown.current
    if current is not None and current.forced:
        # Stopped by SIGTERM or by the death of terraform: a call may still be stuck on the network,
        # and its worker thread would keep the interpreter alive; nobody waits for its result.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
