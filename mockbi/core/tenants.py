"""Isolated tenants in one server: many CI jobs or xdist workers share a sidecar without seeing each other.

A tenant is a whole mockbi app of its own (world, journal, faults, clock, coverage), built from the server's
seed and scenario (same ids and credentials, so a client changes only its base URL) unless it was created
with its own. A request reaches a tenant by:

- a base-URL prefix: ``/tenants/{name}/api/...`` (links the mock builds keep the prefix);
- the header ``X-Mockbi-Tenant: name`` on any path;
- the admin API and console under ``/__mockbi/tenants/{name}/...``.

Tenants are created on first use (or by ``POST /__mockbi/tenants {"name", "seed"?, "scenario"?, "pinned"?}``),
listed by ``GET /__mockbi/tenants`` and removed by ``DELETE /__mockbi/tenants/{name}``. At most
``max_tenants`` live at once: the least recently used unpinned tenant is evicted to make room; when every
one is pinned, creating another is refused with a clear error. Memory is bounded with the count: each tenant's
journal gets ``journal_bytes / max_tenants`` (at least one body's worth), so all tenants' journals together
stay within the server's own journal budget. Under ``--state-file`` tenants are durable too
(``core/tenant_files.py``): an evicted tenant is unloaded, and comes back from its file on its next use.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web
from yarl import URL

from mockbi.core.admin import json_body, json_response
from mockbi.core.errors import ConfigError

TENANT_HEADER = "X-Mockbi-Tenant"
PATH_PREFIX = "/tenants/"
ADMIN_PREFIX = "/__mockbi/tenants"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: the base-URL prefix a tenant's request came in under (links the mock builds must keep it)
TENANT_PREFIX: web.RequestKey[str] = web.RequestKey("mockbi_tenant_prefix")
AppFactory = Callable[["TenantSpec"], Awaitable[web.Application]]


class TenantError(ConfigError):
    """A tenant name or a tenant operation is not possible; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(slots=True)
class TenantSpec:
    name: str
    seed: int
    scenario: str
    pinned: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "seed": self.seed, "scenario": self.scenario, "pinned": self.pinned}


def check_name(name: str) -> str:
    if not isinstance(name, str) or NAME.fullmatch(name) is None:
        raise TenantError(f"invalid tenant name {name!r}: 1-64 letters, digits, '_', '.' or '-', "
                          "starting with a letter or digit")
    return name


class TenantStore(Protocol):
    """Where durable tenants keep their worlds (``core/tenant_files.TenantFiles``)."""

    def stored(self, name: str) -> TenantSpec | None: ...

    def names(self) -> list[str]: ...

    def discard(self, name: str) -> bool: ...


class Tenants:
    """The live tenants of one server, least recently used first."""

    def __init__(self, factory: AppFactory, defaults: tuple[int, str], max_tenants: int,
                 store: TenantStore | None = None) -> None:
        self._factory = factory
        self.defaults = defaults
        self.max_tenants = max_tenants
        self._store = store
        self._live: OrderedDict[str, tuple[TenantSpec, web.Application]] = OrderedDict()
        self._building: dict[str, asyncio.Event] = {}  # names whose app is being built (a durable one replays)

    def specs(self) -> list[TenantSpec]:
        return [spec for spec, _ in self._live.values()]

    def unloaded(self) -> list[dict[str, Any]]:
        """Durable tenants on disk but not live (after a restart, or evicted; they come back on first use), as
        listed: a file that cannot be read is listed with its ``error`` (the listing itself never fails)."""
        listed: list[dict[str, Any]] = []
        for name in self._store.names() if self._store is not None else []:
            if name in self._live:
                continue
            try:
                spec = self._store.stored(name) if self._store is not None else None
            except TenantError as exc:
                listed.append({"name": name, "loaded": False, "error": str(exc)})
                continue
            if spec is not None:
                listed.append({**spec.as_dict(), "loaded": False})
        return listed

    async def app_for(self, name: str) -> web.Application:
        """The tenant's app, created on first use from its stored world or the server's seed and scenario."""
        found = self._live.get(check_name(name))
        if found is not None:
            self._live.move_to_end(name)
            return found[1]
        building = self._building.get(name)
        if building is not None:  # another request is creating it: wait for that one
            await building.wait()
            found = self._live.get(name)
            if found is None:
                raise TenantError(f"tenant {name!r} could not be created; see the server's log", 503)
            return found[1]
        stored = self._store.stored(name) if self._store is not None else None
        return await self._build(stored or TenantSpec(name, *self.defaults))

    async def create(self, spec: TenantSpec) -> web.Application:
        """A tenant from an explicit spec (``POST /__mockbi/tenants``)."""
        check_name(spec.name)
        if spec.name in self._live or spec.name in self._building or (
                self._store is not None and self._store.stored(spec.name) is not None):
            raise TenantError(f"tenant {spec.name!r} exists; DELETE it first to rebuild it", 409)
        return await self._build(spec)

    async def _build(self, spec: TenantSpec) -> web.Application:
        done = self._building[spec.name] = asyncio.Event()  # before any await: later requests wait for this build
        try:
            if len(self._live) + len(self._building) > self.max_tenants:
                await self._evict_one()
            app = await self._factory(spec)
            self._live[spec.name] = (spec, app)
        finally:
            del self._building[spec.name]
            done.set()
        return app

    async def remove(self, name: str) -> bool:
        """Remove the tenant and, when durable, its stored world."""
        found = self._live.pop(check_name(name), None)
        if found is not None:
            await _stop(found[1])
        discarded = self._store.discard(name) if self._store is not None else False
        return found is not None or discarded

    async def close(self) -> None:
        while self._live:
            _, (_, app) = self._live.popitem()
            await _stop(app)

    async def _evict_one(self) -> None:
        for name, (spec, app) in self._live.items():  # least recently used first
            if not spec.pinned:
                del self._live[name]
                await _stop(app)
                return
        raise TenantError(f"all {self.max_tenants} tenants are pinned; DELETE one (or raise --max-tenants) "
                          "before creating another", 503)


