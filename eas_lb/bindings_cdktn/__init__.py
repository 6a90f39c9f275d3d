"""Generated CDK Terrain (cdktn) bindings for the lborg provider (see README.md; never edit by hand)."""
