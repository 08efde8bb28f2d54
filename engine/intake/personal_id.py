"""The personal identification number (số định danh cá nhân, law.md P1): never shown in full unasked.

Every output masks it — all but its last three digits — except where a user asks for it explicitly
(`dtbd export --show-personal-id`). Problems about it show it masked too.
"""

from __future__ import annotations

FIELD = "personal_id"
_SHOWN = 3


def mask(value: object) -> object:
    """`value` with all but its last three characters replaced by '*' (None stays None)."""
    if value is None:
        return None
    text = str(value)
    if len(text) <= _SHOWN:
        return "*" * len(text)
    return "*" * (len(text) - _SHOWN) + text[-_SHOWN:]


def is_masked(value: object) -> bool:
    """Whether `value` looks like a masked number (an export without --show-personal-id, loaded back)."""
    return isinstance(value, str) and value.startswith("*")


__all__ = ["FIELD", "is_masked", "mask"]
