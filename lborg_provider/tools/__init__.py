"""Commands around the provider (`python -m lborg_provider ...`): install it into a filesystem
mirror, lock it, generate its documentation, and check an appliance read-only (`doctor`).

They sit on top of the provider: nothing below imports them.
"""
