"""Admin routes for contract-checked stubs (``core/stubs.py``):

- ``POST /__mockbi/stubs`` — register: 201 with the stub (its ``id``); a stub whose answer breaks the
  operation's contract is a 400 ``{"error", "violations": [...]}``; other bad input a 400 ``{"error"}``;
- ``GET /__mockbi/stubs`` — ``{"stubs": [...]}`` newest first, with ``hits`` and the ``times`` left;
- ``DELETE /__mockbi/stubs`` (all) and ``DELETE /__mockbi/stubs/{id}`` (404 if unknown): 204.
"""

from __future__ import annotations

from aiohttp import web

from mockbi.core.admin import PREFIX, json_body, json_response
from mockbi.core.stubs import StubRejected
from mockbi.keys import RUNTIME


async def stubs_post(request: web.Request) -> web.Response:
    body = await json_body(request)
    rt = request.config_dict[RUNTIME]
    try:
        stub = rt.stubs.add(rt, body)
    except StubRejected as exc:
        return json_response({"error": str(exc), "violations": exc.violations}, 400)
    return json_response(stub.as_dict(), 201)


async def stubs_get(request: web.Request) -> web.Response:
    return json_response({"stubs": [s.as_dict() for s in request.config_dict[RUNTIME].stubs.stubs]})


async def stubs_delete(request: web.Request) -> web.Response:
    request.config_dict[RUNTIME].stubs.clear()
    return web.Response(status=204)


async def stub_delete(request: web.Request) -> web.Response:
    stub_id = request.match_info["stub_id"]
    try:
        request.config_dict[RUNTIME].stubs.remove(stub_id)
    except KeyError:
        return json_response({"error": f"no stub {stub_id!r}"}, 404)
    return web.Response(status=204)


def stub_routes() -> list[web.RouteDef]:
    return [
        web.get(f"{PREFIX}/stubs", stubs_get),
        web.post(f"{PREFIX}/stubs", stubs_post),
        web.delete(f"{PREFIX}/stubs", stubs_delete),
        web.delete(f"{PREFIX}/stubs/{{stub_id}}", stub_delete),
    ]
