"""Generated cdktf bindings for the lborg provider (see README.md; never edit by hand)."""
