"""Knex pagination as Lightdash 0.1411.0 applies it (ListOrganizationMembers, ListGroupsInOrganization,
getMetricsCatalog).

``results`` is ``{"data": [...], "pagination": {...}}``. The controllers paginate only when ``page`` and
``pageSize`` are both given and truthy (``if (pageSize && page)``); otherwise ``data`` holds every row and
neither is checked. tsoa types both as ``number`` (any float). ``KnexPaginate.paginate`` then refuses
``page`` or ``pageSize`` below 1 (422 ``KnexPaginationError``), computes ``offset = (page - 1) * pageSize``
and hands offset and limit to Knex, which truncates them (``parseInt``) and binds them as Postgres
``bigint``: an offset or limit beyond 2^63-1 makes Postgres fail ("bigint out of range"), which the service
answers with its generic 500 (no state changes: it is a read). ``pagination`` echoes ``page`` and
``pageSize`` as sent, so every echoed number stays within that range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from mockbi.vendors.lightdash.errors import KnexPaginationError, UnexpectedServerError

#: Postgres ``bigint``, the type of the OFFSET and LIMIT Knex binds
BIGINT_MAX = 2**63 - 1


def _echo(value: float) -> float:
    """A JavaScript number as ``JSON.stringify`` writes it: integral values without a fraction."""
    return int(value) if float(value).is_integer() else value


def page_args(query: Mapping[str, Any]) -> tuple[float, float] | None:
    """The checked ``(page, pageSize)`` of a request, or None when the list is not paginated."""
    page, size = query.get("page"), query.get("pageSize")
    if not page or not size:
        return None
    if page < 1:  # KnexPaginate's own checks, page first
        raise KnexPaginationError("page should be greater than 0")
    if size < 1:
        raise KnexPaginationError("pageSize should be greater than 0")
    offset = (float(page) - 1) * float(size)  # JavaScript arithmetic: doubles
    if not math.isfinite(offset) or offset > BIGINT_MAX or size > BIGINT_MAX:
        raise UnexpectedServerError()  # Postgres: OFFSET or LIMIT out of range for type bigint
    return _echo(page), _echo(size)


def knex_bound(value: float | None) -> int | None:
    """A LIMIT/OFFSET number as Knex binds it (truncated); a negative one is Knex's own error and one beyond
    ``bigint`` Postgres's: either way the generic 500."""
    if value is None:
        return None
    if not math.isfinite(value) or abs(value) > BIGINT_MAX or value < 0:  # Knex refuses a negative one
        raise UnexpectedServerError()
    return int(value)


def paginate(rows: Sequence[Any], query: Mapping[str, Any]) -> dict[str, Any]:
    """Slice ``rows`` by the ``page``/``pageSize`` query parameters into Knex's paginated shape."""
    args = page_args(query)
    if args is None:
        return {"data": list(rows)}
    page, size = args
    start, limit = int((page - 1) * size), int(size)
    return {"data": list(rows[start:start + limit]),
            "pagination": {"page": page, "pageSize": size, "totalPageCount": math.ceil(len(rows) / size),
                           "totalResults": len(rows)}}
