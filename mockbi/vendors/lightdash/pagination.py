"""Knex pagination as Lightdash 0.1411.0 applies it (ListOrganizationMembers, ListGroupsInOrganization,
getMetricsCatalog).

``results`` is ``{"data": [...], "pagination": {...}}``, and ``pagination`` is present only when both
``page`` and ``pageSize`` are given and truthy; otherwise ``data`` holds every row. A page past the
end is an empty ``data`` list; ``page`` or ``pageSize`` below 1 is a 422 ``KnexPaginationError``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from mockbi.vendors.lightdash.envelope import KnexPaginationError


def paginate(rows: Sequence[Any], query: Mapping[str, Any]) -> dict[str, Any]:
    """Slice ``rows`` by the ``page``/``pageSize`` query parameters into Knex's paginated shape."""
    page, size = query.get("page"), query.get("pageSize")
    if page is not None and page < 1:  # KnexPaginate's own checks, page first
        raise KnexPaginationError("page should be greater than 0")
    if size is not None and size < 1:
        raise KnexPaginationError("pageSize should be greater than 0")
    if not page or not size:
        return {"data": list(rows)}
    page_i, size_i = int(page), int(size)
    start = (page_i - 1) * size_i
    return {"data": list(rows[start:start + size_i]),
            "pagination": {"page": page_i, "pageSize": size_i, "totalResults": len(rows),
                           "totalPageCount": math.ceil(len(rows) / size_i)}}
