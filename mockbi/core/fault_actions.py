"""Carrying out fault rules in the request pipelines (REST and GraphQL alike).

``inject`` runs before authentication: it takes the rule that fires for this call (or the request's own
``Prefer: code=``), records the firing in the journal entry, waits, drops the connection, and returns the
action so the pipeline can answer its ``status`` (:func:`fault_error`) and, once the answer is rendered,
``deliver`` it: fault headers added, the body truncated, malformed or dripped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from mockbi.core.errors import ApiError, ConfigError
from mockbi.core.faults import Disconnected, Fault, FaultAction, Throttle, preferred_fault
from mockbi.core.journal import Call
from mockbi.core.ratelimit import caller_key, over_limit
from mockbi.core.vendor import Vendor

if TYPE_CHECKING:
    from mockbi.core.runtime import Runtime

log = logging.getLogger("mockbi")

#: how many pieces a ``slow_body`` answer is dripped in
DRIP_CHUNKS = 10


def check_rate_limit(vendor: Vendor[Any], fault: Fault) -> None:
    """``rate_limit: "vendor"`` needs limits the vendor documents."""
    if fault.rate_limit == "vendor" and vendor.rate_limits() is None:
        raise ConfigError(f"{vendor.name} documents no rate limit mockbi could apply; give "
                          f"rate_limit: {{\"limit\": n, \"window\": seconds}} instead")


def _throttle(vendor: Vendor[Any], request: web.Request, rt: Runtime) -> Throttle:
    def throttle(rule: Fault) -> FaultAction | None:
        limits = vendor.rate_limits()
        if isinstance(rule.rate_limit, dict):
            windows: tuple[tuple[int, float], ...] = ((rule.rate_limit["limit"], rule.rate_limit["window"]),)
        elif limits is not None:
            windows = limits.windows
        else:
            return None
        key = limits.key(request) if limits is not None else caller_key(request)
        if key is None:
            return None
        wait = over_limit(rule._hits.setdefault(key, []), windows, rt.clock.now().timestamp())
        if wait is None:
            return None
        if limits is not None:
            err = limits.throttled(wait)
        else:
            err = _vendor_error(vendor, 429, "Too many requests")
            err.headers["Retry-After"] = str(wait)
        return FaultAction(status=429, body=err.body, headers=dict(err.headers) or None)

    return throttle


def _vendor_error(vendor: Vendor[Any], status: int, message: str) -> ApiError:
    make: Callable[..., ApiError] = vendor.error  # type: ignore[attr-defined]
    return make(status, message)


def may_inject(rt: Runtime, request: web.Request) -> bool:
    """Whether ``inject`` could find anything for this call: a rule is armed, or the request asks with ``Prefer``
    (the pipelines skip it otherwise)."""
    return rt.faults.active or "Prefer" in request.headers


async def inject(rt: Runtime, vendor: Vendor[Any], operation_id: str, request: web.Request,
                 call: Call) -> FaultAction | None:
    """The fault action for this call, if any: latency is waited out and a disconnect carried out here."""
    firing = None
    if rt.faults.active:
        store = rt.vendors[vendor.name].store_for(request.method)  # a GET drawing on the RNG writes nothing memoised
        firing = rt.faults.take(vendor.name, operation_id, store.rng, _throttle(vendor, request, rt))
    if firing is not None:
        action = firing.action
        call.fault = firing.as_dict()
        log.info("fault rule %s fired on %s.%s (call %d of the rule): %s", firing.rule.id, vendor.name,
                 operation_id, firing.call, call.fault["action"])
    else:
        preferred = preferred_fault(vendor.name, operation_id, request.headers.get("Prefer"))
        if preferred is None:
            return None
        action = preferred.own_action()
        call.fault = {"rule": "prefer", "operation_id": operation_id, "call": 1, "action": {"status": action.status}}
    if action.latency:
        await asyncio.sleep(action.latency)
    if action.disconnect:
        assert request.transport is not None
        request.transport.close()
        call.status = 0
        raise Disconnected()
    return action


def fault_error(vendor: Vendor[Any], action: FaultAction, error: Callable[[int], ApiError]) -> ApiError:
    """The answer to a status fault: its own body, the vendor's throttled answer for a 429 that names a
    ``Retry-After``, or ``error(status)`` in the vendor's envelope; the fault's headers go on all three."""
    assert action.status is not None
    headers = dict(action.headers or {})
    if action.body is not None:
        return ApiError(action.status, action.body, headers=headers)
    limits = vendor.rate_limits()
    retry = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if action.status == 429 and limits is not None and retry is not None and retry.isdigit():
        err = limits.throttled(int(retry))
    else:
        err = error(action.status)
    for name in [k for k in err.headers if k.lower() in {h.lower() for h in headers}]:
        del err.headers[name]
    err.headers.update(headers)
    return err


def malformed(payload: bytes, content_type: str | None) -> bytes:
    """A syntactically broken version of ``payload`` under the same content type: JSON loses its last byte
    and gains a dangling comma; any other text gains an unbalanced quote."""
    if content_type is not None and "json" in content_type:
        return payload.rstrip()[:-1] + b"," if payload.strip() else b"{"
    return payload + b'\n"'


async def deliver(request: web.Request, response: web.Response, action: FaultAction | None) -> web.StreamResponse:
    """Send ``response`` as the fault action says: headers added, body malformed, truncated or dripped."""
    if action is None:
        return response
    if action.headers and action.status is None:
        response.headers.update(action.headers)
    body = response.body
    if not action.damages_body or not isinstance(body, bytes) or not body:
        return response
    if action.malformed:
        body = malformed(body, response.headers.get("Content-Type"))
        if action.truncate is False and not action.slow_body:
            response.body = body
            return response
    stream = web.StreamResponse(status=response.status, reason=response.reason,
                                headers={k: v for k, v in response.headers.items() if k.lower() != "content-length"})
    stream.content_length = len(body)
    await stream.prepare(request)
    cut = len(body) if action.truncate is False else (len(body) // 2 if action.truncate is True
                                                         else min(int(action.truncate), len(body)))
    await _write(stream, body[:cut], float(action.slow_body))
    if cut < len(body):
        assert request.transport is not None
        request.transport.close()
    return stream


async def _write(stream: web.StreamResponse, data: bytes, seconds: float) -> None:
    if not seconds:
        await stream.write(data)
        return
    size = max(1, -(-len(data) // DRIP_CHUNKS))
    pieces = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
    for piece in pieces:
        await stream.write(piece)
        await asyncio.sleep(seconds / len(pieces))

