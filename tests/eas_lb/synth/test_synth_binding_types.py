"""A value of the wrong type is still refused without jsii's runtime type checks in the bindings.

The bindings are generated without them (eas_lb/tools/regenerate_bindings.py says why): mypy
checks the constructs that call them, and jsii's kernel refuses the value when it crosses to
Node.js, naming the attribute. This keeps that second half true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eas_lb.synth.framework import App, Layer7RealServer, TerraformStack


def test_a_number_given_as_text_is_refused_naming_the_attribute(tmp_path: Path) -> None:
    stack = TerraformStack(App(outdir=str(tmp_path)), "types")
    with pytest.raises(RuntimeError, match=r"Key 'port': Unable to deserialize value as number"):
        Layer7RealServer(stack, "server", vip="V", label="L", ip="127.0.0.1", port="eighty")  # type: ignore[arg-type]
