"""``create_app(config)``: one aiohttp application serving every configured vendor at its native paths."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from mockbi import vendors as vendor_catalog
from mockbi.config import MockbiConfig
from mockbi.core.admin import ADMIN_ERRORS, PREFIX, add_admin_routes, admin_error
from mockbi.core.admin_client import add_client_routes
from mockbi.core.admin_guard import AdminGuard
from mockbi.core.arrange import arrange_routes
from mockbi.core.console import console_routes
from mockbi.core.contract_types import Contract
from mockbi.core.contracts import RestContract
from mockbi.core.durable import StateFile, StateFileError
from mockbi.core.durable_app import Durability, durable_requests
from mockbi.core.exchange import close_call, open_call, render_error, to_response
from mockbi.core.front_door import FrontDoor
from mockbi.core.hook_context import check_hook_kinds
from mockbi.core.near_miss import HEADER as NEAR_MISS_HEADER
from mockbi.core.near_miss import closest, header_value
from mockbi.core.rendered import encode
from mockbi.core.route_index import index_key
from mockbi.core.router import add_routes
from mockbi.core.runtime import Runtime
from mockbi.core.serving import SERVE, serve
from mockbi.core.state_admin import state_routes
from mockbi.core.stubs_admin import stub_routes
from mockbi.core.tenant_files import TenantFiles, start_durable
from mockbi.core.tenants import TENANTS, TenantError, Tenants, TenantSpec, tenant_routes
from mockbi.core.vendor import RestVendor, Vendor
from mockbi.keys import DURABLE, RUNTIME

log = logging.getLogger("mockbi")
#: the path of the app's last route (``unrouted``): any path
UNROUTED = "/{unrouted_path:.*}"


def error_answer(request: web.Request, exc: Exception) -> web.StreamResponse | None:
    """The JSON answer to what an admin handler raised (``admin_error``); ``None``: not ours to answer, raise
    it (a request no route matches is answered by ``unrouted``, the app's last route)."""
    return admin_error(request, exc) if isinstance(exc, ADMIN_ERRORS) else None


def unrouted(app: web.Application) -> web.RouteDef:
    """The app's last route, for every method and path: reached only by a request no other route matches,
    answered as aiohttp's router would have refused it (404, or 405 where a route holds the path with other
    methods), in ``unmatched``'s JSON."""
    index: dict[str, list[web.AbstractResource]] = {}

    async def no_route(request: web.Request) -> web.StreamResponse:
        if not index:  # the routes as aiohttp's router indexes them, once (routes are fixed once serving)
            for resource in app.router.resources():
                if resource is not request.match_info.route.resource:  # this route's own
                    index.setdefault(index_key(resource.canonical), []).append(resource)
        allowed: set[str] = set()
        part = request.rel_url.path_safe
        while part:  # aiohttp's walk: the request's path, then each shorter prefix, down to "/"
            for resource in index.get(part, ()):
                allowed |= (await resource.resolve(request))[1]
            if part == "/":
                break
            part = part.rpartition("/")[0] or "/"
        exc = web.HTTPMethodNotAllowed(request.method, allowed) if allowed else web.HTTPNotFound()
        return unmatched(request, exc)

    return web.route("*", UNROUTED, no_route)


@web.middleware
async def answer_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """``error_answer`` as a layer of its own: inside the durable log's layer, which logs what was answered."""
    try:
        return await handler(request)  # type: ignore[no-any-return]
    except Exception as exc:
        answer = error_answer(request, exc)
        if answer is None:
            raise
        return answer


def unmatched(request: web.Request, exc: web.HTTPNotFound | web.HTTPMethodNotAllowed) -> web.StreamResponse:
    """A path in no contract answers 404 JSON naming the method and path (never an HTML page), a
    known path with the wrong method 405 JSON with ``Allow``; both are journaled, and the journal entry, the
    log line and ``X-Mockbi-Near-Miss`` name the closest declared operations (core/near_miss.py)."""
    status = exc.status
    message = f"mockbi serves no route for {request.method} {request.path}"
    rt = request.config_dict[RUNTIME]
    owner = _owner(rt, request.path)
    admin = request.path.startswith(PREFIX)
    nearest = [] if admin else closest(rt, request.method, request.path)
    near = [name for _, name in nearest]
    if owner is not None and status == 404:
        # under a vendor's own prefix the client gets that vendor's 404 envelope and headers
        rendered, extra = render_error(owner.error(404, message)), dict(owner.response_headers())
    else:
        body = {"error": "not_found" if status == 404 else "method_not_allowed", "message": message,
                "method": request.method, "path": request.path}
        allow = {"Allow": ",".join(sorted(exc.allowed_methods))} if isinstance(exc, web.HTTPMethodNotAllowed) \
            else {}
        rendered, extra = encode(status, body, headers=allow), {}
    response = to_response(rendered, extra)
    if not admin:
        call = open_call(rt, request, owner.name if owner else None, None)
        call.near_misses = near
        # counted for the vendor whose path it is, or whose operation it nearly was
        counted = owner.name if owner else (nearest[0][0] if nearest else None)
        close_call(rt, call, rendered, coverage_vendor=counted)
        log.info("no operation matches %s %s; closest: %s", request.method, request.path,
                 header_value(near) or "none")
        if near:
            response.headers[NEAR_MISS_HEADER] = header_value(near)
    return response


def _owner(rt: Runtime, path: str) -> RestVendor[Any] | None:
    """The REST vendor whose declared path prefix holds ``path`` (longest prefix wins)."""
    best: tuple[int, RestVendor[Any]] | None = None
    for vr in rt.vendors.values():
        vendor = vr.vendor
        if isinstance(vendor, RestVendor):
            for prefix in vendor.path_prefixes:
                if path.startswith(prefix) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), vendor)
    return best[1] if best else None


