"""What a vendor package supplies to the engine.

A vendor is a small subclass of :class:`RestVendor` (or ``GraphQLVendor``) that names its contract,
its store and its registry, and overrides the hooks where the real service has quirks: how it
authenticates, how it parses bodies, what its error envelope looks like, how it wraps successes,
which extra path spellings it answers. The core never knows any vendor by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic

import orjson
from aiohttp import web
from multidict import MultiDict

from mockbi.core.contract_types import Contract
from mockbi.core.errors import ApiError
from mockbi.core.hook_context import HookContext, RestHookContext, S
from mockbi.core.messages import Reply
from mockbi.core.registry import Registry
from mockbi.core.rendered import Encoded, Rendered, encode
from mockbi.core.store import SeedContext
from mockbi.core.validation import Violation

if TYPE_CHECKING:
    from mockbi.core.contracts import Operation, RestContract
    from mockbi.core.ratelimit import RateLimits
    from mockbi.core.state_codec import StateSpec


FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")


#: kinds of damage a form or multipart body can have (``BodyParseError.kind``)
FRAMING, PART_HEADERS, ENCODING = "framing", "part_headers", "encoding"


@dataclass(frozen=True, slots=True)
class BodyParseError:
    """Why a form or multipart body could not be parsed. ``kind``: ``framing`` (boundary missing or not
    found, body cut short), ``part_headers`` (a part's header block: bytes not allowed in a header, a line
    over the limit, a malformed ``Content-Disposition``, no field name) or ``encoding`` (an unknown charset
    or transfer encoding, bytes not in the declared charset). ``message`` is ASCII, safe to echo."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class RawBody:
    """A request body as read from the wire: bytes, or parsed form fields for form/multipart."""

    media: str | None
    data: bytes
    form: MultiDict[Any] | None = None
    #: why a form or multipart body could not be parsed (the vendor decides what that answers)
    error: BodyParseError | None = None

    @property
    def empty(self) -> bool:
        return not self.data and not self.form and self.error is None


class Vendor(Generic[S]):
    """Common identity of every vendor, generic over its store: ``class PostHog(RestVendor[PostHogStore])``
    gets its own store type in every hook (no downcasts)."""

    name: ClassVar[str]
    title: ClassVar[str]
    kind: ClassVar[str]
    contract_file: ClassVar[str]
    store_class: type[S]
    registry: ClassVar[Registry]
    #: documented version of the API the contract follows
    api_version: ClassVar[str] = ""
    #: where a client points its base URL, below the server root; ``{names}`` are filled from ``credentials()``
    base_path: ClassVar[str] = "/"

    def base_url(self, root: str, credentials: Mapping[str, Any]) -> str:
        """The URL a client under test should be configured with, e.g. ``http://127.0.0.1:8080/api/v1/``."""
        values = {k: v for k, v in credentials.items() if isinstance(v, str | int)}
        return root.rstrip("/") + self.base_path.format(**values)

    def create_store(self, ctx: SeedContext) -> S:
        return self.store_class(ctx)

    def response_headers(self) -> Mapping[str, str]:
        """Headers added to every response of this vendor."""
        return {}

    def rate_limits(self) -> RateLimits | None:
        """The vendor's documented rate limits, for ``rate_limit: "vendor"`` faults (``None``: undocumented)."""
        return None

    def admin_routes(self) -> list[web.RouteDef]:
        """Extra admin routes under ``/__mockbi/<vendor>/`` (arranging data from tests)."""
        return []

    def state_spec(self) -> StateSpec:
        """Which store attributes are exported state, and of what type (``core/state.py``); by default the
        store class's own annotations."""
        from mockbi.core.state_codec import StateSpec

        return StateSpec.from_annotations(self.store_class)

    def arrange(self, store: S, fragment: dict[str, Any]) -> None:
        """Apply a scenario fragment (the format of ``seeds/<vendor>/*.yaml``) to the live world
        (``core/arrange.py`` reports the ids it created and undoes everything if this raises)."""
        from mockbi.core.errors import ConfigError

        raise ConfigError(f"{self.name} does not support arranging data")

    def load_contract(self) -> Contract:
        """Read and index the vendor's contract (once per app)."""
        raise NotImplementedError


