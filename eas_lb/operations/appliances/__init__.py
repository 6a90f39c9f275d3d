"""The appliances as the features of `operations` see them, one floor below the features.

API clients per pair (`clients`), the real servers as the appliance has them now (`live_servers`),
which nodes answer (`reachability`), the site's VIPs as targets (`targets`) and the global check
settings against the guide (`config_check`). `verify`, `servers`, `drift`, `adopt` and the
commands read live appliances through here, never through each other.
"""
