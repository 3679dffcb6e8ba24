"""``create_app(config)``: one aiohttp application serving every configured vendor at its native paths."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from aiohttp import web

from mockbi import vendors as vendor_catalog
from mockbi.config import MockbiConfig
from mockbi.core.admin import PREFIX, add_admin_routes, admin_errors
from mockbi.core.clock import isoformat_z
from mockbi.core.journal import Call
from mockbi.core.runtime import Runtime
from mockbi.core.vendor import Vendor
from mockbi.keys import RUNTIME

log = logging.getLogger("mockbi")


@web.middleware
async def unmatched_routes(request: web.Request, handler: Any) -> web.StreamResponse:
    """A path in no contract answers 404 JSON naming the method and path (never an HTML page), a
    known path with the wrong method 405 JSON with ``Allow``; both are journaled."""
    try:
        return await handler(request)  # type: ignore[no-any-return]
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as exc:
        if request.match_info.http_exception is None:
            raise  # raised by a handler on purpose, not by the router
        status = exc.status
        body = {"error": "not_found" if status == 404 else "method_not_allowed",
                "message": f"mockbi serves no route for {request.method} {request.path}",
                "method": request.method, "path": request.path}
        headers = {}
        if isinstance(exc, web.HTTPMethodNotAllowed):
            headers["Allow"] = ",".join(sorted(exc.allowed_methods))
        rt = request.config_dict[RUNTIME]
        if not request.path.startswith(PREFIX):
            rt.journal.record(Call(seq=rt.journal.next_seq(), vendor=None, operation_id=None, method=request.method,
                                   path=request.path, query=request.query_string, request_body=None, status=status,
                                   content_type="application/json", response_bytes=orjson.dumps(body),
                                   at=isoformat_z(rt.clock.now())))
        return web.Response(status=status, body=orjson.dumps(body), headers=headers, content_type="application/json")


def create_app(config: MockbiConfig | None = None, vendors: list[Vendor] | None = None) -> web.Application:
    """Build the application: contracts loaded and indexed once, one seeded store per vendor."""
    config = config or MockbiConfig()
    selected = vendors if vendors is not None else vendor_catalog.load(config.vendors)
    app = web.Application(middlewares=[unmatched_routes, admin_errors],
                          client_max_size=config.max_body_size)
    contracts = {v.name: v.load_contract() for v in selected}
    app[RUNTIME] = Runtime(config, selected, contracts)
    add_admin_routes(app)
    for vendor in selected:
        count = vendor.add_routes(app, contracts[vendor.name])
        extra = vendor.admin_routes()
        if extra:
            app.router.add_routes(extra)
        log.debug("mockbi: %s serves %d routes", vendor.name, count)
    return app
