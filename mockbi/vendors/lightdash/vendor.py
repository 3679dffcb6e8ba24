"""The Lightdash vendor: envelopes, auth, body decoding and request-validation errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson

from mockbi.core.errors import ApiError
from mockbi.core.validation import Violation
from mockbi.core.vendor import RawBody, RestVendor
from mockbi.vendors.lightdash import auth
from mockbi.vendors.lightdash.envelope import UnexpectedServerError, ValidateError, error_for_status, success
from mockbi.vendors.lightdash.handlers import registry
from mockbi.vendors.lightdash.store import LightdashStore

if TYPE_CHECKING:
    from aiohttp import web

    from mockbi.core.contracts import Operation
    from mockbi.core.store import Store

API_VERSION = "0.1411.0"


def _tsoa_message(v: Violation) -> str:
    """How tsoa words a validation failure."""
    if v.keyword == "required":
        name = v.field.rsplit(".", 1)[-1] if v.field else "body"
        return f"'{name}' is required"
    if v.keyword == "type" and v.where in ("query", "path"):
        return "invalid float number" if "number" in v.message or "integer" in v.message else v.message
    if v.keyword == "enum":
        return f"should be one of the following; {v.message.split(' is not one of ', 1)[-1]}"
    return v.message


def validation_data(violations: list[Violation]) -> dict[str, dict[str, str]]:
    """tsoa's ``data``: ``body.<prop>`` for body fields, the bare name for path and query parameters."""
    data: dict[str, dict[str, str]] = {}
    for v in violations:
        if v.where == "body":
            key = f"body.{v.field}" if v.field else "body"
        else:
            key = v.field or v.where
        data.setdefault(key, {"message": _tsoa_message(v)})
    return data


class Lightdash(RestVendor):
    name = "lightdash"
    title = "Lightdash API"
    api_version = API_VERSION
    store_class = LightdashStore
    registry = registry
    json_content_type = "application/json; charset=utf-8"

    def response_headers(self) -> Mapping[str, str]:
        return {"Lightdash-Version": API_VERSION}

    def authenticate(self, request: web.Request, store: Store, op: Operation) -> Any:
        assert isinstance(store, LightdashStore)
        return auth.authenticate(request, store, op)

    def decode_body(self, op: Operation, raw: RawBody) -> Any:
        if raw.empty:
            return None
        if raw.form is not None:
            return {k: raw.form.getone(k) for k in raw.form}
        try:
            return orjson.loads(raw.data)
        except orjson.JSONDecodeError as exc:
            # body-parser's SyntaxError is not a LightdashError, so the error handler makes it a 500
            raise UnexpectedServerError(f"Malformed JSON in request body: {exc}") from exc

    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        return error_for_status(status, message)

    def request_error(self, op: Operation, violations: list[Violation]) -> ApiError:
        return ValidateError("", validation_data(violations))

    def wrap(self, op: Operation, status: int, body: Any) -> Any:
        return success(body)
