"""Hashboard's records as its API sends them: GRNs (``type:id[:alias]``) and resource specs."""

from __future__ import annotations

from typing import Any


def serialize_grn(value: Any) -> str:
    """GRN is a string ``type:id[:alias]``; anything else is a mock defect."""
    if not isinstance(value, str) or value.count(":") not in (1, 2):
        raise TypeError(f"GRN cannot represent {value!r}")
    return value
