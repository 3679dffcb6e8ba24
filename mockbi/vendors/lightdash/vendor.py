"""The Lightdash vendor: envelopes, auth, body decoding and request-validation errors."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mockbi.core.errors import ApiError
from mockbi.core.hook_context import RestHookContext
from mockbi.core.state_codec import StateSpec
from mockbi.core.validation import Violation
from mockbi.core.vendor import RawBody, RestVendor
from mockbi.vendors.lightdash import auth, tsoa
from mockbi.vendors.lightdash.bodies import drop_nested_nulls, parse_json, refuse_nul
from mockbi.vendors.lightdash.errors import (
    PayloadTooLargeError,
    UnexpectedServerError,
    ValidateError,
    error_for_status,
    success,
)
from mockbi.vendors.lightdash.handlers import registry
from mockbi.vendors.lightdash.state import STATE
from mockbi.vendors.lightdash.store import LightdashStore

if TYPE_CHECKING:
    from mockbi.core.contracts import Operation

API_VERSION = "0.1411.0"

#: body fields the document leaves untyped (tsoa takes anything) that the service stores as a chart's typed
#: parts and reads back as them, with the schema they are read back with: a value that is not one fails in
#: the service's model code (``metricQuery.sorts.map``, a NOT NULL ``row_limit``): the generic 500, nothing
#: stored. mockbi refuses it the same way instead of storing a chart no later read could send.
STORED_AS: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    "upsertChartAsCode": tuple((field, f"#/components/schemas/SavedChart/properties/{field}")
                               for field in ("metricQuery", "chartConfig", "tableConfig")),
})


def _is_json(media: str | None) -> bool:
    """Whether express.json() parses a body of this media type (``application/json`` only)."""
    return media == "application/json"


class Lightdash(RestVendor[LightdashStore]):
    name = "lightdash"
    base_path = "/api/v1/"
    title = "Lightdash API"
    api_version = API_VERSION
    store_class = LightdashStore
    registry = registry
    json_content_type = "application/json; charset=utf-8"
    path_prefixes = ("/api/v1/",)

    def response_headers(self) -> Mapping[str, str]:
        return {"Lightdash-Version": API_VERSION}

    def state_spec(self) -> StateSpec:
        return STATE

    def arrange(self, store: LightdashStore, fragment: dict[str, Any]) -> None:
        from mockbi.vendors.lightdash.arrange import arrange
        arrange(store, fragment)

    async def authenticate(self, ctx: RestHookContext[LightdashStore]) -> Any:
        """express.json() runs before any route's auth middleware: a JSON body that does not parse is the
        500 even for an anonymous caller. An authenticated request is parsed once, by the pipeline; only a
        refused one has its body looked at here (aiohttp caches the bytes)."""
        request, op = ctx.request, ctx.op
        try:
            return auth.authenticate(request, ctx.store, op)
        except ApiError as refused:
            if request.body_exists and _is_json(request.content_type):
                try:
                    self._parse(op, RawBody(request.content_type, await request.read()))  # may raise the 500
                except PayloadTooLargeError:  # express.json parses it; mockbi's nesting limit is its own
                    pass
            raise refused

    def decode_body(self, ctx: RestHookContext[LightdashStore], raw: RawBody) -> Any:
        """The body the handler sees (``bodies.py``): express.json()'s parse, then Postgres's refusal of
        NUL characters (a 500 that stores nothing) for an authenticated caller."""
        op = ctx.op
        value = self._parse(op, raw)
        if raw.data and b"\\u0000" in raw.data:
            refuse_nul(value)
        if op.extension and isinstance(value, dict):
            value = {k: drop_nested_nulls(v) for k, v in value.items()}
        return value

    def _parse(self, op: Operation, raw: RawBody) -> Any:
        """express.json(): ``req.body`` is ``{}`` unless an ``application/json`` body parses (or the
        operation's contract declares the form media type that was sent); a body that does not parse,
        or (strict mode) is not an object or an array at the top level, is body-parser's SyntaxError,
        which ``errors.ts`` answers with a generic 500 UnexpectedServerError "Something went wrong."."""
        if raw.form is not None and raw.media in op.request_media:  # e.g. loginExt's urlencoded form
            return {k: raw.form.getone(k) for k in raw.form}
        if raw.empty or not _is_json(raw.media):
            return {} if op.request_media else None
        return parse_json(raw.data)

    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        return error_for_status(status, message)

    def vet_body(self, ctx: RestHookContext[LightdashStore], body: Any) -> None:
        """A body field the service stores as a typed model (``STORED_AS``) must be one: the generic 500."""
        contract, op = ctx.contract, ctx.op
        for name, ref in STORED_AS.get(op.operation_id, ()):
            if isinstance(body, dict) and name in body:
                validator = contract.validator(("stored-as", op.operation_id, name), {"$ref": ref})
                for problem in validator.iter_errors(body[name]):
                    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem.instance_path)
                    raise UnexpectedServerError(
                        f"{UnexpectedServerError.default_message} ({op.operation_id} stores {name} as a chart's "
                        f"{name} and the service's model code cannot handle {name}{where}: {problem.message})")

    def request_error(self, ctx: RestHookContext[LightdashStore], violations: list[Violation]) -> ApiError:
        """tsoa's 422 ``ValidateError`` for the documented (tsoa) operations. The extensions are Express
        routes: nothing validates their input, the body goes to the service as sent; a body whose shape
        the service's code cannot handle fails inside it (a TypeError or a Postgres error: the generic 500,
        nothing stored). mockbi answers that 500, naming what it could not take."""
        contract, op = ctx.contract, ctx.op
        if op.extension:
            return UnexpectedServerError(f"{UnexpectedServerError.default_message} ({op.operation_id} is an "
                                         f"Express route and does not validate its input; the service cannot "
                                         f"handle {violations[0]})")
        schemas: dict[str, Any] = {p.name: p.schema for p in op.parameters}
        schemas["body"] = op.request_schema
        return ValidateError("", tsoa.field_errors(violations, schemas, contract.components.get("schemas", {})))

    def wrap(self, op: Operation, status: int, body: Any) -> Any:
        return success(body)
