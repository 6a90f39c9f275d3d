"""`eas-lb adopt`: from the live configuration of a pair configured by hand to code."""
