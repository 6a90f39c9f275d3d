"""EAS load balancing as code: pools.txt and site files → CDKTF stacks for Loadbalancer.org appliances.

The CDK side of the project. `constructs/` and `stacks/` live inside this package because a
top-level package named `constructs` would shadow the `constructs` library that cdktf imports.
"""
