"""The request pipeline for REST operations (prism's order):

    route (contract) → journal → fault? → auth → validate request → handler(store)
      → envelope → validate response → journal

``make_handler`` binds one contract operation to an aiohttp handler. The core knows no vendor: every
vendor-specific decision is a hook on :class:`~mockbi.core.vendor.RestVendor`.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

from aiohttp import web

from mockbi.core.contracts import Operation, RestContract
from mockbi.core.deferred import Deferred
from mockbi.core.errors import ApiError
from mockbi.core.exchange import abandon, close_call, crashed, finish, open_call, render_error, to_response
from mockbi.core.fault_actions import fault_error, inject
from mockbi.core.faults import Disconnected
from mockbi.core.journal import Call
from mockbi.core.messages import OpRequest, Reply
from mockbi.core.near_miss import HEADER as NEAR_MISS_HEADER
from mockbi.core.near_miss import header_value
from mockbi.core.request_body import read_body
from mockbi.core.runtime import SAFE_METHODS, Runtime
from mockbi.core.stubs import Stubbed
from mockbi.core.tenants import external_url
from mockbi.core.validation import (
    MAX_JSON_DEPTH,
    Violation,
    nesting_violation,
    too_deep,
    validate_body,
    validate_parameters,
    validate_response,
)
from mockbi.core.vendor import Rendered, RestVendor
from mockbi.keys import RUNTIME

log = logging.getLogger("mockbi")



def make_handler(vendor: RestVendor[Any], contract: RestContract, op: Operation) -> Any:
    """An aiohttp handler running the whole pipeline for ``op`` (the exchange: ``core/exchange.py``)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        rt: Runtime = request.config_dict[RUNTIME]
        call = open_call(rt, request, vendor.name, op.operation_id)
        defects: list[Violation] = []
        action = None
        ours = False  # mockbi's own answer (no handler bound): not the vendor's, not validated against it
        try:
            action = await inject(rt, vendor, op.operation_id, request, call)
            if action is not None and action.status is not None:
                raise fault_error(vendor, action, lambda status: vendor.error(status, "Injected fault"))
            await rt.stubs.answer(vendor.name, op.operation_id, request, call)  # raises Stubbed on a match
            rendered = _rendered(vendor, contract, op, await _run(rt, vendor, contract, op, request, call))
        except (Disconnected, ConnectionResetError):
            return abandon(rt, call)
        except Stubbed as hit:
            rendered = hit.rendered
        except NotImplementedOperation as missing:
            rendered, ours = render_error(missing), True
        except ApiError as err:
            rendered = render_error(vendor.adapt_error(request, op, err))
        except web.HTTPRequestEntityTooLarge:
            rendered = render_error(vendor.adapt_error(request, op, vendor.error(
                413, f"Request body exceeds the limit of {rt.config.max_body_size} bytes")))
        except Exception as exc:
            defects.append(crashed(vendor.name, f"handler of {op.operation_id}", exc))
            rendered = render_error(vendor.error(500, "A server error occurred in the mock"))
        if rt.config.validate_responses and not ours:
            defects += validate_response(contract, op, rendered.status, rendered.content_type, rendered.document,
                                         has_body=bool(rendered.payload))
        return await finish(rt, request, vendor, call, rendered, defects, op.operation_id, action)

    handle.__name__ = f"handle_{op.operation_id}"
    return handle


def _rendered(vendor: RestVendor[Any], contract: RestContract, op: Operation, reply: Reply) -> Rendered:
    """A handler's reply in the vendor's envelope (an error status through the error encoder)."""
    status = reply.status or op.success_status
    if status >= 400:
        return render_error(_as_error(reply, status))
    return vendor.render(op, reply, status)


def make_not_allowed_handler(vendor: RestVendor[Any], operations: list[Operation], allowed: list[str]) -> Any:
    """The handler for a contract path asked with an undeclared method: the vendor's 405, journaled."""

    async def not_allowed(request: web.Request) -> web.StreamResponse:
        rt: Runtime = request.config_dict[RUNTIME]
        store = rt.vendors[vendor.name].store
        call = open_call(rt, request, vendor.name, None)
        try:
            err = vendor.method_not_allowed(request, store, operations)
            if inspect.isawaitable(err):
                err = await err
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


def _as_error(reply: Reply, status: int) -> ApiError:
    return ApiError(status, None if reply.empty else reply.body, headers=reply.headers,
                    content_type=reply.content_type or "application/json")


async def _authenticate(vendor: RestVendor[Any], request: web.Request, store: Any, op: Operation) -> Any:
    principal = vendor.authenticate(request, store, op)
    if inspect.isawaitable(principal):  # an async hook may read the body (keys sent in the body)
        principal = await principal
    return principal


async def _run(rt: Runtime, vendor: RestVendor[Any], contract: RestContract, op: Operation, request: web.Request,
               call: Call) -> Reply:
    generation = rt.generation
    store = rt.vendors[vendor.name].store_for(request.method)
    principal = await _authenticate(vendor, request, store, op)
    path, query, problems = validate_parameters(contract, op, request.match_info, request.query, request.headers)
    raw = await read_body(request)
    deep: Violation | None
    try:
        body = vendor.decode_body(op, raw)
    except RecursionError:  # a vendor's parser recursing once per level met a body deeper than Python's stack
        body, deep = None, too_deep()
    else:
        # fewer opening brackets than the limit cannot nest deeper than it: most bodies skip the walk
        deep = nesting_violation(body) if raw.data.count(b"[") + raw.data.count(b"{") > MAX_JSON_DEPTH else None
    call.request_body = body
    if deep is not None:  # neither validated (jsonschema-rs would hit its recursion limit) nor handled
        call.request_violations = [deep]
        raise vendor.request_error(contract, op, [deep])
    problems += validate_body(contract, op, body, raw.media)
    if problems:
        call.request_violations = problems
        raise vendor.request_error(contract, op, problems)
    vendor.vet_body(contract, op, body)
    binding = vendor.registry.get(op.operation_id)
    if binding is None:
        raise NotImplementedOperation(op.operation_id)
    req = OpRequest(operation=op, path=path, query=query, raw_query=request.query, headers=request.headers,
                    body=body, url=external_url(request), principal=principal, cookies=request.cookies)
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
        req.principal = await _authenticate(vendor, request, rt.vendors[vendor.name].store_for(request.method),
                                            op)
    if isinstance(result, Deferred):  # slow store-free work (a warehouse query): off the loop, lock released
        result = await asyncio.get_running_loop().run_in_executor(None, result.work)
    return result if isinstance(result, Reply) else Reply(body=result)
