"""What ``mockbi serve`` says while it runs: one access line per request, in text or JSON.

At INFO every vendor request and admin write gets one line naming the vendor, the operation, the status,
the duration and any fired fault or contract violation; admin reads (the console polls) log at DEBUG.
``--log-format json`` writes one JSON object per line for CI log collectors. Faker's own DEBUG chatter is
silenced. Requests behind a proxy keep the client's view of the URL: ``X-Forwarded-Proto`` and
``X-Forwarded-Host`` are honoured for vendor routes, so pagination links point where the client can follow.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import orjson
from aiohttp import web

from mockbi.keys import CALL

log = logging.getLogger("mockbi.access")
ADMIN = "/__mockbi"
#: the fields an access record carries besides its message (text lines show them, JSON lines hold them)
FIELDS = ("vendor", "operation", "method", "path", "status", "duration_ms", "fault", "violations")
LOG_FORMATS = ("text", "json")


def _fault_of(call: Any) -> Any:
    """The fault rule that answered a call, when the journal records one."""
    for name in ("fault", "fired_fault", "fault_rule"):
        value = getattr(call, name, None)
        if value:
            return value
    return None


def log_request(request: web.Request, status: int, duration_ms: float) -> None:
    admin = request.path.startswith(ADMIN)
    level = logging.DEBUG if admin and request.method in ("GET", "HEAD") else logging.INFO
    if not log.isEnabledFor(level):
        return
    call = request.get(CALL)
    fields: dict[str, Any] = {
        "vendor": call.vendor if call is not None else ("admin" if admin else None),
        "operation": call.operation_id if call is not None else None,
        "method": request.method, "path": request.path, "status": status,
        "duration_ms": round(duration_ms, 2),
        "fault": _fault_of(call) if call is not None else None,
        "violations": len(call.violations) if call is not None else 0,
    }
    text = f"{fields['vendor'] or '-'} {fields['operation'] or '-'} {request.method} {request.path} {status} " \
           f"{duration_ms:.1f}ms"
    if fields["fault"]:
        text += " fault"
    if fields["violations"]:
        text += f" violations={fields['violations']}"
    log.log(level, text, extra={"mockbi": fields})


def forwarded(request: web.Request) -> web.Request:
    """Behind a proxy, a vendor route sees the URL the client used (links the mock builds then work)."""
    proto = request.headers.get("X-Forwarded-Proto")
    host = request.headers.get("X-Forwarded-Host")
    if (proto is None and host is None) or request.path.startswith(ADMIN):
        return request
    scheme = proto.split(",")[0].strip() if proto else request.scheme
    if scheme not in ("http", "https"):
        scheme = request.scheme
    forwarded_host = host.split(",")[0].strip() if host else request.host
    return request.clone(scheme=scheme, host=forwarded_host or request.host)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and an access record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                                 "logger": record.name, "message": record.getMessage()}
        fields = getattr(record, "mockbi", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record is emitted (not the stream of the moment it was
    made: an embedding program or a test runner may swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str, log_format: str) -> None:
    """The handler ``serve`` logs through (stderr), with third-party chatter kept down; handlers others
    installed (a test runner's) are kept, a previous call's is replaced."""
    handler = _StderrHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _StderrHandler)] + [handler]
    root.setLevel(level)
    for noisy in ("faker", "faker.factory", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # our own access line replaces it
