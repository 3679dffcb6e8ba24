"""The first step of every request of an app: on the server's own app, a request addressed to a tenant goes
to that tenant's app (``tenants.route`` and ``dispatch``: the tenant's app has a front door of its own);
then the URL the client used behind a proxy (``access_log.forwarded``), one access line once answered
(``access_log.log_request``), the admin guard with CORS on vendor routes (``AdminGuard.before`` and
``allow``), and the JSON answers to what an admin handler raises (``app.error_answer``).

An app serves every route through it (:meth:`FrontDoor.wrap`, one coroutine per request) and has no aiohttp
middleware at all: aiohttp's chain (a cached lookup, its own ``current_app`` layer and ours) cost ~0.4 µs
a request more (six interleaved rounds, a trivial handler behind each). Under ``--state-file`` the durable
log must see the front door's request and the answered errors, so there the front door is the outer
middleware (:meth:`FrontDoor.middleware`) and the routes are served as they are. A request no route
matches reaches the app's last route (``app.unrouted``), so it passes the front door like any other."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from mockbi.core.access_log import forwarded, log_request
from mockbi.core.admin_guard import AdminGuard
from mockbi.core.tenants import TENANT_PREFIX, TENANTS, dispatch, route

#: what the front door answers to an exception a handler raised (``None``: raise it on)
ErrorAnswer = Callable[[web.Request, Exception], "web.StreamResponse | None"]


class FrontDoor:
    """The front door of one app; ``tenants``: the server's own app, which holds ``TENANTS``; ``errors``: the
    answer to an exception the handler raised (``None`` from it: raised on)."""

    def __init__(self, guard: AdminGuard, *, tenants: bool, errors: ErrorAnswer | None = None) -> None:
        self.guard, self.tenants, self.errors = guard, tenants, errors

    def wrap(self, handler: Handler) -> Handler:
        """``handler`` served through the front door (for an app without middleware)."""
        return partial(_through, self, handler)

    def middleware(self) -> Middleware:
        """The front door as an aiohttp middleware (for an app whose other middlewares must run inside it)."""

        @web.middleware
        async def front(request: web.Request, handler: Handler) -> web.StreamResponse:
            return await _through(self, handler, request)

        return front


async def _through(door: FrontDoor, handler: Handler, request: web.Request) -> web.StreamResponse:
    """``request`` through ``door`` to ``handler`` (or to its tenant's app)."""
    if door.tenants:
        target = route(request)
        if target is not None:
            return await dispatch(request, request.app[TENANTS], target)
        request[TENANT_PREFIX] = ""  # the server's own: set, so that looking it up raises no KeyError
    request = forwarded(request)
    started = time.perf_counter()
    status = 500
    try:
        own, origin = door.guard.before(request)
        if own is not None:
            response: web.StreamResponse = own
        else:
            try:
                response = await handler(request)
            except Exception as exc:
                answer = door.errors(request, exc) if door.errors is not None else None
                if answer is None:
                    raise
                response = answer
        if origin is not None:
            door.guard.allow(response, origin)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        log_request(request, status, (time.perf_counter() - started) * 1000)
