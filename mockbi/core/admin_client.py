"""Admin routes about the client under test: ``/__mockbi/coverage/client`` (what it exercised) and
``/__mockbi/journal/count`` (how many journaled calls match a question)."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from mockbi.core.client_coverage import report
from mockbi.core.errors import ConfigError
from mockbi.core.journal_query import query_from_params
from mockbi.core.runtime import Runtime
from mockbi.core.serving import serve
from mockbi.keys import RUNTIME

PREFIX = "/__mockbi"


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


def _rt(request: web.Request) -> Runtime:
    return request.config_dict[RUNTIME]


async def client_coverage_get(request: web.Request) -> web.Response:
    """The client-coverage report for the calls since start (or since the last DELETE); with
    ``?format=snapshot`` the raw counts, which ``client_coverage.merge`` adds up across servers (the pytest
    plugin merges a sidecar tenant's with its other workers')."""
    rt = _rt(request)
    snapshot = rt.client_coverage.snapshot(rt.vendors)
    fmt = request.query.get("format", "report")
    if fmt not in ("report", "snapshot"):
        raise ConfigError(f"format must be 'report' or 'snapshot', not {fmt!r}")
    return _json(snapshot if fmt == "snapshot" else report(snapshot))


async def client_coverage_delete(request: web.Request) -> web.Response:
    _rt(request).client_coverage.clear()
    return web.Response(status=204)


async def journal_count(request: web.Request) -> web.Response:
    """``{"count": n}`` of the journaled calls matching the query (the journal's filters, ``path`` as a glob,
    ``body.<field>=value``); with ``times=n`` the answer is 200 when the count is n and 409 otherwise."""
    query = query_from_params(request.query, extra=("times",))
    count = len(query.apply(_rt(request).journal.calls))
    times = request.query.get("times")
    if times is None:
        return _json({"count": count})
    if not times.isdigit():
        raise ConfigError(f"times must be a whole number, not {times!r}")
    return _json({"count": count, "expected": int(times)}, 200 if count == int(times) else 409)


def add_client_routes(app: web.Application) -> None:
    serve(app, [
        web.get(f"{PREFIX}/coverage/client", client_coverage_get),
        web.delete(f"{PREFIX}/coverage/client", client_coverage_delete),
        web.get(f"{PREFIX}/journal/count", journal_count),
    ])
