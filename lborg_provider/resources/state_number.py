"""A Number attribute type whose state values Terraform decodes exactly as it decodes its state file.

Terraform compares the state it read from its file with the state a refresh returned using Go's
`reflect.DeepEqual`, and that comparison includes the decoded value it caches for each object,
down to the precision of every number's `big.Float`. A number read back from the state file
(JSON text) is parsed with 512 bits of precision; a number a provider sends as a MessagePack
integer is decoded with 64 bits (53 for a float). The values are equal, but the objects are not,
so `terraform plan -refresh-only -detailed-exitcode` reported a change (exit 2, "No changes") for
every resource with a number attribute. Sent as decimal text, the number takes Terraform's
text path (`cty.ParseNumberVal`, 512 bits), the same as the state file's, and a refresh that
found nothing reads as nothing.

The class keeps the name `Number`: the `tf` framework treats types of that name as scalars when
it decides whether to reuse an encoded value, and reuses the old encoding only when it is equal
to the new one (an integer never equals its text), so every number leaves as text.
"""

from __future__ import annotations

from typing import Any

from tf import types as tf_types


class Number(tf_types.Number):  # type: ignore[misc]
    """A Terraform number, encoded as decimal text and decoded from a number or text."""

    def encode(self, value: Any) -> Any:
        return encode_number(value)

    def decode(self, value: Any) -> Any:
        return decode_number(value)


def encode_number(value: Any) -> Any:
    """`30` → `"30"`, `0.5` → `"0.5"`; None and non-numbers (Unknown) pass unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def decode_number(value: Any) -> Any:
    """Terraform sends numbers as integers, floats, or text when too large or too precise."""
    if not isinstance(value, str):
        return value
    parsed = float(value)
    if parsed.is_integer() and "." not in value and "e" not in value.lower():
        return int(value)
    return int(parsed) if parsed.is_integer() else parsed
