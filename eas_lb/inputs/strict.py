"""The one base of every site-file model: unknown keys are refused and a loaded model never changes.

A misspelt key in site.yaml must fail with its line instead of being ignored, and the models are
shared by synth, verify and adopt, so none of them may edit what the operator wrote.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """`extra="forbid"` (a typo is an error) and `frozen=True` (the site as read is the site used)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
