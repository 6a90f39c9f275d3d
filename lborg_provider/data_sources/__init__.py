"""Data sources of the provider, one module each."""
