"""Entry point of the `terraform-provider-lborg` executable that Terraform starts.

Kept tiny on purpose: Terraform starts the provider three or four times per command, so only the
provider class and `tf`'s runner are imported here; the HTTP client is imported on first use.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Serve the provider over Terraform's plugin protocol until Terraform stops it."""
    from tf.runner import run_provider

    from lborg_provider.provider import LborgProvider

    run_provider(LborgProvider(), argv if argv is not None else sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
