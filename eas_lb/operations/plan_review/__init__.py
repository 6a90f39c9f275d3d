"""Plan review: turn the JSON plans of every stack into a risk-flagged markdown summary.

The flow is a chain of pure functions so each step can be tested on its own:
``terraform show -json`` document → :mod:`plan_json` (validated input) → :mod:`changes`
(typed change model, secrets already masked) → :mod:`wording`, :mod:`risks`, :mod:`reloads`
(meaning in pools.txt terms) → :mod:`render` (markdown). Only :mod:`planner` runs Terraform.
"""
