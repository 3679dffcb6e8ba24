"""The one encoder: every answer mockbi sends (a vendor's success envelope, any error, a GraphQL reply, a
stub, mockbi's own 404/405/501/500) becomes bytes through :func:`encode` as a :class:`Rendered`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockbi.core.encoding import dumps

JSON_MEDIA = "application/json"


@dataclass(slots=True)
class Rendered:
    """A response ready to send: status, content type, encoded bytes and the object that was encoded."""

    status: int
    content_type: str | None
    payload: bytes
    document: Any
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Encoded:
    """A JSON document together with its bytes, for a handler that keeps an answer it sends again (a list
    page between writes): it goes out as ``payload`` without being encoded again, and its verdict is the
    one kept for those very bytes (``validation.validate_response``). Nothing may change ``document``."""

    document: Any
    payload: bytes

    @classmethod
    def of(cls, document: Any) -> Encoded:
        return cls(document, dumps(document))


def encode(status: int, body: Any, content_type: str | None = None, headers: Mapping[str, str] | None = None,
           *, as_json: bool = False, text_type: str = "text/plain") -> Rendered:
    """``body`` as it goes on the wire. ``None`` sends no body (and no content type) unless ``as_json`` (then
    it is ``null``); ``bytes``, and a ``str`` unless ``as_json``, go out as they are (``content_type`` or
    ``text_type``); anything else is JSON (``content_type`` or ``application/json``), an :class:`Encoded`
    document as it was encoded."""
    sent = dict(headers or {})
    if body is None and not as_json:
        return Rendered(status, None, b"", None, sent)
    if isinstance(body, bytes) or (isinstance(body, str) and not as_json):
        payload = body.encode() if isinstance(body, str) else body
        return Rendered(status, content_type or text_type, payload, body, sent)
    if isinstance(body, Encoded):
        return Rendered(status, content_type or JSON_MEDIA, body.payload, body.document, sent)
    return Rendered(status, content_type or JSON_MEDIA, dumps(body), body, sent)