#: the runner a durable tenant's app was started with (it replays its log through it); stopped with the app
TENANT_RUNNER: web.AppKey[web.AppRunner] = web.AppKey("mockbi_tenant_runner", web.AppRunner)


async def _stop(app: web.Application) -> None:
    runner = app.get(TENANT_RUNNER)
    if runner is not None:
        await runner.cleanup()
        return
    await app.shutdown()
    await app.cleanup()


def route(request: web.Request) -> tuple[str, str, str] | None:
    """``(tenant, path inside the tenant, the tenant's base-URL prefix)`` for a request addressed to a tenant
    (the prefix is empty when the header chose the tenant: the client's URLs carry none)."""
    path = request.rel_url.raw_path
    if path.startswith(PATH_PREFIX):
        name, _, rest = path[len(PATH_PREFIX):].partition("/")
        return name, "/" + rest, PATH_PREFIX + name
    if path.startswith(ADMIN_PREFIX + "/"):
        name, sep, rest = path[len(ADMIN_PREFIX) + 1:].partition("/")
        if sep:  # /__mockbi/tenants/{name}/... is the tenant's own admin API; /__mockbi/tenants/{name} is ours
            return name, "/__mockbi/" + rest, PATH_PREFIX + name  # the console shows prefixed base URLs
        return None
    header = request.headers.get(TENANT_HEADER)
    if header is not None and not path.startswith(ADMIN_PREFIX):
        return header, path, ""
    return None


def external_url(request: web.Request) -> URL:
    """The URL the client used, tenant prefix included (for links the mock builds)."""
    prefix = request.get(TENANT_PREFIX)
    if not prefix:
        return request.url
    url = request.url
    return URL.build(scheme=url.scheme, authority=url.raw_authority, path=prefix + url.raw_path,
                     query_string=url.raw_query_string, encoded=True)


def _refusal(exc: TenantError) -> web.Response:
    return json_response({"error": str(exc)}, exc.status)


async def dispatch(request: web.Request, tenants: Tenants, target: tuple[str, str, str]) -> web.StreamResponse:
    """``request`` (addressed to a tenant, as ``route`` found) answered by that tenant's own app: its router and
    middlewares, as if it were the server."""
    name, path, prefix = target
    try:
        app = await tenants.app_for(name)
    except TenantError as exc:
        return _refusal(exc)
    inner = request.clone(rel_url=URL.build(path=path, query_string=request.rel_url.raw_query_string, encoded=True))
    inner[TENANT_PREFIX] = prefix  # set even when empty: a lookup that finds it raises no KeyError
    return await app._handle(inner)


# --- the admin routes of the server itself: list, create, inspect and remove tenants ---------------------
TENANTS: web.AppKey[Tenants] = web.AppKey("mockbi_tenants", Tenants)


async def list_tenants(request: web.Request) -> web.Response:
    """The live tenants, least recently used first, then (under ``--state-file``) the stored ones not loaded."""
    tenants = request.app[TENANTS]
    listed = [{**s.as_dict(), "loaded": True} for s in tenants.specs()]
    listed += tenants.unloaded()
    return json_response({"max_tenants": tenants.max_tenants, "tenants": listed})


async def create_tenant(request: web.Request) -> web.Response:
    body = await json_body(request)
    if set(body) - {"name", "seed", "scenario", "pinned"}:
        raise TenantError("the body must be a JSON object with 'name' and optional 'seed', 'scenario', 'pinned'")
    tenants = request.app[TENANTS]
    seed, scenario = tenants.defaults
    seed = body.get("seed", seed)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise TenantError(f"seed must be a non-negative integer, not {seed!r}")
    scenario = body.get("scenario", scenario)
    if not isinstance(scenario, str) or not isinstance(body.get("pinned", False), bool):
        raise TenantError("scenario must be a string and pinned a boolean")
    spec = TenantSpec(check_name(body.get("name", "")), seed, scenario, body.get("pinned", False))
    await tenants.create(spec)
    return json_response(spec.as_dict(), 201)


async def get_tenant(request: web.Request) -> web.Response:
    name = check_name(request.match_info["name"])
    for spec in request.app[TENANTS].specs():
        if spec.name == name:
            return json_response(spec.as_dict())
    raise TenantError(f"no tenant {name!r} (tenants are created on first use)", 404)


async def delete_tenant(request: web.Request) -> web.Response:
    if not await request.app[TENANTS].remove(request.match_info["name"]):
        raise TenantError(f"no tenant {request.match_info['name']!r}", 404)
    return web.Response(status=204)


def tenant_routes() -> list[web.RouteDef]:
    return [
        web.get(ADMIN_PREFIX, list_tenants),
        web.post(ADMIN_PREFIX, create_tenant),
        web.get(ADMIN_PREFIX + "/{name}", get_tenant),
        web.delete(ADMIN_PREFIX + "/{name}", delete_tenant),
    ]
