"""Terraform provider `local/lborg/lborg` for Loadbalancer.org appliances, built on `tf`.

Layers, bottom to top: `model` (field tables and allowed values, no Terraform, no network),
`client` (the HTTP API client, no Terraform: tests and tools use it on their own), `runtime` (one
provider process), `resources` (one module per type), `provider` and `main`, then `tools`. The
contracts in `.importlinter` hold them (see lborg_provider/README.md).
"""

PROVIDER_HOST = "local"
PROVIDER_NAMESPACE = "lborg"
PROVIDER_TYPE = "lborg"
PROVIDER_VERSION = "0.1.0"
PROVIDER_SOURCE = f"{PROVIDER_HOST}/{PROVIDER_NAMESPACE}/{PROVIDER_TYPE}"
