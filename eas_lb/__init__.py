"""EAS load balancing as code: pools.txt and site files → CDKTF stacks for Loadbalancer.org appliances.

The CDK side of the project. `constructs/` and `stacks/` live inside this package because a
top-level package named `constructs` would shadow the `constructs` library that cdktf imports.
"""

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    """The installed distribution's version (`eas-lb`, which also ships the provider and simulator)."""
    try:
        return version("eas-lb")
    except PackageNotFoundError:
        return "0.1.0 (not installed: run from a checkout)"


class SetupError(ImportError):
    """What was asked cannot run on this installation as it is set up: a setting names something
    that is not installed (`EAS_LB_FRAMEWORK=cdktn` without the `cdktn` extra, an unknown value).
    Entry points print it as it is, without a traceback: the message says what to install or set."""
