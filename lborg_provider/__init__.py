"""Terraform provider `local/lborg/lborg` for Loadbalancer.org appliances, built on `tf`.

The API client lives in `lborg_provider.client` and has no Terraform dependency, so the simulator's
tests and other tools can use it on its own.
"""

PROVIDER_HOST = "local"
PROVIDER_NAMESPACE = "lborg"
PROVIDER_TYPE = "lborg"
PROVIDER_VERSION = "0.1.0"
PROVIDER_SOURCE = f"{PROVIDER_HOST}/{PROVIDER_NAMESPACE}/{PROVIDER_TYPE}"