class RestVendor(Vendor[S]):
    """A REST vendor: hooks default to plain JSON with a minimal ``{"error": ...}`` envelope."""

    kind = "rest"
    contract_file = "openapi.json"
    #: the Content-Type of JSON responses, exactly as the service sends it
    json_content_type: ClassVar[str] = "application/json"
    #: URL prefixes that belong to this vendor: an unknown path under one gets the vendor's own 404
    #: envelope (still naming the method and path) instead of mockbi's generic one
    path_prefixes: ClassVar[tuple[str, ...]] = ()

    def load_contract(self) -> RestContract:
        from mockbi.core.contracts import RestContract
        from mockbi.core.resources import contract_path

        contract = RestContract.load(self.name, contract_path(self.name, self.contract_file))
        contract.compile_all()  # every request/response validator compiled once, at load
        return contract

    # --- routing ---------------------------------------------------------------------------------
    def path_variants(self, path: str) -> list[str]:
        """Every spelling of a contract path the real service answers (aliases, trailing slash)."""
        return [path]

    # --- auth ------------------------------------------------------------------------------------
    async def authenticate(self, ctx: RestHookContext[S]) -> Any:
        """Return the principal making the call, or raise the vendor's 401/403 ``ApiError``.

        ``async`` (as ``method_not_allowed``; every other hook is synchronous): it may
        ``await ctx.request.post()`` / ``read()`` (aiohttp caches both, so the pipeline still reads the same
        body afterwards)."""
        return None

    async def method_not_allowed(self, ctx: HookContext[S], operations: list[Operation]) -> ApiError:
        """The answer to a contract path asked with a method it does not declare (the engine adds ``Allow``).
        ``operations`` are the ones the path does declare (a vendor that authenticates first, as DRF does,
        can await the request's body)."""
        return self.error(405, f"Method {ctx.request.method} is not allowed for {ctx.request.path}",
                          code="method_not_allowed")

    # --- bodies ----------------------------------------------------------------------------------
    def decode_body(self, ctx: RestHookContext[S], raw: RawBody) -> Any:
        """Turn the raw body into data for validation and the handler; ``None`` when there is none."""
        if raw.empty:
            return None
        if raw.error is not None:
            raise self.error(400, f"Malformed {raw.media} body: {raw.error}")
        if raw.form is not None:
            return {k: raw.form.getone(k) for k in raw.form}
        try:
            return orjson.loads(raw.data)
        except orjson.JSONDecodeError as exc:
            raise self.error(400, f"Malformed JSON body: {exc}") from exc

    def vet_body(self, ctx: RestHookContext[S], body: Any) -> None:
        """The vendor's own rule on a body the contract accepted, before the handler runs (raise its
        ``ApiError``): e.g. a field the vendor's document leaves untyped that its service stores as a model
        (``ctx.contract.validator`` compiles a schema for it once per app)."""

    # --- errors ----------------------------------------------------------------------------------
    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        """A generic error of ``status`` in this vendor's envelope (faults, 404, 413, 500...)."""
        return ApiError(status, {"error": message}, code=code)

    def adapt_error(self, ctx: RestHookContext[S], err: ApiError) -> ApiError:
        """Last look at any error of ``ctx.op`` before it is sent (e.g. a renderer the request negotiated)."""
        return err

    def request_error(self, ctx: RestHookContext[S], violations: list[Violation]) -> ApiError:
        """The vendor's answer to a request that breaks the contract."""
        first = violations[0]
        return self.error(400, str(first), code="validation_error")

    # --- success envelope ------------------------------------------------------------------------
    def render(self, op: Operation, reply: Reply, status: int) -> Rendered:
        """Encode a reply. ``Reply.empty`` sends nothing; ``bytes``, or a ``str`` with a non-JSON
        ``content_type`` (CSV, SSE, plain text), go out as they are; anything else (a ``str`` result
        included) is wrapped by ``wrap`` and sent as JSON with ``json_content_type``."""
        if reply.empty or (reply.body is None and status in (204, 304)):
            return encode(status, None, headers=reply.headers)
        raw_text = isinstance(reply.body, str) and reply.content_type is not None \
            and not reply.content_type.startswith("application/json")
        if isinstance(reply.body, bytes) or raw_text:
            return encode(status, reply.body, reply.content_type, reply.headers, text_type="application/octet-stream")
        body = reply.body
        wrapped = self.wrap(op, status, body.document if isinstance(body, Encoded) else body)
        if isinstance(body, Encoded) and wrapped is body.document:  # no envelope: the kept bytes go out
            wrapped = body
        return encode(status, wrapped, reply.content_type or self.json_content_type, reply.headers, as_json=True)

    def wrap(self, op: Operation, status: int, body: Any) -> Any:
        """Wrap a successful result in the vendor's envelope (identity by default)."""
        return body


