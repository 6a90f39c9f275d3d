"""Conformance of the simulator to the vendor's documented lbcli API."""
