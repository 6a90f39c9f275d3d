"""`eas-lb drift`: what changed on the appliances outside the code, in pool terms.

`command` (the CLI) < `report` (markdown and JSON) < `appliance_reads` (direct read-only reads)
< `findings` (one drifted object, with its two ways out); `issue` keeps the nightly workflow's one
issue up to date from a report.
"""
