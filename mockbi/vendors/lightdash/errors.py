"""Lightdash's success and error envelopes, and its error classes.

Success: ``{"status": "ok", "results": <payload>}``; a handler that returns ``None`` means the controller
returned ``results: undefined``, which Express drops, so the body is exactly ``{"status": "ok"}``.
A 204 with no body is ``Reply.no_content()``.

Error (``ApiErrorPayload``), keys in the order the server sends them::

    {"status": "error", "error": {"statusCode": 404, "name": "NotFoundError", "message": "...", "data": {}}}

Express's ``res.send`` answers JSON as ``application/json; charset=utf-8``, errors included. A 500 also
carries ``id`` (the Sentry event id ``captureException`` returns, 32 hex digits) after ``data``.

    LightdashError (ApiError)          -- base: ``status``, ``name``, default ``message``
    ├── ParameterError (400)            ├── ExpiredError (406)
    ├── AuthorizationError (401)        ├── AlreadyExistsError (409)
    ├── ForbiddenError (403)            ├── AlreadyProcessingError (409)
    ├── DeactivatedAccountError (403)   ├── ValidateError (422, tsoa request validation)
    ├── NotFoundError (404)             ├── KnexPaginationError (422)
    ├── NotExistsError (404)            ├── MissingConfigError (422)
    ├── PayloadTooLargeError (413)      └── UnexpectedServerError (500)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from mockbi.core.errors import ApiError

PLAIN_TEXT = "text/plain; charset=utf-8"
JSON_UTF8 = "application/json; charset=utf-8"


def sentry_event_id(name: str, message: str) -> str:
    """A stand-in for the Sentry event id of a 500: 32 hex digits, derived from the error (no global RNG)."""
    return hashlib.sha256(f"{name}:{message}".encode()).hexdigest()[:32]


def error_payload(status: int, name: str, message: str, data: Any = None) -> dict[str, Any]:
    """The error envelope, keys in the order Lightdash sends them (``id`` only on a 500)."""
    error: dict[str, Any] = {"statusCode": status, "name": name, "message": message,
                             "data": {} if data is None else data}
    if status == 500:
        error["id"] = sentry_event_id(name, message)
    return {"status": "error", "error": error}


def success(results: Any) -> dict[str, Any]:
    """The success envelope; ``None`` results are left out (Express drops ``undefined``)."""
    if results is None:
        return {"status": "ok"}
    return {"status": "ok", "results": results}


class LightdashError(ApiError):
    """An error in Lightdash's envelope. Subclasses fix ``status``, ``name`` and the default message."""

    status: int = 500
    name: ClassVar[str] = "UnexpectedServerError"
    default_message: ClassVar[str] = "Something went wrong."

    def __init__(self, message: str | None = None, data: Any = None, *,
                 headers: Mapping[str, str] | None = None) -> None:
        msg = self.default_message if message is None else message
        self.message = msg
        super().__init__(self.status, error_payload(self.status, self.name, msg, data), headers=headers,
                         content_type=JSON_UTF8, code=self.name)


class ParameterError(LightdashError):
    status = 400
    name = "ParameterError"
    default_message = "Incorrect parameters"


class AuthorizationError(LightdashError):
    status = 401
    name = "AuthorizationError"
    default_message = "You don't have authorization to perform this action"


class ForbiddenError(LightdashError):
    status = 403
    name = "ForbiddenError"
    default_message = "You don't have access to this resource or action"


class DeactivatedAccountError(LightdashError):
    status = 403
    name = "DeactivatedAccountError"
    default_message = "Your account has been deactivated. Please contact your organization's administrator."


class NotFoundError(LightdashError):
    status = 404
    name = "NotFoundError"
    default_message = "Not found"


class NotExistsError(LightdashError):
    status = 404
    name = "NotExistsError"
    default_message = "Does not exist"


class ExpiredError(LightdashError):
    status = 406
    name = "ExpiredError"
    default_message = "Expired"


class AlreadyExistsError(LightdashError):
    status = 409
    name = "AlreadyExistsError"
    default_message = "Already exists"


class AlreadyProcessingError(LightdashError):
    status = 409
    name = "AlreadyProcessingError"
    default_message = "Already processing"


class PayloadTooLargeError(LightdashError):
    status = 413
    name = "PayloadTooLargeError"
    default_message = "request entity too large"


class ValidateError(LightdashError):
    status = 422
    name = "ValidateError"
    default_message = ""


class KnexPaginationError(LightdashError):
    status = 422
    name = "KnexPaginationError"
    default_message = "Invalid pagination arguments"


class MissingConfigError(LightdashError):
    status = 422
    name = "MissingConfigError"
    default_message = "Missing configuration"


class UnexpectedServerError(LightdashError):
    status = 500
    name = "UnexpectedServerError"
    default_message = "Something went wrong."


_BY_STATUS: Mapping[int, type[LightdashError]] = MappingProxyType({
    400: ParameterError, 401: AuthorizationError, 403: ForbiddenError, 404: NotFoundError, 406: ExpiredError,
    409: AlreadyExistsError, 413: PayloadTooLargeError, 422: ValidateError, 500: UnexpectedServerError,
})

#: names for statuses Lightdash has no error class for (injected faults)
_HTTP_NAMES = MappingProxyType({405: "MethodNotAllowedError", 408: "RequestTimeoutError", 429: "TooManyRequestsError",
               502: "BadGatewayError", 503: "ServiceUnavailableError", 504: "GatewayTimeoutError"})


def error_for_status(status: int, message: str | None = None, data: Any = None) -> ApiError:
    """The Lightdash error a given status maps to (generic 404/413/500, faults, ...)."""
    cls = _BY_STATUS.get(status)
    if cls is not None:
        return cls(message, data)
    name = _HTTP_NAMES.get(status, "UnexpectedServerError" if status >= 500 else "LightdashError")
    return ApiError(status, error_payload(status, name, message or "", data), content_type=JSON_UTF8, code=name)


def plain_unauthorized() -> ApiError:
    """What passport sends when no usable credential is present: 401, ``text/plain`` body ``Unauthorized``."""
    return ApiError(401, "Unauthorized", content_type=PLAIN_TEXT, code="Unauthorized")
