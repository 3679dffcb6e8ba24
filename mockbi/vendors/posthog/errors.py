"""PostHog's error bodies (drf-exceptions-hog): ``{"type", "code", "detail", "attr"}``, plus the sharing
actions' ``{"error": ...}`` bodies and the ``?format=txt`` rendering (the top-level keys, concatenated)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from mockbi.core.errors import ApiError

TXT_MEDIA = "text/event-stream; charset=utf-8"
#: seconds announced by a throttled response (``Retry-After`` and the detail)
THROTTLE_WAIT = 60

_TYPES = MappingProxyType({400: "validation_error", 401: "authentication_error", 403: "authentication_error",
                           429: "throttled_error"})


class PostHogError(ApiError):
    """An error in PostHog's shape."""


def hog(status: int, code: str, detail: str, attr: str | None = None, *, type_: str | None = None,
        headers: dict[str, str] | None = None) -> PostHogError:
    kind = type_ or (_TYPES.get(status) if status < 500 else "server_error") or "invalid_request"
    return PostHogError(status, {"type": kind, "code": code, "detail": detail, "attr": attr}, headers=headers,
                        code=code)


def not_authenticated() -> PostHogError:
    return hog(401, "not_authenticated", "Authentication credentials were not provided.")


def authentication_failed(detail: str) -> PostHogError:
    return hog(401, "authentication_failed", detail)


def permission_denied(detail: str) -> PostHogError:
    return hog(403, "permission_denied", detail)


def not_found(detail: str = "Not found.") -> PostHogError:
    return hog(404, "not_found", detail, type_="invalid_request")


def not_acceptable() -> PostHogError:
    return hog(406, "not_acceptable", "Could not satisfy the request Accept header.", type_="invalid_request")


def invalid(detail: str, attr: str | None = None, code: str = "invalid_input") -> PostHogError:
    return hog(400, code, detail, attr, type_="validation_error")


def parse_error(detail: str) -> PostHogError:
    return hog(400, "parse_error", detail, type_="invalid_request")


def unsupported_media(media: str) -> PostHogError:
    return hog(415, "unsupported_media_type", f'Unsupported media type "{media}" in request.', type_="invalid_request")


def throttled(wait: int = THROTTLE_WAIT) -> PostHogError:
    return hog(429, "throttled", f"Request was throttled. Expected available in {wait} seconds.",
               type_="throttled_error", headers={"Retry-After": str(wait)})


def server_error() -> PostHogError:
    return hog(500, "error", "A server error occurred.", type_="server_error")


def sharing_error(status: int, message: str) -> PostHogError:
    """The sharing actions' non-standard ``{"error": ...}`` body."""
    return PostHogError(status, {"error": message})


def generic(status: int, message: str) -> PostHogError:
    """The engine's generic errors (injected faults, body too large, handler crash) in PostHog's shape."""
    if status == 429:
        return throttled()
    if status == 404:
        return not_found()
    if status == 405:
        return hog(405, "method_not_allowed", message, type_="invalid_request")
    if status == 413:
        return hog(413, "request_too_large", message, type_="invalid_request")
    if status >= 500:
        err = server_error()
        err.status = status
        return err
    return hog(status, "error" if status != 400 else "invalid_input", message)


def txt_body(document: Any) -> str:
    """What Django sends when the SSE renderer passes a dict through: its keys, concatenated."""
    if isinstance(document, dict):
        return "".join(str(k) for k in document)
    if isinstance(document, list):
        return "".join(str(item) for item in document)
    return "" if document is None else str(document)


def as_txt(err: ApiError) -> ApiError:
    """``err`` rendered by the ``txt`` renderer (same status and headers)."""
    if err.body is None or isinstance(err.body, bytes | str):
        return err
    return PostHogError(err.status, txt_body(err.body), headers=err.headers, content_type=TXT_MEDIA, code=err.code)
