"""`python -m eas_lb.demo`, the documented entry point; the code is in `eas_lb.operations.demo`."""
