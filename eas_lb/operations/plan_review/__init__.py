"""Plan review: the JSON plans of every stack as a risk-flagged markdown summary.

The plans are read in pool terms by the floor below (:mod:`eas_lb.operations.plans`); here
:mod:`risks` flags what a reviewer must look at, :mod:`review` gathers one review,
:mod:`render` writes the markdown and :mod:`command` is `eas-lb plan-review`.
"""
