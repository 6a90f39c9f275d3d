"""Synthesis: the cdktf constructs, the stacks and the site app that turn the models into Terraform JSON.

Imports `eas_lb.guide` and `eas_lb.inputs`, and the generated bindings in `eas_lb.bindings`.
Never speaks HTTP or SSH: what reaches an appliance goes through Terraform and the provider.
"""
