"""The request pipeline for REST operations (prism's order):

    route (contract) → journal → fault? → auth → validate request → handler(store)
      → envelope → validate response → journal

``make_handler`` binds one contract operation to an aiohttp handler. The core knows no vendor: every
vendor-specific decision is a hook on :class:`~mockbi.core.vendor.RestVendor`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import Any

from aiohttp import hdrs, web

from mockbi.core.contracts import Operation, RestContract
from mockbi.core.deferred import Deferred
from mockbi.core.errors import ApiError
from mockbi.core.exchange import abandon, close_call, crashed, finish, open_call, render_error, to_response
from mockbi.core.fault_actions import deliver, fault_error, inject, may_inject
from mockbi.core.faults import Disconnected
from mockbi.core.hook_context import HookContext, RestHookContext
from mockbi.core.messages import OpRequest, Reply
from mockbi.core.near_miss import HEADER as NEAR_MISS_HEADER
from mockbi.core.near_miss import header_value
from mockbi.core.rendered import Rendered, encode
from mockbi.core.request_body import read_body
from mockbi.core.runtime import SAFE_METHODS, Runtime
from mockbi.core.stubs import Stubbed
from mockbi.core.tenants import TENANT_PREFIX, external_url
from mockbi.core.validation import (
    MAX_JSON_DEPTH,
    Violation,
    checked_parameters,
    nesting_violation,
    too_deep,
    validate_body,
    validate_response,
)
from mockbi.core.vendor import RawBody, RestVendor
from mockbi.keys import RUNTIME

log = logging.getLogger("mockbi")
#: a request without a Cookie header (aiohttp would parse the empty header into the same empty mapping)
NO_COOKIES: Mapping[str, str] = MappingProxyType({})



def make_handler(vendor: RestVendor[Any], contract: RestContract, op: Operation, rt: Runtime) -> Any:
    """An aiohttp handler running the whole pipeline for ``op`` in the app of ``rt``. It owns the exchange
    (``core/exchange.py``): the stages below return what they found, and only this function writes it into
    the journal entry."""

    async def handle(request: web.Request) -> web.StreamResponse:
        call = open_call(rt, request, vendor.name, op.operation_id)
        ctx = RestHookContext(request, rt.vendors[vendor.name].store_for(request.method), rt.clock,
                              contract=contract, op=op)
        defects: list[Violation] = []
        action = None
        ours = False  # mockbi's own answer (no handler bound): not the vendor's, not validated against it
        try:
            action = await inject(rt, vendor, op.operation_id, request, call) if may_inject(rt, request) else None
            if action is not None and action.status is not None:
                raise fault_error(vendor, action, lambda status: vendor.error(status, "Injected fault"))
            if rt.stubs.active:
                await rt.stubs.answer(vendor.name, op.operation_id, request, call)  # raises Stubbed on a match
            accepted = await _accept(rt, vendor, ctx)
            call.request_body = accepted.body
            rendered = _rendered(vendor, op, await _execute(rt, vendor, ctx, accepted))
        except (Disconnected, ConnectionResetError):
            return abandon(rt, call)
        except Stubbed as hit:
            rendered = hit.rendered
        except NotImplementedOperation as missing:
            rendered, ours = render_error(missing), True
        except Refused as refused:
            call.request_body, call.request_violations = refused.body, refused.violations
            rendered = render_error(vendor.adapt_error(ctx, refused.error))
        except ApiError as err:
            rendered = render_error(vendor.adapt_error(ctx, err))
        except web.HTTPRequestEntityTooLarge:
            rendered = render_error(vendor.adapt_error(ctx, vendor.error(
                413, f"Request body exceeds the limit of {rt.config.max_body_size} bytes")))
        except Exception as exc:
            defects.append(crashed(vendor.name, f"handler of {op.operation_id}", exc))
            rendered = render_error(vendor.error(500, "A server error occurred in the mock"))
        if rt.config.validate_responses and not ours:
            defects += validate_response(contract, op, rendered.status, rendered.content_type, rendered.document,
                                         has_body=bool(rendered.payload), payload=rendered.payload)
        response = finish(rt, vendor, call, rendered, defects, op.operation_id)
        return response if action is None else await deliver(request, response, action)

    handle.__name__ = f"handle_{op.operation_id}"
    return handle


def _rendered(vendor: RestVendor[Any], op: Operation, reply: Reply) -> Rendered:
    """A handler's reply in the vendor's envelope (an error status as an error is sent: no envelope)."""
    status = reply.status or op.success_status
    if status >= 400:
        return encode(status, None if reply.empty else reply.body, reply.content_type or "application/json",
                      reply.headers)
    return vendor.render(op, reply, status)


def make_not_allowed_handler(vendor: RestVendor[Any], operations: list[Operation], allowed: list[str]) -> Any:
    """The handler for a contract path asked with an undeclared method: the vendor's 405, journaled."""

    async def not_allowed(request: web.Request) -> web.StreamResponse:
        rt: Runtime = request.config_dict[RUNTIME]
        ctx = HookContext(request, rt.vendors[vendor.name].store, rt.clock)
        call = open_call(rt, request, vendor.name, None)
        try:
            err = await vendor.method_not_allowed(ctx, operations)
        except ApiError as raised:
            err = raised
        err.headers.setdefault("Allow", ", ".join(allowed))
        rendered = render_error(err)
        call.near_misses = [f"{op.method} {op.path}" for op in operations]  # the path is right, the method not
        close_call(rt, call, rendered)
        log.info("%s %s matches no operation; the path declares: %s", request.method, request.path,
                 header_value(call.near_misses))
        return to_response(rendered, {**vendor.response_headers(), NEAR_MISS_HEADER: header_value(call.near_misses)})

    return not_allowed


