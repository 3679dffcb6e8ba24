"""Reading a request's body once, for every pipeline and for a vendor hook that needs it early (keys sent in
the body): form and multipart bodies parsed into fields, anything else kept as bytes."""

from __future__ import annotations

import binascii

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from mockbi.core.vendor import ENCODING, FORM_MEDIA, FRAMING, PART_HEADERS, BodyParseError, RawBody


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
