"""`eas-lb servers`: one line per EAS server (`--detail`: per VIP and appliance), read from the live
appliances, and `--wait-drained`."""