class NotImplementedOperation(ApiError):
    """mockbi's own 501: the contract declares the operation, no handler is bound to it."""

    def __init__(self, operation_id: str) -> None:
        super().__init__(501, {"mockbi_error": "not_implemented", "operation": operation_id,
                               "message": f"mockbi has no handler for operation {operation_id}"})


class Refused(Exception):
    """A request the contract refuses: the vendor's answer, and the body and violations the journal keeps."""

    def __init__(self, error: ApiError, body: Any, violations: list[Violation]) -> None:
        super().__init__(str(violations[0]) if violations else "refused")
        self.error, self.body, self.violations = error, body, violations


@dataclass(slots=True)
class Accepted:
    """A request that passed auth and the contract: what the handler gets."""

    generation: int
    principal: Any
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


async def _accept(rt: Runtime, vendor: RestVendor[Any], ctx: RestHookContext[Any]) -> Accepted:
    """Authenticate, validate parameters, read, decode and validate the body (raises ``Refused`` or the
    vendor's ``ApiError``)."""
    contract, op, request = ctx.contract, ctx.op, ctx.request
    generation = rt.generation
    ctx.store = rt.vendors[vendor.name].store_for(request.method)  # the world now (a fault's latency may end
    principal = await vendor.authenticate(ctx)                    # after a reset)
    path, query, problems = checked_parameters(contract, op, request.raw_path, request.match_info, request.query,
                                               request.headers)
    raw = await read_body(request) if request.body_exists else RawBody(None, b"")
    deep: Violation | None
    try:
        body = vendor.decode_body(ctx, raw)
    except RecursionError:  # a vendor's parser recursing once per level met a body deeper than Python's stack
        body, deep = None, too_deep()
    else:
        # fewer opening brackets than the limit cannot nest deeper than it: most bodies skip the walk
        deep = nesting_violation(body) if raw.data.count(b"[") + raw.data.count(b"{") > MAX_JSON_DEPTH else None
    if deep is not None:  # neither validated (jsonschema-rs would hit its recursion limit) nor handled
        raise Refused(vendor.request_error(ctx, [deep]), body, [deep])
    problems += validate_body(contract, op, body, raw.media)
    if problems:
        raise Refused(vendor.request_error(ctx, problems), body, problems)
    return Accepted(generation, principal, path, query, body)


async def _execute(rt: Runtime, vendor: RestVendor[Any], ctx: RestHookContext[Any], accepted: Accepted) -> Reply:
    """The vendor's last rule on the body, then its handler under the runtime lock (against the world current
    then: a reset while the body uploaded re-authenticates the caller); a ``Deferred`` runs off the loop."""
    op, request = ctx.op, ctx.request
    vendor.vet_body(ctx, accepted.body)
    binding = vendor.registry.get(op.operation_id)
    if binding is None:
        raise NotImplementedOperation(op.operation_id)
    cookies = request.cookies if hdrs.COOKIE in request.headers else NO_COOKIES
    req = OpRequest(operation=op, path=accepted.path, query=accepted.query, raw_query=request.query,
                    headers=request.headers, body=accepted.body, url_of=partial(external_url, request),
                    principal=accepted.principal, cookies=cookies, prefix=request.get(TENANT_PREFIX, ""),
                    origin=f"{request.scheme}://{request.host}", target=request.raw_path)
    generation = accepted.generation
    while True:
        with rt.lock:
            if rt.generation == generation:
                store = rt.vendors[vendor.name].store_for(request.method)
                result = binding.handler(store, req)
                if request.method not in SAFE_METHODS:
                    store.writes += 1  # (again) after the write: a read cached meanwhile is stale
                break
        # the world was reset while the body was uploading: the caller is resolved again against the world
        # that will run the handler (a caller the new world lacks gets the vendor's 401/403)
        generation = rt.generation
        ctx.store = rt.vendors[vendor.name].store_for(request.method)
        req.principal = await vendor.authenticate(ctx)
    if isinstance(result, Deferred):
        result = await _finish_deferred(rt, vendor, request, result)
    return result if isinstance(result, Reply) else Reply(body=result)


async def _finish_deferred(rt: Runtime, vendor: RestVendor[Any], request: web.Request, deferred: Deferred) -> Any:
    """Slow store-free work (a warehouse query): off the loop with the lock released (on the loop when it says
    it is quick); then, if asked, back under the lock with the store of the world current now."""
    value = deferred.work() if deferred.quick else await asyncio.get_running_loop().run_in_executor(None,
                                                                                                    deferred.work)
    if deferred.then is None:
        return value
    with rt.lock:
        store = rt.vendors[vendor.name].store_for(request.method)
        answer = deferred.then(store, value)
        if request.method not in SAFE_METHODS:
            store.writes += 1
    return answer
