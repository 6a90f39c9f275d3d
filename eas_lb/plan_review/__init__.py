"""`python -m eas_lb.plan_review`, as documented; the code lives in `eas_lb.operations.plan_review`."""
