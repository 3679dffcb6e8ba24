"""The first layer every request of an app passes, in one aiohttp middleware (each layer costs a coroutine
per request, so the cheap checks share one): on the server's own app, a request addressed to a tenant goes
to that tenant's app (``tenants.route`` and ``dispatch``: the tenant's app has a front door of its own);
then the URL the client used behind a proxy (``access_log.forwarded``), one access line once answered
(``access_log.log_request``), the admin guard with CORS on vendor routes (``AdminGuard.before`` and
``allow``), and, unless a durable log must see them answered first, the JSON answers to what the router or
an admin handler raises (``app.error_answer``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from mockbi.core.access_log import forwarded, log_request
from mockbi.core.admin_guard import AdminGuard
from mockbi.core.tenants import TENANT_PREFIX, TENANTS, dispatch, route

#: what the front door answers to an exception a handler raised (``None``: raise it on)
ErrorAnswer = Callable[[web.Request, Exception], "web.StreamResponse | None"]


def front_door(guard: AdminGuard, *, tenants: bool, errors: ErrorAnswer | None = None) -> Middleware:
    """The front door of an app; ``tenants``: the server's own app, which holds ``TENANTS``; ``errors``: the
    answer to an exception the handler raised (``None`` from it: raised on)."""

    @web.middleware
    async def front(request: web.Request, handler: Handler) -> web.StreamResponse:
        if tenants:
            target = route(request)
            if target is not None:
                return await dispatch(request, request.app[TENANTS], target)
            request[TENANT_PREFIX] = ""  # the server's own: set, so that looking it up raises no KeyError
        request = forwarded(request)
        started = time.perf_counter()
        status = 500
        try:
            own, origin = guard.before(request)
            if own is not None:
                response: web.StreamResponse = own
            else:
                try:
                    response = await handler(request)
                except Exception as exc:
                    answer = errors(request, exc) if errors is not None else None
                    if answer is None:
                        raise
                    response = answer
            if origin is not None:
                guard.allow(response, origin)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            log_request(request, status, (time.perf_counter() - started) * 1000)

    return front
