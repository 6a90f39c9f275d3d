"""Terraform plans in the words of pools.txt, one floor below plan review and drift.

The chain is pure but for `planner`, which runs Terraform: ``terraform show -json`` →
:mod:`plan_json` (validated input) → :mod:`changes` (typed change model, secrets masked) →
:mod:`wording`, :mod:`reloads`, :mod:`maintenance` (meaning in pool terms), with
:mod:`appliance_index` naming the appliance of each resource. Plan review renders it for a pull
request; drift reads a refresh-only plan with it.
"""
