"""DRF's ``LimitOffsetPagination`` as PostHog configures it: default limit 100, no maximum, absolute links
that keep the other query parameters (re-encoded in sorted order, as Django's ``replace_query_param`` does)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode

from mockbi.core.messages import OpRequest

DEFAULT_LIMIT = 100

#: a query string whose names and values ``urlencode`` leaves as they are (no escapes, no ``+``, no ``;``)
_PLAIN_QUERY = re.compile(r"[A-Za-z0-9_.~=&-]*")
_PLAIN_ITEM = re.compile(r"[A-Za-z0-9_.~-]*")


def _positive_int(raw: Any, *, strict: bool) -> int | None:
    if raw is None:
        return None
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    if value < 0 or (strict and value == 0):
        return None
    return value


def _params(raw_query: str) -> dict[str, list[str]]:
    """``parse_qs(raw_query, keep_blank_values=True)``; without its unquoting when nothing needs it."""
    if not _PLAIN_QUERY.fullmatch(raw_query):
        return parse_qs(raw_query, keep_blank_values=True)
    params: dict[str, list[str]] = {}
    for pair in raw_query.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            params.setdefault(name, []).append(value)
    return params


def _link(req: OpRequest, **changes: int | None) -> str:
    params = _params(req.url.raw_query_string)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = [str(value)]
    ordered = sorted(params.items())
    if all(_PLAIN_ITEM.fullmatch(name) and all(_PLAIN_ITEM.fullmatch(v) for v in values)
           for name, values in ordered):  # urlencode would quote nothing: the same string, joined
        query = "&".join(f"{name}={v}" for name, values in ordered for v in values)
    else:
        query = urlencode(ordered, doseq=True)
    return f"{req.url.origin()}{req.url.raw_path}" + (f"?{query}" if query else "")


def window(req: OpRequest) -> tuple[int, int]:
    """The page's ``limit`` and ``offset`` (DRF ignores a value that is no positive number)."""
    limit = _positive_int(req.raw_query.get("limit"), strict=True) or DEFAULT_LIMIT
    return limit, _positive_int(req.raw_query.get("offset"), strict=False) or 0


def paginate(req: OpRequest, rows: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """The page of ``rows`` and the envelope fields ``count``, ``next``, ``previous``."""
    limit, offset = window(req)
    count = len(rows)
    page = rows[offset:offset + limit]
    next_link = None if offset + limit >= count else _link(req, limit=limit, offset=offset + limit)
    previous = None
    if offset > 0:
        previous = (_link(req, limit=limit, offset=None) if offset - limit <= 0
                    else _link(req, limit=limit, offset=offset - limit))
    return page, {"count": count, "next": next_link, "previous": previous}
