"""One exchange, as every pipeline runs it (REST operations, GraphQL endpoints, undeclared methods):

1. ``open_call``: the journal entry, recorded before anything can fail (the request as received);
2. the pipeline's own work, ending in a :class:`Rendered` (``core/rendered.py``'s one encoder:
   ``render_error`` for an ``ApiError``, the vendor's ``render`` for a success);
3. ``finish``: the operation and violation headers, strict mode (a response with mock defects becomes a
   500 naming them), the journal entry completed and client coverage; the pipeline then delivers the
   answer (``fault_actions.deliver``: a fault may delay or cut it). ``abandon`` instead when the client left
   or a fault dropped the connection.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

from mockbi.core.errors import ApiError
from mockbi.core.journal import Call, plain_headers
from mockbi.core.near_miss import HEADER as NEAR_MISS_HEADER
from mockbi.core.near_miss import header_value
from mockbi.core.rendered import JSON_MEDIA, Rendered, encode
from mockbi.core.runtime import Runtime
from mockbi.core.validation import Violation
from mockbi.core.vendor import Vendor
from mockbi.keys import CALL

log = logging.getLogger("mockbi")

VIOLATIONS_HEADER = "X-Mockbi-Violations"
OPERATION_HEADER = "X-Mockbi-Operation"


def open_call(rt: Runtime, request: web.Request, vendor: str | None, operation_id: str | None) -> Call:
    """The journal entry of ``request``, recorded now (status 0 until ``finish``)."""
    call = rt.journal.record(Call(seq=rt.journal.next_seq(), vendor=vendor, operation_id=operation_id,
                                  method=request.method, path=request.path, query=request.query_string,
                                  request_body=None, request_headers=plain_headers(request),
                                  at=rt.clock.now_text()))
    request[CALL] = call
    return call


def close_call(rt: Runtime, call: Call, rendered: Rendered, violations: list[Violation] | None = None,
               coverage_vendor: str | None = None) -> None:
    """Complete the journal entry with what was sent, and count it for client coverage (for
    ``coverage_vendor`` when given: an unmatched path counts for the vendor it nearly was)."""
    call.status, call.content_type, call.response_bytes = rendered.status, rendered.content_type, rendered.payload
    if violations is not None:
        call.violations = violations
    rt.journal.finish(call)
    rt.client_coverage.observe(call, coverage_vendor)


def abandon(rt: Runtime, call: Call) -> web.Response:
    """Nobody to answer (a fault dropped the connection, or the client left mid-upload): journaled with
    status 0, not a defect."""
    rt.journal.finish(call)
    rt.client_coverage.observe(call)
    return web.Response(status=499)


def crashed(vendor: str, label: str, exc: Exception) -> Violation:
    """A handler or hook bug: logged with its traceback, reported as a mock defect (never a traceback page)."""
    log.exception("%s %s raised", vendor, label)
    return Violation("response", "", f"handler raised {type(exc).__name__}: {exc}", "exception")


def finish(rt: Runtime, vendor: Vendor[Any], call: Call, rendered: Rendered, defects: list[Violation],
           label: str) -> web.Response:
    """Headers, strict mode, journal and coverage: the answer, to be delivered as a fault's action says
    (``fault_actions.deliver``; without one, the answer as it is)."""
    headers = {**vendor.response_headers(), OPERATION_HEADER: label}
    if call.near_misses:
        headers[NEAR_MISS_HEADER] = header_value(call.near_misses)
    if defects:
        headers[VIOLATIONS_HEADER] = violations_header(defects)
        log.warning("%s.%s response has mock defects: %s", vendor.name, label, violations_header(defects))
        if rt.strict:
            rendered = defect_response(label, defects)
    close_call(rt, call, rendered, defects)
    return to_response(rendered, headers)


def render_error(err: ApiError) -> Rendered:
    """An error as it is sent: its body as it is (text unless typed), or JSON."""
    return encode(err.status, err.body, err.content_type, err.headers)


def to_response(rendered: Rendered, extra_headers: dict[str, str]) -> web.Response:
    """``rendered`` as an aiohttp response, its Content-Type written as aiohttp's ``content_type`` and
    ``charset`` setters would write it (only a ``charset`` parameter is kept). ``extra_headers`` is a dict the
    caller hands over: it becomes the response's headers."""
    sent: MutableMapping[str, str]
    if rendered.headers:
        sent = CIMultiDict(extra_headers)
        sent.update(rendered.headers)  # the answer's own headers win, whatever their case
    else:  # a plain dict (the caller's, which it does not use again): aiohttp makes it its CIMultiDict once
        sent = extra_headers
    if rendered.content_type is None:
        return web.Response(status=rendered.status, headers=sent)
    if rendered.content_type == JSON_MEDIA and not _names_content_type(sent):  # the commonest answer, nothing to parse
        sent["Content-Type"] = JSON_MEDIA
        return web.Response(status=rendered.status, body=rendered.payload, headers=sent)
    media, _, params = rendered.content_type.partition(";")
    charset = params.split("charset=", 1)[1].strip() if "charset=" in params else None
    media = media.strip()
    if _names_content_type(sent) or (charset and media == "application/octet-stream"):  # aiohttp's setters
        resp = web.Response(status=rendered.status, body=rendered.payload, headers=sent)
        resp.content_type = media
        if charset:
            resp.charset = charset
        return resp
    sent["Content-Type"] = f"{media}; charset={charset.lower()}" if charset else media
    return web.Response(status=rendered.status, body=rendered.payload, headers=sent)


def _names_content_type(headers: MutableMapping[str, str]) -> bool:
    if isinstance(headers, CIMultiDict):
        return "Content-Type" in headers
    return "content-type" in map(str.lower, headers)


def defect_response(label: str, violations: list[Violation]) -> Rendered:
    """Strict mode: a response that breaks its own contract is a mock defect, sent as a 500."""
    body = {"mockbi_error": "contract_violation", "operation": label,
            "message": f"mockbi produced a response for {label} that violates its contract",
            "violations": [str(v) for v in violations]}
    return encode(500, body)


def violations_header(violations: list[Violation]) -> str:
    text = "; ".join(str(v) for v in violations)
    text = text.encode("ascii", "replace").decode().replace("\r", " ").replace("\n", " ")
    return text[:2000]
