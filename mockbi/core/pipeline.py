"""The request pipeline for REST operations (prism's order):

    route (contract) → journal → fault? → auth → validate request → handler(store)
      → envelope → validate response → journal

``make_handler`` binds one contract operation to an aiohttp handler. The core knows no vendor: every
vendor-specific decision is a hook on :class:`~mockbi.core.vendor.RestVendor`.
"""

from __future__ import annotations

import asyncio
import binascii
import inspect
import logging
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from mockbi.core.clock import isoformat_z
from mockbi.core.contracts import Operation, RestContract
from mockbi.core.deferred import Deferred
from mockbi.core.encoding import dumps
from mockbi.core.errors import ApiError
from mockbi.core.fault_actions import deliver, fault_error, inject
from mockbi.core.faults import Disconnected
from mockbi.core.journal import Call, plain_headers
from mockbi.core.messages import OpRequest, Reply
from mockbi.core.near_miss import HEADER as NEAR_MISS_HEADER
from mockbi.core.near_miss import header_value
from mockbi.core.runtime import SAFE_METHODS, Runtime
from mockbi.core.shaping import project
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
from mockbi.core.vendor import (
    ENCODING,
    FORM_MEDIA,
    FRAMING,
    PART_HEADERS,
    BodyParseError,
    RawBody,
    Rendered,
    RestVendor,
)
from mockbi.keys import CALL, RUNTIME

log = logging.getLogger("mockbi")

VIOLATIONS_HEADER = "X-Mockbi-Violations"
OPERATION_HEADER = "X-Mockbi-Operation"


async def read_body(request: web.Request) -> RawBody:
    """Read the body once: form and multipart bodies are parsed into fields, anything else kept as bytes.
    A form or multipart body aiohttp cannot parse is the client's error: it comes back as
    ``RawBody.error`` (a typed :class:`BodyParseError`) for the vendor to answer, never as an exception."""
    media = request.content_type if request.body_exists else None
    if media in FORM_MEDIA:
        try:
            form = await request.post()
        except (web.HTTPException, ConnectionError):  # over --max-body-size (a 413), or the client left mid-upload
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the parser trips on, the body is to blame
            return RawBody(media, b"", None, error=body_parse_error(exc))
        return RawBody(media, b"", form.copy() if form else None)
    data = await request.read() if request.body_exists else b""
    return RawBody(media, data)


def body_parse_error(exc: Exception) -> BodyParseError:
    """What kind of damage ``exc`` (raised by aiohttp's form/multipart parser) reveals, in ASCII words."""
    if isinstance(exc, HttpProcessingError | Warning):  # a header line it refuses, a bad Content-Disposition
        kind, text = PART_HEADERS, exc.message if isinstance(exc, HttpProcessingError) else "Multipart field " \
            "missing name."
    elif isinstance(exc, UnicodeError | LookupError | binascii.Error | RuntimeError):
        kind, text = ENCODING, str(exc)  # a charset or transfer encoding it cannot apply
    elif "missing name" in str(exc):
        kind, text = PART_HEADERS, str(exc)
    else:
        kind, text = FRAMING, str(exc)
    return BodyParseError(kind, text.encode("ascii", "backslashreplace").decode("ascii")[:500])


def render_error(err: ApiError) -> Rendered:
    body = err.body
    if body is None:
        return Rendered(err.status, None, b"", None, dict(err.headers))
    if isinstance(body, bytes | str):
        payload = body.encode() if isinstance(body, str) else body
        return Rendered(err.status, err.content_type or "text/plain", payload, body, dict(err.headers))
    return Rendered(err.status, err.content_type or "application/json", dumps(body), body, dict(err.headers))


def to_response(rendered: Rendered, extra_headers: dict[str, str]) -> web.Response:
    headers = {**extra_headers, **rendered.headers}
    if rendered.content_type is None:
        return web.Response(status=rendered.status, headers=headers)
    media, _, params = rendered.content_type.partition(";")
    charset = None
    if "charset=" in params:
        charset = params.split("charset=", 1)[1].strip()
    resp = web.Response(status=rendered.status, body=rendered.payload, headers=headers)
    resp.content_type = media.strip()
    if charset:
        resp.charset = charset
    return resp


def defect_response(op_id: str, violations: list[Violation]) -> Rendered:
    """Strict mode: a response that breaks its own contract is a mock defect, sent as a 500."""
    body = {"mockbi_error": "contract_violation", "operation": op_id,
            "message": f"mockbi produced a response for {op_id} that violates its contract",
            "violations": [str(v) for v in violations]}
    return Rendered(500, "application/json", dumps(body), body, {})


def violations_header(violations: list[Violation]) -> str:
    text = "; ".join(str(v) for v in violations)
    text = text.encode("ascii", "replace").decode().replace("\r", " ").replace("\n", " ")
    return text[:2000]


