"""Requests aiohttp cannot parse, answered like every other bad request: in the vendor's shape, logged once.

aiohttp answers a request line or header over 8,190 bytes, or raw non-ASCII bytes in the path, before any
application code runs: a ``text/plain`` 400 from ``RequestHandler.handle_error`` plus an ERROR-level
traceback (there is no public hook for it: aio-libs/aiohttp#3287). :class:`MockbiAppRunner` serves with a
``RequestHandler`` subclass whose ``handle_error`` answers such requests as a front end would, with the
status it would use — 414 for a request line over the limit, 431 for a header over it, 400 for anything
else malformed — and a body in the error envelope of the vendor whose path the request line names (read from
the start of the request as received), or mockbi's own JSON error elsewhere. It logs one WARNING line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestHandler

from mockbi.core.contract_types import Contract
from mockbi.core.encoding import dumps
from mockbi.core.exchange import render_error, to_response
from mockbi.core.runtime import Runtime
from mockbi.core.vendor import RestVendor, Vendor
from mockbi.keys import RUNTIME

log = logging.getLogger("mockbi")

#: the start of a request as received: method and target (the target may hold any bytes)
REQUEST_START = re.compile(rb"([A-Z]{1,16}) ([^ \r\n]{1,4096})")
HEAD_BYTES = 16384
#: aiohttp's default limits of the request line and of one header field
MAX_LINE = 8190
STATUS_TEXT = {400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large"}

Answer = Callable[[int, str | None, str], web.Response]


def _prefixes(vendor: Vendor[Any], contract: Contract) -> tuple[str, ...]:
    """Where a vendor's paths start: its declared ``path_prefixes``, else the literal start of every contract
    path (up to its first ``{parameter}``), or a GraphQL vendor's endpoint."""
    if not isinstance(vendor, RestVendor):
        return (getattr(vendor, "endpoint", ""),)
    if vendor.path_prefixes:
        return vendor.path_prefixes
    operations = getattr(contract, "operations", {})
    return tuple({op.path.split("{", 1)[0] for op in operations.values() if len(op.path.split("{", 1)[0]) > 1})


def owner_of(rt: Runtime, path: str) -> Vendor[Any] | None:
    """The vendor serving ``path``: the one whose path start (see ``_prefixes``) is the longest match."""
    best: tuple[int, Vendor[Any]] | None = None
    for vr in rt.vendors.values():
        vendor = vr.vendor
        for prefix in _prefixes(vendor, vr.contract):
            if prefix and path.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), vendor)
    return best[1] if best else None


def malformed_answer(app: web.Application) -> Answer:
    """``answer(status, path, detail)``: the response to a request aiohttp could not parse."""
    def answer(status: int, path: str | None, detail: str) -> web.Response:
        message = f"{STATUS_TEXT.get(status, 'Bad Request')}: {detail}"
        vendor = owner_of(app[RUNTIME], path) if path else None
        error = getattr(vendor, "error", None)
        if vendor is not None and error is not None:
            return to_response(render_error(error(status, message)), dict(vendor.response_headers()))
        body = {"error": "bad_request", "status": status, "message": message, "path": path}
        return web.Response(status=status, body=dumps(body), content_type="application/json")

    return answer


class _Handler(RequestHandler):
    __slots__ = ("mockbi_answer", "_mockbi_head")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mockbi_answer: Answer | None = None
        self._mockbi_head = b""

    def data_received(self, data: bytes) -> None:
        if REQUEST_START.match(data):  # a chunk that starts a request: keep its beginning
            self._mockbi_head = bytes(data[:HEAD_BYTES])
        super().data_received(data)

    def handle_error(self, request: Any, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        if self.mockbi_answer is None or not isinstance(exc, HttpProcessingError):
            return super().handle_error(request, status, exc, message)
        head = self._mockbi_head
        start = REQUEST_START.match(head)
        path = start.group(2).decode("latin-1").split("?", 1)[0] if start else None
        line_end = head.find(b"\r\n")
        if isinstance(exc, LineTooLong) and 0 <= line_end <= MAX_LINE:
            status, detail = 431, f"a request header is longer than {MAX_LINE} bytes"
        elif isinstance(exc, LineTooLong):
            status, detail = 414, f"the request line is longer than {MAX_LINE} bytes"
        else:
            status, detail = 400, (exc.message or type(exc).__name__).splitlines()[0].rstrip(": ")[:200]
        log.warning("refused an unparseable request from %s (%s %s): %s", request.remote, status,
                    (path or "?")[:100], detail)
        response = self.mockbi_answer(status, path[:2048] if path else None, detail)
        response.force_close()
        return response


class _Server(web.Server):
    mockbi_answer: Answer | None = None

    def __call__(self) -> RequestHandler:
        handler = _Handler(self, loop=self._loop, **self._kwargs)
        handler.mockbi_answer = self.mockbi_answer
        return handler


class MockbiAppRunner(web.AppRunner):
    """``web.AppRunner`` whose connections answer unparseable requests as described above."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _Server  # the same object, with a protocol factory of our own (no public hook)
        assert isinstance(server, _Server)
        server.mockbi_answer = malformed_answer(self.app)
        return server

