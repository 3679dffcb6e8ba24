"""JSON encoding that never fails: what mockbi sends or shows is encoded with orjson when it can be, and
otherwise after a cleaning pass, so an echoed lone surrogate, an integer beyond 64 bits or a document nested
deeper than orjson's limit can never turn a vendor's answer (or the journal) into aiohttp's plain-text 500.

The cleaning pass replaces a lone UTF-16 surrogate with U+FFFD, NaN and infinities with ``null``, anything
nested deeper than :data:`MAX_DEPTH` with a note saying so, non-string keys with their ``str()``, and any
other object with ``default(obj)`` (or its ``repr``). Integers of any size are kept (written by the
standard library's encoder when orjson refuses them).
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import orjson

#: levels of nesting kept by the cleaning pass (orjson itself stops at 254)
MAX_DEPTH = 200
DEEP_NOTE = f"(nested deeper than {MAX_DEPTH} levels: not shown)"

Default = Callable[[Any], Any]


def dumps(value: Any, *, default: Default | None = None, option: int | None = None) -> bytes:
    """``orjson.dumps(value)``, falling back to a cleaned copy when orjson refuses the value."""
    try:
        return orjson.dumps(value, default=default, option=option)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        cleaned = clean(value, default)
    try:
        return orjson.dumps(cleaned, option=option)
    except TypeError:  # only integers beyond 64 bits are left: the standard library writes them
        return json.dumps(cleaned, ensure_ascii=False, allow_nan=False).encode()


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value: an orjson round trip (several times faster than ``deepcopy``, and the same
    JSON on the wire); ``deepcopy`` for what orjson cannot write (integers beyond 64 bits, non-string keys)."""
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError:
        return copy.deepcopy(value)


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (paired surrogates are joined)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def clean(value: Any, default: Default | None = None, depth: int = 0) -> Any:
    """A copy of ``value`` that orjson (or, for big integers, the standard library) can always encode."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth >= MAX_DEPTH:
        return DEEP_NOTE
    if isinstance(value, Mapping):
        return {clean_text(k) if isinstance(k, str) else str(k): clean(v, default, depth + 1)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v, default, depth + 1) for v in value]
    try:  # what orjson encodes natively (dataclasses, datetimes, UUIDs, enums) stays as it is
        orjson.dumps(value)
        return value
    except TypeError:
        pass
    if default is not None:
        try:
            return clean(default(value), None, depth + 1)
        except Exception:  # a default that cannot cope: show what the object is
            pass
    return clean_text(repr(value))
