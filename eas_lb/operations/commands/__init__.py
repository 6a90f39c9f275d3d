"""Subcommands of `eas-lb` that belong to the construct side (pools and site files)."""
