"""A vendor's own admin routes (``/__mockbi/<vendor>/...``, the vendor's ``admin.py``), given what they need and
nothing of the app's internals: the request's JSON body, the vendor's store (typed, under the runtime lock)
and ``arrange`` (core/arrange.py: all or nothing, the ids created). A route answers ``(document, status)``;
a ``MockbiError`` it raises is the admin API's 400 naming the problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic

from aiohttp import web

from mockbi.core.admin import PREFIX, json_body, json_response
from mockbi.core.arrange import arrange
from mockbi.core.hook_context import S
from mockbi.core.runtime import Runtime
from mockbi.keys import RUNTIME


@dataclass(frozen=True, slots=True)
class AdminCall(Generic[S]):
    """One call of a vendor admin route."""

    store: S
    body: dict[str, Any]
    runtime: Runtime
    vendor: str

    def arrange(self, fragment: dict[str, Any]) -> dict[str, list[Any]]:
        """Apply a scenario fragment to this vendor's world (the ids created, per collection)."""
        return arrange(self.runtime, self.vendor, fragment)


AdminHandler = Callable[[AdminCall[S]], tuple[Any, int]]


def admin_route(method: str, vendor: str, path: str, store_class: type[S], handler: AdminHandler[S]) -> web.RouteDef:
    """``method /__mockbi/<vendor>/<path>`` running ``handler`` with the vendor's store under the runtime lock."""

    async def route(request: web.Request) -> web.Response:
        body = await json_body(request)
        rt: Runtime = request.config_dict[RUNTIME]
        with rt.lock:
            store = rt.store(vendor)
            assert isinstance(store, store_class)
            document, status = handler(AdminCall(store, body, rt, vendor))
        return json_response(document, status)

    route.__name__ = f"{vendor}_{handler.__name__}"
    return web.route(method, f"{PREFIX}/{vendor}/{path}", route)
