"""Admin routes for portable state and snapshots (registered by ``core/admin.py``):

- ``GET /__mockbi/state`` — the whole world as one versioned JSON document (``?pretty=1`` indents it);
- ``PUT /__mockbi/state`` — replace the world with a document; a bad one is a 400 ``{"error"}`` naming
  the problem, and the world is left untouched;
- ``GET /__mockbi/snapshots`` — ``{"snapshots": [{name, taken_at, seed, scenario, vendors}]}``;
- ``POST /__mockbi/snapshots`` ``{"name"}`` — take (or replace) a snapshot: 201 with its summary;
- ``POST /__mockbi/snapshots/{name}/restore`` — put the world back: 200 with the summary, 404 if unknown;
- ``DELETE /__mockbi/snapshots/{name}`` (204, 404 if unknown) and ``DELETE /__mockbi/snapshots`` (all).
"""

from __future__ import annotations

import orjson
from aiohttp import web

from mockbi.core.admin import PREFIX, json_body, json_response
from mockbi.core.errors import ConfigError
from mockbi.core.snapshots import SnapshotNotFound, check_name
from mockbi.core.state import encode_world, export_world, import_world, restore_snapshot, take_snapshot
from mockbi.keys import RUNTIME

#: a state document may be larger than an ordinary request body (the app's ``max_body_size``)
MAX_STATE_BYTES = 256 * 1024 * 1024


async def state_get(request: web.Request) -> web.Response:
    rt = request.config_dict[RUNTIME]
    if request.query.get("pretty") in ("1", "true"):
        payload = orjson.dumps(export_world(rt), option=orjson.OPT_INDENT_2)
    else:
        payload = encode_world(rt)
    return web.Response(body=payload, content_type="application/json")


async def state_put(request: web.Request) -> web.Response:
    if request.content.at_eof():  # a middleware read it already (serve --state-file logs it first)
        raw = await request.read()
    else:
        chunks, size = [], 0
        async for chunk in request.content.iter_chunked(1 << 16):
            size += len(chunk)
            if size > MAX_STATE_BYTES:
                return json_response({"error": f"state document larger than {MAX_STATE_BYTES} bytes"}, 413)
            chunks.append(chunk)
        raw = b"".join(chunks)
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ConfigError(f"the state document is not JSON: {exc}") from None
    rt = request.config_dict[RUNTIME]
    import_world(rt, document)  # StateError (a ConfigError): 400 naming the problem, nothing changed
    return json_response(rt.info())


async def snapshots_get(request: web.Request) -> web.Response:
    return json_response({"snapshots": [s.summary() for s in request.config_dict[RUNTIME].snapshots.list()]})


async def snapshots_post(request: web.Request) -> web.Response:
    body = await json_body(request)
    unknown = sorted(set(body) - {"name"})
    if unknown:
        raise ConfigError(f"unknown snapshot field(s) {unknown}; send {{\"name\": ...}}")
    rt = request.config_dict[RUNTIME]
    return json_response(take_snapshot(rt, check_name(body.get("name"))).summary(), 201)


async def snapshot_restore(request: web.Request) -> web.Response:
    rt = request.config_dict[RUNTIME]
    try:
        return json_response(restore_snapshot(rt, request.match_info["name"]).summary())
    except SnapshotNotFound as exc:
        return json_response({"error": str(exc)}, 404)


async def snapshot_delete(request: web.Request) -> web.Response:
    try:
        request.config_dict[RUNTIME].snapshots.delete(request.match_info["name"])
    except SnapshotNotFound as exc:
        return json_response({"error": str(exc)}, 404)
    return web.Response(status=204)


async def snapshots_delete(request: web.Request) -> web.Response:
    request.config_dict[RUNTIME].snapshots.clear()
    return web.Response(status=204)


def state_routes() -> list[web.RouteDef]:
    """Portable state and snapshots (the app adds them after stubs' and arrange's routes)."""
    return [
        web.get(f"{PREFIX}/state", state_get),
        web.put(f"{PREFIX}/state", state_put),
        web.get(f"{PREFIX}/snapshots", snapshots_get),
        web.post(f"{PREFIX}/snapshots", snapshots_post),
        web.delete(f"{PREFIX}/snapshots", snapshots_delete),
        web.post(f"{PREFIX}/snapshots/{{name}}/restore", snapshot_restore),
        web.delete(f"{PREFIX}/snapshots/{{name}}", snapshot_delete),
    ]
