"""The admin API under ``/__mockbi/`` (like moto's ``/moto-api/``): health, info, reset, journal,
clock, faults and coverage."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import orjson
from aiohttp import web

from mockbi.core.coverage import coverage_report
from mockbi.core.errors import ConfigError, MockbiError
from mockbi.core.faults import Fault
from mockbi.core.runtime import Runtime
from mockbi.keys import RUNTIME

PREFIX = "/__mockbi"
log = logging.getLogger("mockbi")


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


def _bad(message: str, status: int = 400) -> web.Response:
    return _json({"error": message}, status)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        data = orjson.loads(await request.read())
    except orjson.JSONDecodeError as exc:
        raise ConfigError(f"malformed JSON body: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError("the body must be a JSON object")
    return data


def _rt(request: web.Request) -> Runtime:
    return request.config_dict[RUNTIME]


async def health(request: web.Request) -> web.Response:
    return _json({"status": "ok"})


async def info(request: web.Request) -> web.Response:
    return _json(_rt(request).info())


async def reset(request: web.Request) -> web.Response:
    body = await _body(request)
    seed = body.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        return _bad("seed must be an integer")
    scenario = body.get("scenario")
    if scenario is not None and not isinstance(scenario, str):
        return _bad("scenario must be a string")
    rt = _rt(request)
    rt.reset(seed, scenario)
    if body.get("clear_journal", True):
        rt.journal.clear()
    return _json(rt.info())


async def journal_get(request: web.Request) -> web.Response:
    calls = _rt(request).journal.calls
    q = request.query
    status = q.get("status")
    calls = calls.filter(vendor=q.get("vendor"), operation_id=q.get("operation") or q.get("operation_id"),
                         method=q.get("method"), status=int(status) if status and status.isdigit() else None)
    if q.get("violations") in ("1", "true"):
        calls = calls.with_violations()
    return _json({"count": len(calls), "calls": [c.as_dict() for c in calls]})


async def journal_delete(request: web.Request) -> web.Response:
    _rt(request).journal.clear()
    return web.Response(status=204)


async def clock_get(request: web.Request) -> web.Response:
    clock = _rt(request).clock
    return _json({"now": clock.now().isoformat(), "mode": clock.mode})


async def clock_post(request: web.Request) -> web.Response:
    """``{"advance": seconds}``, ``{"set": iso-8601}``, ``{"mode": "frozen"|"wall"}`` (any combination)."""
    body = await _body(request)
    clock = _rt(request).clock
    mode = body.get("mode")
    if mode == "frozen":
        clock.freeze()
    elif mode == "wall":
        clock.unfreeze()
    elif mode is not None:
        return _bad("mode must be 'frozen' or 'wall'")
    if "set" in body:
        try:
            clock.set(datetime.fromisoformat(str(body["set"]).replace("Z", "+00:00")))
        except ValueError as exc:
            return _bad(str(exc))
    if "advance" in body:
        seconds = body["advance"]
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            return _bad("advance must be a number of seconds")
        clock.advance(float(seconds))
    return _json({"now": clock.now().isoformat(), "mode": clock.mode})


async def faults_get(request: web.Request) -> web.Response:
    return _json({"faults": [f.as_dict() for f in _rt(request).faults.rules]})


async def faults_post(request: web.Request) -> web.Response:
    body = await _body(request)
    rt = _rt(request)
    if body.get("vendor") not in rt.vendors:
        return _bad(f"vendor must be one of {sorted(rt.vendors)}")
    try:
        fault = Fault(**body)
    except TypeError as exc:
        return _bad(f"invalid fault: {exc}")
    rt.faults.add(fault)
    return _json(fault.as_dict(), 201)


async def faults_delete(request: web.Request) -> web.Response:
    _rt(request).faults.clear()
    return web.Response(status=204)


async def coverage(request: web.Request) -> web.Response:
    rt = _rt(request)
    return _json(coverage_report([vr.vendor for vr in rt.vendors.values()],
                                 {n: vr.contract for n, vr in rt.vendors.items()}))


@web.middleware
async def admin_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)  # type: ignore[no-any-return]
    except MockbiError as exc:
        if not request.path.startswith(PREFIX):
            raise
        return _bad(str(exc))
    except (ValueError, TypeError) as exc:  # an admin bug or odd input: JSON, never a text/HTML 500
        if not request.path.startswith(PREFIX):
            raise
        log.exception("mockbi: admin request %s %s failed", request.method, request.path)
        return _json({"error": f"{type(exc).__name__}: {exc}"}, 500)


def add_admin_routes(app: web.Application) -> None:
    app.router.add_routes([
        web.get(f"{PREFIX}/health", health),
        web.get(f"{PREFIX}/info", info),
        web.post(f"{PREFIX}/reset", reset),
        web.get(f"{PREFIX}/journal", journal_get),
        web.delete(f"{PREFIX}/journal", journal_delete),
        web.get(f"{PREFIX}/clock", clock_get),
        web.post(f"{PREFIX}/clock", clock_post),
        web.get(f"{PREFIX}/faults", faults_get),
        web.post(f"{PREFIX}/faults", faults_post),
        web.delete(f"{PREFIX}/faults", faults_delete),
        web.get(f"{PREFIX}/coverage", coverage),
    ])
