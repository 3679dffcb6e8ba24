"""Wiring durable state into an app: the middleware that logs each world-changing request before its
response is sent, and the replay that rebuilds the world from the log at start (see ``core.durable``)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from aiohttp import web
from aiohttp.streams import StreamReader
from aiohttp.typedefs import Handler
from yarl import URL

from mockbi.core.durable import LoggedRequest, StateFile
from mockbi.core.journal import plain_headers
from mockbi.core.runtime import Runtime
from mockbi.core.tenants import TENANT_PREFIX
from mockbi.keys import DURABLE, RUNTIME

log = logging.getLogger("mockbi")
ADMIN = "/__mockbi"
#: admin writes that do not touch the world (or are recorded another way)
NOT_LOGGED = frozenset({f"{ADMIN}/journal", f"{ADMIN}/reset"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: a durable tenant's log keeps the base-URL prefix its request came in under (links the mock stores keep it)
PREFIX_HEADER = "X-Mockbi-Tenant-Prefix"


@dataclass(slots=True)
class Durability:
    """One app's state file, the lock that orders its writes, and the instant a replayed request runs at."""

    state: StateFile
    admin_token: str | None = None
    replay_at: datetime | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _logged(request: web.Request) -> bool:
    if not request.path.startswith(ADMIN):
        return True  # some vendor reads write too (PostHog stamps last_accessed_at)
    return request.method not in READ_METHODS and request.path not in NOT_LOGGED


async def _buffer_body(request: web.Request) -> bytes:
    """Read the whole body and hand the handler a fresh stream of the same bytes (multipart parsers read the
    stream, not the cached bytes)."""
    body = await request.read() if request.body_exists else b""
    if request.content_type.startswith("multipart/"):
        stream = StreamReader(request.protocol, 2**16, loop=asyncio.get_running_loop())
        stream.feed_data(body)
        stream.feed_eof()
        request._payload = stream  # a declared attribute of aiohttp's request (BaseRequest.ATTRS)
    return body


@web.middleware
async def durable_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    durable = request.config_dict.get(DURABLE)
    if durable is None:
        return await handler(request)
    rt = request.config_dict[RUNTIME]
    if durable.replay_at is not None:  # a replayed request runs at its recorded instant, and is not logged again
        prefix = request.headers.get(PREFIX_HEADER)
        if prefix:
            request[TENANT_PREFIX] = prefix
        with rt.clock.pinned(durable.replay_at):
            return await handler(request)
    if not _logged(request):
        response = await handler(request)
        if request.path == f"{ADMIN}/reset" and response.status == 200:
            durable.state.start_world(rt.seed, rt.scenario, list(rt.vendors))
        return response
    async with durable.lock:  # one world-changing request at a time: the log order is the world's order
        body = await _buffer_body(request)
        at = rt.clock.now()
        with rt.clock.pinned(at):
            response = await handler(request)
        headers = plain_headers(request)
        if request.path.startswith(ADMIN):
            headers.pop("Authorization", None)  # the admin token is not written to disk; replay adds it
        if request.get(TENANT_PREFIX):
            headers[PREFIX_HEADER] = request[TENANT_PREFIX]
        url = request.rel_url
        durable.state.append(LoggedRequest(at, request.method, url.raw_path, url.raw_query_string, headers, body))
        return response


async def replay(app: web.Application, runner: web.AppRunner, durable: Durability) -> int:
    """Rebuild the world the log describes: reset to its seed and scenario, then send every logged request
    again, in order, at its recorded instant (through a private loopback socket, so it takes exactly the
    path it took the first time). Returns the number of requests replayed."""
    rt: Runtime = app[RUNTIME]
    meta = durable.state.meta()
    entries = durable.state.entries()
    if "seed" not in meta:
        durable.state.start_world(rt.seed, rt.scenario, list(rt.vendors))
        return 0
    seed, scenario = int(meta["seed"]), meta["scenario"]
    if (seed, scenario) != (rt.seed, rt.scenario):
        log.warning("the state file's world (seed=%s, scenario=%s) wins over --seed/--scenario; "
                    "reset to start another", seed, scenario)
    rt.reset(seed, scenario)
    if not entries:
        return 0
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession(auto_decompress=False) as session:
            for entry in entries:
                await _send(session, f"http://127.0.0.1:{port}", durable, entry)
    finally:
        durable.replay_at = None
        await site.stop()
    rt.journal.clear()
    log.info("restored %d requests from %s", len(entries), durable.state.path)
    return len(entries)


async def _send(session: aiohttp.ClientSession, root: str, durable: Durability, entry: LoggedRequest) -> None:
    headers = dict(entry.headers)
    if entry.path.startswith(ADMIN) and durable.admin_token:
        headers["Authorization"] = f"Bearer {durable.admin_token}"
    durable.replay_at = entry.at
    url = URL(root + entry.path + (f"?{entry.query}" if entry.query else ""), encoded=True)
    async with session.request(entry.method, url, headers=headers, data=entry.body or None,
                               skip_auto_headers=("Content-Type", "User-Agent", "Accept", "Accept-Encoding")) as resp:
        await resp.read()
