"""EAS load balancing as code: pools.txt and site files → CDKTF stacks for Loadbalancer.org appliances.

The CDK side of the project. `constructs/` and `stacks/` live inside this package because a
top-level package named `constructs` would shadow the `constructs` library that cdktf imports.
"""

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def package_version() -> str:
    """The installed distribution's version (`eas-lb`, which also ships the provider and simulator).

    Read once per process: importlib.metadata parses the distribution's metadata on every call
    (about 5 ms), and `main` asks for it for every command it runs."""
    try:
        return version("eas-lb")
    except PackageNotFoundError:
        return "0.1.0 (not installed: run from a checkout)"


class SetupError(ImportError):
    """What was asked cannot run on this installation as it is set up: a setting names something
    that is not installed (`EAS_LB_FRAMEWORK=cdktn` without the `cdktn` extra, an unknown value).
    Entry points print it as it is, without a traceback: the message says what to install or set."""
