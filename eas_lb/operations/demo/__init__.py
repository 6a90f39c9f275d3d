"""The demo: a simulated HA pair and stand-in EAS servers on loopback, deployed with cdktf, verified."""
