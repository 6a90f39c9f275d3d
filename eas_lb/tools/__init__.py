"""Maintenance commands of the construct side (not used at synth time)."""
