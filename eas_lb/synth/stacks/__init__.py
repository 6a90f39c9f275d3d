"""Stacks per HA pair: `<site>-<pair>-vms` (appliance VMs) and `<site>-<pair>-lb` (scenario 1 or 2).

`app.build_stacks` adds a site's stacks to an app; `names` names them without loading cdktf. The
package itself imports nothing, so a command that only names a stack loads no framework.
"""
