"""Subcommands of `python -m eas_lb` that belong to the construct side (pools and site files)."""
