"""The admin API under ``/__mockbi/`` (like moto's ``/moto-api/``): health, info, reset, journal,
clock, faults and coverage."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import orjson
from aiohttp import web
from aiohttp.web_request import FileField

from mockbi.core.admin_guard import mask_headers
from mockbi.core.coverage import coverage_report
from mockbi.core.encoding import dumps
from mockbi.core.errors import ConfigError, MockbiError
from mockbi.core.faults import Fault
from mockbi.core.journal_query import query_from_params
from mockbi.core.runtime import Runtime
from mockbi.core.serving import serve
from mockbi.core.suggest import check_names
from mockbi.core.suggest import unknown as unknown_name
from mockbi.keys import RUNTIME

PREFIX = "/__mockbi"
log = logging.getLogger("mockbi")


def _jsonable(value: Any) -> Any:
    """orjson's fallback for what a journaled body or a stored record may hold: uploaded files, multidict keys,
    sets, anything else."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, FileField):
        return {"filename": value.filename, "content_type": value.content_type}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return repr(value)


def json_response(data: Any, status: int = 200, *, option: int | None = None) -> web.Response:
    """An admin answer: JSON that always encodes (``core.encoding.dumps``), whatever the data holds."""
    return web.Response(body=dumps(data, default=_jsonable, option=option), status=status,
                        content_type="application/json")


def _bad(message: str, status: int = 400) -> web.Response:
    return json_response({"error": message}, status)


async def json_body(request: web.Request) -> dict[str, Any]:
    """An admin request's JSON object body (``{}`` when empty); anything else is a ``ConfigError`` (400)."""
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
    return json_response({"status": "ok"})


async def info(request: web.Request) -> web.Response:
    return json_response(_rt(request).info())


async def reset(request: web.Request) -> web.Response:
    body = await json_body(request)
    check_names("reset field", body, ("seed", "scenario", "clear_journal"))  # a typo is a 400, not ignored
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
    return json_response(rt.info())


JOURNAL_EXTRAS = ("after", "reveal")


async def journal_get(request: web.Request) -> web.Response:
    """Journaled calls, filtered by ``vendor``, ``operation`` (or ``operation_id``), ``method``, ``status``,
    ``violations=1``, ``path`` (a glob), ``body.<field>=value`` and ``after=SEQ`` (calls newer than SEQ: what a
    live view polls for); an unknown filter or a non-integer status is a 400, never a silent "everything".
    Credentials in request headers are masked unless ``reveal=1`` (behind the admin token when one is set)."""
    q = request.query
    query = query_from_params(q, extra=JOURNAL_EXTRAS)
    after = q.get("after")
    if after is not None and not after.isdigit():
        return _bad(f"after must be a journal sequence number, not {after!r}")
    journal = _rt(request).journal
    calls = query.apply(journal.since(int(after)) if after is not None else journal.calls)
    rendered = [c.as_dict() for c in calls]
    if q.get("reveal") not in ("1", "true"):  # credentials in request headers stay masked unless asked
        for entry in rendered:
            entry["request_headers"] = mask_headers(entry["request_headers"])
    return json_response({"count": len(calls), "calls": rendered})


async def journal_delete(request: web.Request) -> web.Response:
    _rt(request).journal.clear()
    return web.Response(status=204)


async def clock_get(request: web.Request) -> web.Response:
    clock = _rt(request).clock
    return json_response({"now": clock.now().isoformat(), "mode": clock.mode})


async def clock_post(request: web.Request) -> web.Response:
    """``{"advance": seconds}``, ``{"set": iso-8601}``, ``{"mode": "frozen"|"wall"}`` (any combination)."""
    body = await json_body(request)
    clock = _rt(request).clock
    unknown = sorted(set(body) - {"mode", "set", "advance"})
    if unknown:
        return _bad(unknown_name("clock field", unknown[0], ("mode", "set", "advance")))
    mode = body.get("mode")
    if mode not in (None, "frozen", "wall"):
        return _bad("mode must be 'frozen' or 'wall'")
    seconds = body.get("advance", 0)
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not seconds >= 0:
        return _bad("advance must be a non-negative number of seconds")
    target = None
    if "set" in body:
        try:
            target = datetime.fromisoformat(str(body["set"]).replace("Z", "+00:00"))
        except ValueError as exc:
            return _bad(f"set: {exc}")
        if target.tzinfo is None:
            return _bad("set must carry a timezone (e.g. 2025-02-01T00:00:00Z)")
        if target < clock.now():
            return _bad("the clock only moves forward")
    try:  # everything is checked above; a move past year 9999 is refused before anything changes
        (target or clock.now()) + timedelta(seconds=float(seconds))
    except OverflowError:
        return _bad("the clock cannot move past year 9999")
    if target is not None:
        clock.set(target)
    clock.advance(float(seconds))
    if mode == "frozen":
        clock.freeze()
    elif mode == "wall":
        clock.unfreeze()
    return json_response({"now": clock.now().isoformat(), "mode": clock.mode})


async def faults_get(request: web.Request) -> web.Response:
    return json_response({"faults": [f.as_dict() for f in _rt(request).faults.rules]})


async def faults_post(request: web.Request) -> web.Response:
    body = await json_body(request)
    rt = _rt(request)
    if body.get("vendor") not in rt.vendors:
        return _bad("fault: " + unknown_name("vendor", body.get("vendor"), rt.vendors))
    fault = Fault.from_mapping(body)  # ConfigError (400) naming an unknown key (closest suggested) or a bad value
    rt.add_fault(fault)  # ConfigError (400) for an operation the vendor's contract does not have
    return json_response(fault.as_dict(), 201)


async def faults_delete(request: web.Request) -> web.Response:
    _rt(request).faults.clear()
    return web.Response(status=204)


async def fault_delete(request: web.Request) -> web.Response:
    """Remove one rule by its position in ``GET /__mockbi/faults``."""
    index = request.match_info["index"]
    faults = _rt(request).faults
    if not index.isdigit() or not faults.remove(int(index)):
        return _bad(f"no fault rule at index {index!r}", 404)
    return web.Response(status=204)


async def coverage(request: web.Request) -> web.Response:
    rt = _rt(request)
    return json_response(coverage_report([vr.vendor for vr in rt.vendors.values()],
                                 {n: vr.contract for n, vr in rt.vendors.items()}))


#: what an admin handler may raise and still get a JSON answer (``admin_error``)
ADMIN_ERRORS = (MockbiError, web.HTTPRequestEntityTooLarge, ValueError, TypeError, ArithmeticError)


def admin_error(request: web.Request, exc: Exception) -> web.Response | None:
    """The JSON answer to one of :data:`ADMIN_ERRORS` raised under the admin prefix (``None`` elsewhere: a
    vendor route's error is its pipeline's business)."""
    if not request.path.startswith(PREFIX):
        return None
    if isinstance(exc, MockbiError):
        status = getattr(exc, "status", 400)  # an error that knows its answer (a missing tenant is 404)
        return _bad(str(exc), status if isinstance(status, int) and 400 <= status <= 599 else 400)
    if isinstance(exc, web.HTTPRequestEntityTooLarge):
        return _bad(f"request body too large ({exc.text})", 413)
    # an admin bug or odd input: JSON, never text/HTML
    log.error("admin request %s %s failed", request.method, request.path, exc_info=exc)
    return json_response({"error": f"{type(exc).__name__}: {exc}"}, 500)


def add_admin_routes(app: web.Application) -> None:
    serve(app, [
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
        web.delete(PREFIX + "/faults/{index}", fault_delete),
        web.get(f"{PREFIX}/coverage", coverage),
    ])
