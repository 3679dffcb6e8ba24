"""How a route is added to an app: every handler through the app's front door (``core/front_door.py``), which
``create_app`` sets as ``SERVE`` before any route is added (an app with the front door as a middleware sets
it to serve handlers as they are)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from aiohttp import web
from aiohttp.typedefs import Handler

#: what a handler is served as in this app (``FrontDoor.wrap``, or the handler itself)
SERVE: web.AppKey[Callable[[Handler], Handler]] = web.AppKey("mockbi_serve")


def served(app: web.Application, handler: Handler) -> Handler:
    """``handler`` as ``app`` serves it."""
    return app[SERVE](handler)


def serve(app: web.Application, routes: Iterable[web.RouteDef]) -> None:
    """Add ``routes`` to ``app``, each handler as the app serves it."""
    app.router.add_routes([web.route(r.method, r.path, served(app, r.handler), **r.kwargs) for r in routes])
