"""GraphQL vendors: one SDL contract, resolvers bound by ``Type.field``, a pipeline like REST's.

How a vendor uses it
--------------------
::

    # mockbi/vendors/acme/resolvers/projects.py
    registry = Registry("acme")

    @registry.operation("Query.project")            # "<RootType>.<field>", "<Type>.<field>",
    def query_project(obj, info, projectId: str):     # or "<Abstract>.__resolveType"
        \"\"\"Fetch one project.\"\"\"               # first docstring line is shown by `mockbi coverage`
        ctx: GraphQLContext = info.context            # store, principal, request, clock, now()
        if projectId not in ctx.store.projects:
            raise GraphQLError("Project not found")   # deliberate: a normal GraphQL error entry
        return ctx.store.projects[projectId]          # dicts keyed by SDL field names: default resolvers read them

    # mockbi/vendors/acme/vendor.py
    class Acme(GraphQLVendor[AcmeStore]):
        name, title, api_version = "acme", "Acme", "2024-01"
        endpoint = "/api/graphql"                     # POST; GET answers self.error(405, code="method-not-allowed")
        store_class = AcmeStore
        registry = registry                           # resolvers/__init__.py: Registry.merged(...)
        max_depth, max_fields, max_aliases, max_body_bytes = 10, 500, 50, 100_000

        async def authenticate(self, ctx):            # ctx.request, ctx.store; raise self.error(401, "...")
            ...

    # mockbi/vendors/acme/__init__.py
    VENDOR = Acme()

Hooks (all optional; defaults follow the GraphQL-over-HTTP conventions):

- ``async authenticate(ctx) -> principal``: before parse/validate (``ctx``: a ``GraphQLHookContext`` with the
  request, the vendor's store, the clock, the contract and the per-request ``scratch``); raise an ``ApiError``
  to answer at HTTP level.
- ``schema_for(principal, contract) -> GraphQLSchema``: the schema this caller may see (validation, execution and
  introspection all use it); e.g. a schema whose root types have no fields, for a caller who may see nothing.
- ``error(status, message, code=)``: HTTP-level errors (malformed JSON, missing query, 405, 413, faults).
  ``code`` is one of ``invalid-json``, ``bad-request`` (no object, no query), ``bad-variables``,
  ``bad-operation-name``, ``method-not-allowed``, ``payload-too-large``, ``fault``,
  ``server-error``.
- ``format_error(error, phase) -> dict``: one entry of ``errors``; ``phase`` is ``parse``, ``limit``, ``validate``,
  ``request`` (operation selection / variable coercion) or ``execute`` (resolver / field errors).
- ``error_response(phase, errors) -> Reply``: the HTTP answer when nothing was executed (default 200 ``{"errors"}``).
- ``result_response(data, errors) -> Reply``: the HTTP answer after execution (default 200 ``{"data", "errors"?}``).
- ``limit_error(kind, actual, maximum) -> GraphQLError``: wording of ``depth``/``fields``/``aliases`` limits.
- ``replace_rule(rule) -> rule``: swap one of graphql-core's specified validation rules for a vendor's variant.
- ``response_headers()``, ``admin_routes()`` as for every vendor; ``scalars`` maps a custom scalar name to
  ``{"coerce_output_value"|"coerce_input_value"|"coerce_input_literal": fn}``; ``deliberate_errors`` lists vendor
  exception classes that, raised from a resolver, are normal GraphQL errors like ``GraphQLError``.

A field without a resolver reads the key or attribute of its name (``strict_field_resolver``); when the object has
none, that is a mock defect too, never a silent null. Any other exception escaping a resolver, and any error
graphql-core raises while completing a value (a
non-null field resolving to null, an ``Int`` that is a string...), is a *mock defect*: journaled in the call's
``violations``, reported in ``X-Mockbi-Violations``, and in strict mode the response is a 500 naming the field.
An ``ApiError`` raised from a resolver aborts execution and becomes the HTTP response.

The journal's ``operation_id`` is ``<RootType>.<first root field>`` of the selected operation (the key faults and
coverage use), else the request's ``operationName``. Resolvers run synchronously under ``Runtime.lock``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web
from graphql import (
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    validate_schema,
)
from graphql.validation import ASTValidationRule

from mockbi.core.errors import ApiError, ContractError
from mockbi.core.graphql_cache import DocumentCache
from mockbi.core.graphql_executor import leaf_executor
from mockbi.core.hook_context import GraphQLHookContext, S
from mockbi.core.messages import Reply
from mockbi.core.registry import Registry
from mockbi.core.validation import Violation
from mockbi.core.vendor import Vendor

if TYPE_CHECKING:
    from mockbi.core.clock import Clock

log = logging.getLogger("mockbi")

SCALAR_HOOKS = ("coerce_output_value", "coerce_input_value", "coerce_input_literal")
RESOLVE_TYPE = "__resolveType"


@dataclass(slots=True)
class GraphQLContext:
    """``info.context`` of every resolver: the store, the caller, the request and the clock."""

    vendor: GraphQLVendor[Any]
    store: Any
    principal: Any
    request: web.Request
    clock: Clock
    operation_id: str | None = None
    operation_name: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    #: mock defects found while resolving (the pipeline adds completion errors after execution)
    defects: list[Violation] = field(default_factory=list)
    #: ids of exceptions raised on purpose (GraphQLError, vendor errors) or already reported as defects
    handled: set[int] = field(default_factory=set)
    #: an ApiError raised by a resolver: it becomes the HTTP response
    abort: ApiError | None = None
    #: the vendor's own per-request values (e.g. a transaction's snapshot), gone with the request
    scratch: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def failed(self) -> bool:
        """Whether a field of this request has failed already (an error raised, or a mock defect found)."""
        return bool(self.handled or self.defects)

    @property
    def headers(self) -> Mapping[str, str]:
        return self.request.headers

    @property
    def base_url(self) -> str:
        return str(self.request.url.origin())


#: the ``info`` argument of a resolver: ``info.context`` is the :class:`GraphQLContext`
ResolveInfo = GraphQLResolveInfo[GraphQLContext]


def path_label(path: Any) -> str:
    """``info.path`` / ``error.path`` as ``project.models.0.name``."""
    if path is None:
        return ""
    keys = path.as_list() if hasattr(path, "as_list") else list(path)
    return ".".join(str(k) for k in keys)


class GraphQLContract:
    """A built schema (once per app) plus what coverage and the pipeline need from it."""

    def __init__(self, vendor: str, schema: GraphQLSchema, sdl: str, source: Path | None = None) -> None:
        self.vendor = vendor
        self.schema = schema
        self.sdl = sdl
        self.source = source
        #: parsed documents and verdicts of recent accepted queries (clients resend the same documents)
        self.cache = DocumentCache()
        #: the validation rules every caller of a vendor's class gets (``graphql_pipeline.Checking.of``)
        self.base_rules: dict[type, tuple[Any, ...]] = {}
        #: (query, operation name) -> operation id, for documents that passed every check
        self.operation_ids: dict[tuple[str, str | None], str | None] = {}
        #: graphql-core's executor with the short path for leaf fields (core/graphql_executor.py)
        self.executor_class = leaf_executor(strict_field_resolver)

    @classmethod
    def load(cls, vendor: str, path: Path) -> GraphQLContract:
        try:
            sdl = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ContractError(f"{vendor}: contract not found at {path}") from exc
        return cls.from_sdl(vendor, sdl, path)

    @classmethod
    def from_sdl(cls, vendor: str, sdl: str, source: Path | None = None) -> GraphQLContract:
        try:
            schema = build_schema(sdl)
        except (GraphQLError, TypeError) as exc:
            raise ContractError(f"{vendor}: SDL {source or ''} does not build: {exc}") from exc
        problems = validate_schema(schema)
        if problems:
            raise ContractError(f"{vendor}: SDL {source or ''} is not a valid schema: "
                                + "; ".join(p.message for p in problems))
        return cls(vendor, schema, sdl, source)

    def root_types(self) -> list[GraphQLObjectType]:
        return [t for t in (self.schema.query_type, self.schema.mutation_type) if t is not None]

    def coverage_items(self) -> list[tuple[str, str, bool]]:
        """("Query.field", "query field(args): Type", is-extension) for every Query and Mutation field."""
        items = []
        for root in self.root_types():
            kind = "mutation" if root is self.schema.mutation_type else "query"
            for name, fld in root.fields.items():
                args = ", ".join(f"{a}: {arg.type}" for a, arg in fld.args.items())
                label = f"{kind} {name}({args}): {fld.type}" if args else f"{kind} {name}: {fld.type}"
                items.append((f"{root.name}.{name}", label, False))
        return items

    def compile_all(self) -> int:
        """The schema is built at load; returns the number of named types (``mockbi contracts check``)."""
        return len(self.schema.type_map)

    def cached(self, key: Hashable, compute: Callable[[], Any], *, size: int = 0,
               keep: Callable[[Any], bool] | None = None) -> Any:
        """``compute()`` once per ``key`` while it stays in the bounded cache (see core/graphql_cache.py);
        ``size`` is the length of the text the value came from, ``keep`` refuses results not worth keeping."""
        return self.cache.cached(key, compute, size=size, keep=keep)



def strict_field_resolver(source: Any, info: Any, **args: Any) -> Any:
    """graphql-core's default resolver, except that a missing key or attribute is a mock defect, not a silent
    null: the object handed to a field without a resolver must carry every field the schema lets a client ask for."""
    name = info.field_name
    if isinstance(source, Mapping):
        if name not in source:
            raise LookupError(f"no resolver for {info.parent_type.name}.{name} and the object has no key {name!r}")
        value = source[name]
    elif hasattr(source, name):
        value = getattr(source, name)
    else:
        raise LookupError(f"no resolver for {info.parent_type.name}.{name} and the "
                          f"{type(source).__name__} has no attribute {name!r}")
    return value(info, **args) if callable(value) else value


def _guard(key: str, fn: Callable[..., Any], deliberate: tuple[type[BaseException], ...]) -> Callable[..., Any]:
    """Wrap a resolver so the pipeline can tell deliberate errors from mock defects."""

    @functools.wraps(fn)
    def resolve(obj: Any, info: Any, **args: Any) -> Any:
        try:
            return fn(obj, info, **args)
        except GraphQLError as exc:
            _mark(info, exc)
            raise
        except ApiError as exc:
            ctx = info.context
            if isinstance(ctx, GraphQLContext) and ctx.abort is None:
                ctx.abort = exc
            _mark(info, exc)
            raise
        except Exception as exc:
            ctx = info.context
            if deliberate and isinstance(exc, deliberate):
                _mark(info, exc)
                raise
            if isinstance(ctx, GraphQLContext):
                ctx.handled.add(id(exc))
                ctx.defects.append(Violation("response", path_label(info.path),
                                             f"resolver {key} raised {type(exc).__name__}: {exc}", "exception"))
            log.exception("resolver %s raised", key)
            raise

    return resolve


def _mark(info: Any, exc: BaseException) -> None:
    ctx = info.context
    if isinstance(ctx, GraphQLContext):
        ctx.handled.add(id(exc))


def bind(schema: GraphQLSchema, registry: Registry, scalars: Mapping[str, Mapping[str, Callable[..., Any]]],
         deliberate: tuple[type[BaseException], ...] = ()) -> None:
    """Set ``.resolve`` / ``.resolve_type`` / scalar coercers on ``schema``; unknown names fail the build."""
    vendor = registry.vendor
    for key in list(registry):
        binding = registry.get(key)
        assert binding is not None
        type_name, _, field_name = key.partition(".")
        gql_type = schema.type_map.get(type_name)
        if gql_type is None or not field_name:
            raise ContractError(f"{vendor}: resolver {key!r} names no type of the schema")
        if field_name == RESOLVE_TYPE:
            if not isinstance(gql_type, GraphQLInterfaceType | GraphQLUnionType):
                raise ContractError(f"{vendor}: {key!r}: {type_name} is not an interface or union")
            gql_type.resolve_type = binding.handler
            continue
        if not isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType) or field_name not in gql_type.fields:
            raise ContractError(f"{vendor}: resolver {key!r} names no field of the schema")
        if isinstance(gql_type, GraphQLInterfaceType):
            raise ContractError(f"{vendor}: resolver {key!r}: bind fields on object types, not interfaces")
        gql_type.fields[field_name].resolve = _guard(key, binding.handler, deliberate)
    for name, hooks in scalars.items():
        scalar = schema.type_map.get(name)
        if not isinstance(scalar, GraphQLScalarType):
            raise ContractError(f"{vendor}: {name!r} is not a scalar of the schema")
        for hook, fn in hooks.items():
            if hook not in SCALAR_HOOKS:
                raise ContractError(f"{vendor}: scalar {name}: unknown hook {hook!r} (use {', '.join(SCALAR_HOOKS)})")
            setattr(scalar, hook, fn)


class GraphQLVendor(Vendor[S]):
    """A GraphQL vendor: one endpoint, an SDL contract, resolvers in a :class:`Registry`."""

    kind = "graphql"
    contract_file = "schema.graphql"
    endpoint: ClassVar[str] = "/graphql"

    @property
    def base_path(self) -> str:  # type: ignore[override]
        return self.endpoint
    scalars: ClassVar[Mapping[str, Mapping[str, Callable[..., Any]]]] = {}
    deliberate_errors: ClassVar[tuple[type[BaseException], ...]] = ()
    #: limits (None: unlimited). Introspection counts like any field toward fields and aliases; the depth of a
    #: ``__schema``/``__type`` subtree is held to ``max(max_depth, max_introspection_depth)`` (the standard
    #: introspection query that clients send is 15 deep).
    max_depth: ClassVar[int | None] = None
    max_introspection_depth: ClassVar[int] = 16
    #: lexical tokens a document may have: checked while parsing, so a huge document costs no more than this
    max_tokens: ClassVar[int | None] = 10_000
    max_fields: ClassVar[int | None] = None
    max_aliases: ClassVar[int | None] = None
    max_body_bytes: ClassVar[int | None] = None
    introspection: ClassVar[bool] = True

    # --- contract --------------------------------------------------------------------------------
    def load_contract(self) -> GraphQLContract:
        from mockbi.core.resources import contract_path

        contract = GraphQLContract.load(self.name, contract_path(self.name, self.contract_file))
        self.bind(contract)
        return contract

    def bind(self, contract: GraphQLContract) -> None:
        bind(contract.schema, self.registry, self.scalars, self.deliberate_errors)

    # --- hooks -----------------------------------------------------------------------------------
    async def authenticate(self, ctx: GraphQLHookContext[S]) -> Any:
        """Return the principal making the call, or raise an ``ApiError`` (HTTP-level auth failure). ``async``
        as every vendor's ``authenticate``; the other hooks are synchronous."""
        return None

    def schema_for(self, principal: Any, contract: GraphQLContract) -> GraphQLSchema:
        """The schema this caller sees (validation, execution, introspection)."""
        return contract.schema

    def validation_rules(self, principal: Any) -> Collection[type[ASTValidationRule]] | None:
        """Extra rules run after graphql-core's specified rules (``None``: none)."""
        return None

    def replace_rule(self, rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
        """The rule to run in place of one of graphql-core's specified rules (default: the rule itself), for a
        vendor whose server validates something differently (e.g. a scalar it only checks at execution)."""
        return rule

    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        """An HTTP-level error in this vendor's envelope."""
        return ApiError(status, {"errors": [{"message": message}]}, code=code)

    def format_error(self, error: GraphQLError, phase: str) -> dict[str, Any]:
        """One entry of the response's ``errors`` list."""
        return dict(error.formatted)

    def error_response(self, phase: str, errors: list[dict[str, Any]]) -> Reply:
        """The answer when the request failed before execution (parse, limit, validate, request)."""
        return Reply(body={"errors": errors}, status=200)

    def result_response(self, data: Any, errors: list[dict[str, Any]] | None) -> Reply:
        """The answer after execution."""
        body: dict[str, Any] = {"data": data}
        if errors:
            body["errors"] = errors
        return Reply(body=body, status=200)

    def limit_error(self, kind: str, actual: int, maximum: int) -> GraphQLError:
        """``kind`` is ``depth``, ``fields`` or ``aliases``."""
        wording = {"depth": f"Query depth {actual} exceeds the maximum allowed depth of {maximum}",
                   "fields": f"Query has {actual} fields, more than the maximum of {maximum}",
                   "aliases": f"Query has {actual} aliases, more than the maximum of {maximum}"}
        return GraphQLError(wording[kind] + ".")
