"""How Lightdash 0.1411.0 reads a JSON request body, and what mockbi refuses to store.

* ``express.json()`` (body-parser, ``strict``) parses ``application/json`` bodies only; any other media
  type leaves ``req.body`` as ``{}``. A body that does not parse, or whose top level is not an object or
  an array (``null``, ``5``, ``"text"``, ``true``: strict mode's SyntaxError), is not a LightdashError,
  so the error handler answers the generic 500 ``UnexpectedServerError`` "Something went wrong.".
  mockbi keeps status, name and wording and appends what was wrong.
* Bytes that are not UTF-8 and lone UTF-16 surrogate escapes (``"\\ud800"``): body-parser decodes the
  body as UTF-8 with replacement characters, V8 parses lone surrogates, and Postgres stores them as
  U+FFFD (node-postgres writes UTF-8). mockbi reads such a body the same way: U+FFFD in their place,
  stored and served. (A ``jsonb`` column refuses a lone surrogate escape; mockbi does not tell columns
  apart.)
* A string holding U+0000 (in a value or a key) reaches Postgres, which refuses it (``text`` and
  ``jsonb`` cannot hold NUL): the service answers the same generic 500 and its transaction stores
  nothing. mockbi answers that 500 for any JSON body holding NUL, before the handler runs.
* Express routes (the ``x-mockbi-extension`` operations) hand ``req.body`` to the service unvalidated, and
  the service reads nested optional values with ``?.``/``??``: a ``null`` there means what a missing key
  means. mockbi drops ``null`` values below the top level of such bodies (top-level ``null`` keeps its
  meaning: ``"description": null`` clears the column).
* Nesting: the service stores and serves JSON nested hundreds of levels deep (V8 and Postgres have no
  small limit); mockbi's encoder and validators stop near 255 levels, counting the envelope around a
  stored value. So mockbi refuses bodies nested deeper than ``MAX_DEPTH`` with the answer it gives for its
  own body-size limit (413 ``PayloadTooLargeError``, saying why) instead of storing what it could not serve.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from mockbi.vendors.lightdash.errors import PayloadTooLargeError, UnexpectedServerError

_SURROGATE = re.compile("[\ud800-\udfff]")
#: deepest JSON nesting mockbi accepts in a request body (arrays and objects; a scalar at top level is 0)
MAX_DEPTH = 64


def _not_json(why: str) -> UnexpectedServerError:
    return UnexpectedServerError(f"{UnexpectedServerError.default_message} The request body is not valid JSON "
                                 f"({why}).")


def _too_deep() -> PayloadTooLargeError:
    return PayloadTooLargeError(f"{PayloadTooLargeError.default_message}: the JSON body nests deeper than "
                                f"{MAX_DEPTH} levels, mockbi's limit (the service has none this small)")


def parse_json(data: bytes) -> Any:
    """``express.json()`` in strict mode, plus mockbi's nesting limit."""
    start = data.lstrip(b" \t\r\n")[:1]
    if start not in (b"{", b"["):
        try:
            orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise _not_json(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from exc
        raise _not_json("express.json() accepts only an object or an array at the top level")
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "depth" in exc.msg or "recursion" in exc.msg:
            raise _too_deep() from exc
        if "UTF-8" not in exc.msg and "surrogate" not in exc.msg:
            raise _not_json(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from exc
        value = _parse_like_node(data)
    if data.count(b"[") + data.count(b"{") > MAX_DEPTH and _depth_exceeds(value, MAX_DEPTH):
        raise _too_deep()
    return value


def _number(text: str) -> int | float:
    """An integer literal as orjson reads it: exact within 64 bits, a double beyond (as V8 reads every one)."""
    number = int(text)
    return number if -(2**63) <= number < 2**64 else float(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_like_node(data: bytes) -> Any:
    """body-parser decodes the bytes as UTF-8 (invalid sequences become U+FFFD) and V8 accepts lone
    surrogate escapes; Postgres then stores each lone surrogate as U+FFFD (node-postgres encodes strings
    as UTF-8). The result: what the service would store and send back."""
    try:
        value = json.loads(data.decode("utf-8", "replace"), parse_int=_number, parse_constant=_refuse_constant)
    except RecursionError as exc:  # the stdlib parser recurses (and stops cleanly)
        raise _too_deep() from exc
    except ValueError as exc:
        raise _not_json(str(exc)) from exc
    if _depth_exceeds(value, MAX_DEPTH):
        raise _too_deep()
    return _without_lone_surrogates(value)


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether arrays/objects nest more than ``limit`` levels (iterative: no recursion on hostile input)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def holds_nul(value: Any) -> bool:
    """Whether any string (value or key) in a decoded JSON document holds U+0000."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def refuse_nul(value: Any) -> None:
    """Postgres's refusal of NUL in text, as the service answers it (generic 500, nothing stored)."""
    if holds_nul(value):
        raise UnexpectedServerError(f"{UnexpectedServerError.default_message} The request body holds a U+0000 "
                                    "character, which Postgres cannot store (text and jsonb refuse it).")


def drop_nested_nulls(value: Any) -> Any:
    """A copy of ``value`` without ``null``-valued object keys, at any depth (already depth-bounded)."""
    if isinstance(value, dict):
        return {k: drop_nested_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nested_nulls(v) for v in value]
    return value
