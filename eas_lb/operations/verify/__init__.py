"""`eas-lb verify`: the site's VIPs checked live, on every appliance of every pair,
with traffic through each VIP and, with `--disruptive`, a drain, a health check and a fail-over."""