def make_handler(vendor: RestVendor, contract: RestContract, op: Operation) -> Any:
    """An aiohttp handler running the whole pipeline for ``op``."""

    async def handle(request: web.Request) -> web.StreamResponse:
        rt: Runtime = request.config_dict[RUNTIME]
        store = rt.vendors[vendor.name].store_for(request.method)
        call = Call(seq=rt.journal.next_seq(), vendor=vendor.name, operation_id=op.operation_id,
                    method=request.method, path=request.path, query=request.query_string, request_body=None,
                    request_headers=plain_headers(request), at=isoformat_z(rt.clock.now()))
        rt.journal.record(call)
        request[CALL] = call
        defects: list[Violation] = []
        action = None
        try:
            action = await inject(rt, vendor, op.operation_id, request, call)
            if action is not None and action.status is not None:
                raise fault_error(vendor, action, lambda status: vendor.error(status, "Injected fault"))
            await rt.stubs.answer(vendor.name, op.operation_id, request, call)  # raises Stubbed on a match
            reply = await _run(rt, vendor, contract, op, request, store, call)
            status = reply.status or op.success_status
            if status < 400:
                rendered = vendor.render(op, reply, status)
                if vendor.shape_responses:
                    rendered = _shaped(contract, op, rendered)
            else:
                rendered = render_error(_as_error(reply, status))
        except (Disconnected, ConnectionResetError):  # a fault dropped the connection on purpose, or the
            rt.journal.finish(call)  # client left mid-upload: journaled as status 0, not a defect; nobody to answer
            rt.client_coverage.observe(call)
            return web.Response(status=499)
        except Stubbed as hit:
            rendered = hit.rendered
        except ApiError as err:
            rendered = render_error(vendor.adapt_error(request, op, err))
        except web.HTTPRequestEntityTooLarge:
            rendered = render_error(vendor.adapt_error(request, op, vendor.error(
                413, f"Request body exceeds the limit of {rt.config.max_body_size} bytes")))
        except Exception as exc:  # a handler bug: report it loudly, never a traceback page
            log.exception("handler for %s.%s raised", vendor.name, op.operation_id)
            defects.append(Violation("response", "", f"handler raised {type(exc).__name__}: {exc}", "exception"))
            rendered = render_error(vendor.error(500, "A server error occurred in the mock"))
        not_implemented = isinstance(rendered.document, dict) and "mockbi_error" in rendered.document
        if rt.config.validate_responses and not not_implemented:
            defects += validate_response(contract, op, rendered.status, rendered.content_type, rendered.document,
                                         has_body=bool(rendered.payload))
        headers = dict(vendor.response_headers())
        headers[OPERATION_HEADER] = op.operation_id
        if defects:
            headers[VIOLATIONS_HEADER] = violations_header(defects)
            log.warning("%s.%s response violates its contract: %s", vendor.name, op.operation_id,
                        violations_header(defects))
            if rt.strict:
                rendered = defect_response(op.operation_id, defects)
        call.status, call.content_type, call.response_bytes = rendered.status, rendered.content_type, rendered.payload
        call.violations = defects
        rt.journal.finish(call)
        rt.client_coverage.observe(call)
        return await deliver(request, to_response(rendered, headers), action)

    handle.__name__ = f"handle_{op.operation_id}"
    return handle


def make_not_allowed_handler(vendor: RestVendor, operations: list[Operation], allowed: list[str]) -> Any:
    """The handler for a contract path asked with an undeclared method: the vendor's 405, journaled."""

    async def not_allowed(request: web.Request) -> web.StreamResponse:
        rt: Runtime = request.config_dict[RUNTIME]
        store = rt.vendors[vendor.name].store
        call = rt.journal.record(Call(seq=rt.journal.next_seq(), vendor=vendor.name, operation_id=None,
                                      method=request.method, path=request.path, query=request.query_string,
                                      request_body=None, request_headers=plain_headers(request),
                                      at=isoformat_z(rt.clock.now())))
        try:
            err = vendor.method_not_allowed(request, store, operations)
            if inspect.isawaitable(err):
                err = await err
        except ApiError as raised:
            err = raised
        err.headers.setdefault("Allow", ", ".join(allowed))
        rendered = render_error(err)
        call.status, call.content_type, call.response_bytes = rendered.status, rendered.content_type, rendered.payload
        call.near_misses = [f"{op.method} {op.path}" for op in operations]  # the path is right, the method not
        rt.journal.finish(call)
        rt.client_coverage.observe(call)
        log.info("%s %s matches no operation; the path declares: %s", request.method, request.path,
                 header_value(call.near_misses))
        return to_response(rendered, {**vendor.response_headers(), NEAR_MISS_HEADER: header_value(call.near_misses)})

    return not_allowed


def _shaped(contract: RestContract, op: Operation, rendered: Rendered) -> Rendered:
    """Keep only what the declared response schema names (see core/shaping.py)."""
    spec = op.response_for(rendered.status)
    schema = spec.media.get(rendered.content_type or "") if spec else None
    if schema is None or rendered.document is None or isinstance(rendered.document, bytes | str):
        return rendered
    document = project(rendered.document, schema, contract.resolve)
    return Rendered(rendered.status, rendered.content_type, dumps(document), document, rendered.headers)


def _as_error(reply: Reply, status: int) -> ApiError:
    return ApiError(status, None if reply.empty else reply.body, headers=reply.headers,
                    content_type=reply.content_type or "application/json")


async def _authenticate(vendor: RestVendor, request: web.Request, store: Any, op: Operation) -> Any:
    principal = vendor.authenticate(request, store, op)
    if inspect.isawaitable(principal):  # an async hook may read the body (keys sent in the body)
        principal = await principal
    return principal


async def _run(rt: Runtime, vendor: RestVendor, contract: RestContract, op: Operation, request: web.Request,
               store: Any, call: Call) -> Reply:
    generation = rt.generation
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
        raise vendor.request_error(op, [deep])
    problems += validate_body(contract, op, body, raw.media)
    if problems:
        call.request_violations = problems
        raise vendor.request_error(op, problems)
    vendor.vet_body(contract, op, body)
    binding = vendor.registry.get(op.operation_id)
    if binding is None:
        raise ApiError(501, {"mockbi_error": "not_implemented", "operation": op.operation_id,
                             "message": f"mockbi has no handler for operation {op.operation_id}"})
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
