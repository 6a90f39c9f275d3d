"""The bottom of the provider: what a VIP, a real server and a `list dumpconfig` payload are.

Terraform-free and network-free, so the provider's resources and the site tools (`eas_lb`) share
one description: the field tables (`tables`), their closed sets of values (`choices`), how values
read from an appliance are normalized (`normalize`) and where they sit in its configuration
(`config_view`). Nothing here imports `tf`, `requests` or any other layer of the provider.
"""
