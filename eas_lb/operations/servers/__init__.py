"""`eas-lb servers`: each EAS server's state per VIP and appliance, read from the live
appliances, and `--wait-drained`."""
