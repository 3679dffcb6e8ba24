"""The web console at ``/__mockbi/``: a page shipped inside the package (no CDN, works offline) and the
read-only admin routes it needs beyond the admin API (vendors with base URLs, a state browser).

The page itself is plain HTML + JS + CSS under ``mockbi/console_static/``; it talks to the admin API only.
"""

from __future__ import annotations

from dataclasses import is_dataclass
from importlib import resources
from typing import Any

import orjson
from aiohttp import web

from mockbi.core.admin import json_response
from mockbi.core.runtime import Runtime
from mockbi.core.store import Store
from mockbi.core.tenants import TENANT_PREFIX
from mockbi.core.vendor import RestVendor
from mockbi.keys import RUNTIME

PREFIX = "/__mockbi"
#: the files the page is made of, with their media types (nothing else is served from the folder)
STATIC_FILES = {"index.html": "text/html", "console.js": "text/javascript", "console.css": "text/css"}
#: at most this many entities of one collection are sent to the state browser at once
MAX_ENTITIES = 500
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _static(name: str) -> bytes:
    return resources.files("mockbi").joinpath("console_static", name).read_bytes()


def _json_out(data: Any, status: int = 200) -> web.Response:
    return json_response(data, status, option=orjson.OPT_NON_STR_KEYS)  # stores key records by int ids


def _rt(request: web.Request) -> Runtime:
    return request.config_dict[RUNTIME]


async def page(request: web.Request) -> web.Response:
    return web.Response(body=_static("index.html"), content_type="text/html", charset="utf-8",
                        headers=SECURITY_HEADERS)


async def redirect_to_page(request: web.Request) -> web.Response:
    raise web.HTTPFound(f"{PREFIX}/")


async def static_file(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    media = STATIC_FILES.get(name)
    if media is None or name == "index.html":
        return _json_out({"error": f"no console file {name!r}"}, 404)
    return web.Response(body=_static(name), content_type=media, charset="utf-8", headers=SECURITY_HEADERS)


def _root_url(request: web.Request) -> str:
    """The server root as this client reaches it (a tenant's base-URL prefix included)."""
    return f"{request.scheme}://{request.host}{request.get(TENANT_PREFIX, '')}"


async def vendors(request: web.Request) -> web.Response:
    """Each served vendor with its kind, base URL (for this request's host) and seeded credentials."""
    rt = _rt(request)
    out = []
    for name, vr in rt.vendors.items():
        creds = vr.peek().credentials()
        out.append({"name": name, "kind": "rest" if isinstance(vr.vendor, RestVendor) else "graphql",
                    "base_url": vr.vendor.base_url(_root_url(request), creds), "credentials": creds})
    return _json_out({"vendors": out})


def collections(store: Store) -> dict[str, Any]:
    """The store's collections: every state attribute that is a dict or list of records, by name."""
    infrastructure = type(store)._infrastructure
    found: dict[str, Any] = {}
    for name, value in vars(store).items():
        if name.startswith("_") or name in infrastructure:
            continue
        if isinstance(value, dict | list) and (not value or _is_record(_first(value))):
            found[name] = value
    return found


def _first(value: dict[Any, Any] | list[Any]) -> Any:
    return next(iter(value.values())) if isinstance(value, dict) else value[0]


def _is_record(value: Any) -> bool:
    return (is_dataclass(value) and not isinstance(value, type)) or isinstance(value, dict)


async def stores(request: web.Request) -> web.Response:
    """``{vendor: {collection: count}}`` for the state browser."""
    rt = _rt(request)
    with rt.lock:
        counts = {name: {c: len(v) for c, v in sorted(collections(vr.peek()).items())}
                  for name, vr in rt.vendors.items()}
    return _json_out({"stores": counts})


async def store_collection(request: web.Request) -> web.Response:
    """The entities of one collection as JSON (keys of a dict collection are kept), at most ``MAX_ENTITIES``."""
    rt = _rt(request)
    vendor, name = request.match_info["vendor"], request.match_info["collection"]
    if vendor not in rt.vendors:
        return _json_out({"error": f"no vendor {vendor!r}; served: {', '.join(rt.vendors)}"}, 404)
    with rt.lock:
        found = collections(rt.vendors[vendor].peek())  # a read: no restore owed, no cache dropped
        if name not in found:
            return _json_out({"error": f"{vendor} has no collection {name!r}; it has {', '.join(sorted(found))}"}, 404)
        value = found[name]
        pairs = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        return _json_out({"vendor": vendor, "collection": name, "count": len(pairs),
                          "truncated": len(pairs) > MAX_ENTITIES,
                          "items": [{"key": k, "value": v} for k, v in pairs[:MAX_ENTITIES]]})


def console_routes() -> list[web.RouteDef]:
    return [
        web.get(PREFIX, redirect_to_page),
        web.get(f"{PREFIX}/", page),
        web.get(PREFIX + "/console/{name}", static_file),
        web.get(f"{PREFIX}/vendors", vendors),
        web.get(f"{PREFIX}/stores", stores),
        web.get(PREFIX + "/stores/{vendor}/{collection}", store_collection),
    ]