def _serve_tenants(app: web.Application, config: MockbiConfig, vendors: list[Vendor[Any]],
                   contracts: dict[str, Contract]) -> None:
    files = TenantFiles(config.state_file) if config.state_file is not None else None  # durable tenants

    async def build(spec: TenantSpec) -> web.Application:
        own_world = (spec.seed, spec.scenario) != (config.seed, config.scenario)  # then not the --state world
        # the journals of all tenants together stay within the server's own journal budget
        journal_bytes = max(config.journal_body_bytes, config.journal_bytes // config.max_tenants)
        tenant_config = config.evolve(seed=spec.seed, scenario=spec.scenario,
                                      state_file=str(files.path_for(spec.name)) if files else None,
                                      initial_state=None if own_world else config.initial_state,
                                      journal_bytes=journal_bytes)
        try:
            tenant_app = create_app(tenant_config, vendors, contracts=contracts, tenant=spec.name)
        except StateFileError as exc:  # a damaged or foreign tenant file: refused, left untouched
            raise TenantError(str(exc), 503) from None
        if files is not None:
            await start_durable(tenant_app, spec)
        else:
            tenant_app.freeze()
            await tenant_app.startup()
        return tenant_app

    async def close_tenants(app: web.Application) -> None:
        await app[TENANTS].close()

    app[TENANTS] = Tenants(build, (config.seed, config.scenario), config.max_tenants, files)
    serve(app, tenant_routes())
    app.on_cleanup.append(close_tenants)


async def _close_state_file(app: web.Application) -> None:
    app[DURABLE].state.close()


def _mount(app: web.Application, vendor: Vendor[Any], contract: Contract) -> int:
    """Serve a vendor at its native paths (the app calls the core's mounts; a vendor never wires itself)."""
    check_hook_kinds(vendor)
    if isinstance(contract, RestContract):
        assert isinstance(vendor, RestVendor)
        return add_routes(app, vendor, contract)
    from mockbi.core.graphql import GraphQLVendor  # imported only where a GraphQL vendor is served
    from mockbi.core.graphql_pipeline import mount

    assert isinstance(vendor, GraphQLVendor)
    return mount(app, vendor, contract)


def create_app(config: MockbiConfig | None = None, vendors: list[Vendor[Any]] | None = None, *,
               contracts: dict[str, Contract] | None = None, tenant: str | None = None) -> web.Application:
    """Build the application: contracts loaded and indexed once, one seeded store per vendor. The server's
    own app is also the front door of its tenants (``core.tenants``); a tenant's app is built with
    ``tenant`` set and shares the server's compiled contracts."""
    config = config or MockbiConfig()
    selected = vendors if vendors is not None else vendor_catalog.load(config.vendors)
    guard = AdminGuard(bind_host=config.bind_host, token=config.admin_token, allowed_hosts=config.allowed_hosts,
                       cors_origins=config.cors_origins)
    if config.state_file is not None:  # the durable log logs what was answered: errors are answered inside it
        door = FrontDoor(guard, tenants=tenant is None)
        app = web.Application(middlewares=[door.middleware(), durable_requests, answer_errors],
                              client_max_size=config.max_body_size)
        app[SERVE] = _as_is
    else:  # no middleware: every route is served through the front door, which answers errors itself
        door = FrontDoor(guard, tenants=tenant is None, errors=error_answer)
        app = web.Application(client_max_size=config.max_body_size)
        app[SERVE] = door.wrap
    contracts = contracts if contracts is not None else {v.name: v.load_contract() for v in selected}
    app[RUNTIME] = Runtime(config, selected, contracts)
    if config.initial_state:
        from mockbi.core.state import load_state_file

        load_state_file(app[RUNTIME], config.initial_state)
    if tenant is None:
        _serve_tenants(app, config, selected, contracts)
    if config.state_file is not None:
        app[DURABLE] = Durability(StateFile.open(config.state_file), config.admin_token)
        app.on_cleanup.append(_close_state_file)
    add_admin_routes(app)
    serve(app, [*stub_routes(), *arrange_routes(), *state_routes()])  # stubs, arrange, state, snapshots
    add_client_routes(app)
    serve(app, console_routes())
    for vendor in selected:
        count = _mount(app, vendor, contracts[vendor.name])
        extra = vendor.admin_routes()
        if extra:
            serve(app, extra)
        log.debug("%s serves %d routes", vendor.name, count)
    serve(app, [unrouted(app)])  # last: only what no other route matches reaches it
    return app


def _as_is(handler: Handler) -> Handler:
    return handler
