"""The request pipeline for a GraphQL endpoint, in the same order as the REST one:

    journal → read + decode body (size limit) → auth → parse (token limit) → operation id → fault? → limits
      → validate
      → execute(store, principal) under the runtime lock → vendor-shaped response → defects → journal

Vendor-specific decisions are hooks on :class:`~mockbi.core.graphql.GraphQLVendor`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    execute_sync,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule

from mockbi.core.errors import ApiError
from mockbi.core.exchange import abandon, crashed, finish, open_call, render_error
from mockbi.core.fault_actions import deliver, fault_error, inject, may_inject
from mockbi.core.faults import Disconnected, FaultAction
from mockbi.core.graphql import GraphQLContext, GraphQLContract, GraphQLVendor, path_label, strict_field_resolver
from mockbi.core.graphql_limits import check_limits
from mockbi.core.hook_context import GraphQLHookContext
from mockbi.core.journal import Call
from mockbi.core.messages import Reply
from mockbi.core.rendered import Rendered, encode
from mockbi.core.runtime import Runtime
from mockbi.core.serving import served
from mockbi.core.stubs import Stubbed
from mockbi.core.validation import Violation
from mockbi.keys import RUNTIME

log = logging.getLogger("mockbi")

#: a longer document is parsed in a worker thread: graphql-core's lexer reads about 2-5 characters per µs,
#: so a 1 MB document (a huge comment or string costs no tokens) would otherwise hold the loop for ~0.3 s
PARSE_OFF_LOOP_CHARS = 32 * 1024


@dataclass(slots=True)
class GraphQLRequest:
    """The decoded body of a GraphQL call."""

    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    operation_name: str | None = None


class _Answer(Exception):
    """Internal: a GraphQL-level answer produced before execution."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def decode_request(vendor: GraphQLVendor[Any], raw: bytes) -> GraphQLRequest:
    """``{"query", "variables"?, "operationName"?}`` or the vendor's 400."""
    try:
        body = orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError as exc:
        raise vendor.error(400, f"Request body is not valid JSON: {exc}", code="invalid-json") from exc
    if not isinstance(body, dict):
        raise vendor.error(400, "Request body must be a JSON object with a 'query' string", code="bad-request")
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise vendor.error(400, "Must provide query string.", code="bad-request")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise vendor.error(400, "Variables are invalid JSON: expected an object.", code="bad-variables")
    name = body.get("operationName")
    if name is not None and not isinstance(name, str):
        raise vendor.error(400, "operationName must be a string.", code="bad-operation-name")
    return GraphQLRequest(query, variables or {}, name)


def select_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        return next((o for o in ops if o.name is not None and o.name.value == name), None)
    return ops[0] if len(ops) == 1 else None


#: operation ids kept per contract (emptied when full)
KEPT_OPERATION_IDS = 1024
#: a longer query's operation id is found again each time (the kept ones stay small)
KEPT_QUERY_CHARS = 4096


def operation_id(contract: GraphQLContract, document: DocumentNode | None, req: GraphQLRequest) -> str | None:
    """``<RootType>.<first root field>`` of the selected operation when that field is a contract operation
    (the key coverage and faults use) or introspection (``Query.__schema``); ``None`` otherwise (unknown
    fields, unknown operation names, parse errors), so journals never name an operation that does not exist."""
    op = select_operation(document, req.operation_name) if document is not None else None
    if op is None:
        return None
    schema = contract.schema
    root = schema.mutation_type if op.operation == OperationType.MUTATION else (
        schema.subscription_type if op.operation == OperationType.SUBSCRIPTION else schema.query_type)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}  # type: ignore[union-attr]
    first = _first_field(op.selection_set, fragments, set())
    if root is None or first is None or (first not in root.fields and not first.startswith("__")):
        return None
    return f"{root.name}.{first}"


def _operation_id(contract: GraphQLContract, checked: bool, document: DocumentNode | None,
                  req: GraphQLRequest) -> str | None:
    """``operation_id``, kept for a document that passed every check already (bounded like its cache)."""
    if not checked or len(req.query) > KEPT_QUERY_CHARS:
        return operation_id(contract, document, req)
    key = (req.query, req.operation_name)
    if key not in contract.operation_ids:
        if len(contract.operation_ids) >= KEPT_OPERATION_IDS:
            contract.operation_ids.clear()
        contract.operation_ids[key] = operation_id(contract, document, req)
    return contract.operation_ids[key]


def _first_field(sel: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]) -> str | None:
    for s in sel.selections:
        if isinstance(s, FieldNode):
            return s.name.value
        if isinstance(s, InlineFragmentNode):
            found = _first_field(s.selection_set, fragments, seen)
        elif isinstance(s, FragmentSpreadNode) and s.name.value in fragments and s.name.value not in seen:
            seen.add(s.name.value)
            found = _first_field(fragments[s.name.value].selection_set, fragments, seen)
        else:
            found = None
        if found:
            return found
    return None


@dataclass(frozen=True, slots=True)
class Checking:
    """What an accepted document was checked against: a document is cached under this key only once it parsed
    within the token limit, passed the limits and validated against the caller's schema and rules."""

    schema: GraphQLSchema
    rules: tuple[type[ASTValidationRule], ...]
    query: str

    @classmethod
    def of(cls, vendor: GraphQLVendor[Any], contract: GraphQLContract, principal: Any, query: str) -> Checking:
        base = contract.base_rules.get(type(vendor))
        if base is None:
            rules = [vendor.replace_rule(rule) for rule in specified_rules]
            if not vendor.introspection:
                rules.append(NoSchemaIntrospectionCustomRule)
            base = contract.base_rules[type(vendor)] = tuple(rules)
        extra = vendor.validation_rules(principal)
        return cls(vendor.schema_for(principal, contract), base + tuple(extra) if extra else base, query)


def parse_document(vendor: GraphQLVendor[Any], query: str) -> tuple[DocumentNode | None, GraphQLError | None]:
    """The parsed document, or the syntax error. Parsing stops at the vendor's ``max_tokens``, so a huge
    document costs no more than a document of that many tokens."""
    try:
        return parse(query, max_tokens=vendor.max_tokens), None
    except GraphQLError as exc:
        return None, exc


def _reply(vendor: GraphQLVendor[Any], phase: str, errors: list[GraphQLError]) -> _Answer:
    return _Answer(vendor.error_response(phase, [vendor.format_error(e, phase) for e in errors]))


def _completion_defects(ctx: GraphQLContext, errors: list[GraphQLError]) -> list[Violation]:
    """Field errors nobody raised on purpose: non-null violations, scalar coercion failures, resolver bugs."""
    found = []
    for err in errors:
        if err.path is None or id(err) in ctx.handled:
            continue
        original = err.original_error
        if original is not None and id(original) in ctx.handled:
            continue
        found.append(Violation("response", path_label(err.path), err.message, "graphql"))
    return found


@dataclass(slots=True)
class Prepared:
    """A request ready to run: the decoded body, its document, the caller, and what it is checked against
    (``checked``: the cached document passed every check for this caller already)."""

    req: GraphQLRequest
    document: DocumentNode
    principal: Any
    operation_id: str | None
    checking: Checking
    checked: bool


def run_graphql(rt: Runtime, vendor: GraphQLVendor[Any], ctx: GraphQLHookContext[Any],
                prepared: Prepared) -> tuple[Reply, list[Violation]]:
    """Limits and validation (unless checked already), then execution (synchronous; the caller holds no lock):
    the vendor's reply and the mock defects found. A document that passes both is cached for the next
    identical request."""
    req, document, checking = prepared.req, prepared.document, prepared.checking
    schema = checking.schema
    if not prepared.checked:
        limit_errors = check_limits(vendor, document)
        if limit_errors:
            raise _reply(vendor, "limit", limit_errors)
        problems = validate(schema, document, list(checking.rules))
        if problems:
            raise _reply(vendor, "validate", problems)
        ctx.contract.cache.put(checking, document, size=len(req.query))
    resolving = GraphQLContext(vendor=vendor, store=ctx.store, principal=prepared.principal, request=ctx.request,
                               clock=ctx.clock, operation_id=prepared.operation_id,
                               operation_name=req.operation_name, variables=req.variables, scratch=ctx.scratch)
    with rt.lock:
        result = execute_sync(schema, document, context_value=resolving, variable_values=req.variables,
                              field_resolver=strict_field_resolver, operation_name=req.operation_name,
                              executor_class=ctx.contract.executor_class)
    if resolving.abort is not None:
        raise resolving.abort
    errors = list(result.errors or [])
    if result.data is None and errors and all(e.path is None for e in errors):
        raise _reply(vendor, "request", errors)
    defects = resolving.defects + _completion_defects(resolving, errors)
    return vendor.result_response(result.data, [vendor.format_error(e, "execute") for e in errors] or None), defects


def _render(reply: Reply) -> Rendered:
    return encode(reply.status or 200, None if reply.empty else reply.body, reply.content_type, reply.headers)


async def _read(vendor: GraphQLVendor[Any], request: web.Request) -> bytes:
    limit = vendor.max_body_bytes
    too_big = f"Request body exceeds the limit of {limit} bytes"
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise vendor.error(413, too_big, code="payload-too-large")
    raw = await request.read()
    if limit is not None and len(raw) > limit:
        raise vendor.error(413, too_big, code="payload-too-large")
    return raw


async def _document(vendor: GraphQLVendor[Any], contract: GraphQLContract,
                    checking: Checking) -> tuple[bool, DocumentNode | None, GraphQLError | None]:
    """(checked, document, syntax error): the cached document that already passed every check for this caller,
    else a fresh parse (in a worker thread when long: the loop keeps serving meanwhile)."""
    checked, document = contract.cache.get(checking)
    if checked:
        return True, document, None
    if len(checking.query) > PARSE_OFF_LOOP_CHARS:
        document, error = await asyncio.to_thread(parse_document, vendor, checking.query)
    else:
        document, error = parse_document(vendor, checking.query)
    return False, document, error


def _not_post(vendor: GraphQLVendor[Any], method: str) -> ApiError:
    err = vendor.error(405, f"{method} is not supported; send the query with POST", code="method-not-allowed")
    err.headers.setdefault("Allow", "POST")
    return err


def mount(app: web.Application, vendor: GraphQLVendor[Any], contract: GraphQLContract) -> int:
    """Serve ``vendor`` at its endpoint: POST, and every other method for the vendor's own 405 (with the
    near-miss header); returns how many routes."""
    handler = served(app, make_graphql_handler(vendor, contract))
    app.router.add_route("POST", vendor.endpoint, handler)
    app.router.add_route("*", vendor.endpoint, handler)
    return 2


@dataclass(slots=True)
class _Attempt:
    """The exchange one GraphQL handler owns: its journal entry, the mock defects found, the fault action (which
    applies to any answer). Only the handler and ``_answer`` (its first half) write to it."""

    call: Call
    defects: list[Violation] = field(default_factory=list)
    action: FaultAction | None = None


async def _answer(rt: Runtime, vendor: GraphQLVendor[Any], contract: GraphQLContract, request: web.Request,
                  attempt: _Attempt) -> Rendered:
    """Decode, authenticate, parse (cached), fault and stub checks, then limits, validation and execution."""
    call = attempt.call
    if request.method != "POST":  # any other method: the vendor's 405, naming the one operation path there is
        call.near_misses = [f"POST {vendor.endpoint}"]
        log.info("no operation matches %s %s; closest: %s", request.method, request.path, call.near_misses[0])
        raise _not_post(vendor, request.method)
    req = decode_request(vendor, await _read(vendor, request))
    call.request_body = {"query": req.query, "variables": req.variables, "operationName": req.operation_name}
    # the vendor's auth comes before the document is even parsed: an anonymous flood costs no parse
    generation = rt.generation
    ctx = GraphQLHookContext(request, rt.vendors[vendor.name].store, rt.clock, contract=contract)
    principal = await vendor.authenticate(ctx)
    checking = Checking.of(vendor, contract, principal, req.query)
    checked, document, parse_error = await _document(vendor, contract, checking)
    call.operation_id = _operation_id(contract, checked, document, req)
    attempt.action = action = await inject(rt, vendor, call.operation_id or "*", request, call) \
        if may_inject(rt, request) else None
    if action is not None and action.status is not None:
        raise fault_error(vendor, action, lambda status: vendor.error(status, "Injected fault", code="fault"))
    if rt.stubs.active:
        await rt.stubs.answer(vendor.name, call.operation_id, request, call)  # raises Stubbed on a match
    if parse_error is not None or document is None:
        raise _reply(vendor, "parse", [parse_error or GraphQLError("Syntax Error")])
    if rt.generation != generation:  # reset during a fault's latency: the caller as the new world knows it
        ctx.store = rt.vendors[vendor.name].store
        principal = await vendor.authenticate(ctx)
        checking = Checking.of(vendor, contract, principal, req.query)
        checked = contract.cache.get(checking)[0]
    reply, defects = run_graphql(rt, vendor, ctx, Prepared(req, document, principal, call.operation_id, checking,
                                                           checked))
    attempt.defects += defects
    return _render(reply)


def make_graphql_handler(vendor: GraphQLVendor[Any], contract: GraphQLContract) -> Any:
    """An aiohttp handler running the whole pipeline for ``vendor.endpoint`` (the exchange: core/exchange.py)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        rt: Runtime = request.config_dict[RUNTIME]
        attempt = _Attempt(open_call(rt, request, vendor.name, None))
        try:
            rendered = await _answer(rt, vendor, contract, request, attempt)
        except (Disconnected, ConnectionResetError):
            return abandon(rt, attempt.call)
        except _Answer as answer:
            rendered = _render(answer.reply)
        except Stubbed as hit:
            rendered = hit.rendered
        except ApiError as err:
            rendered = render_error(err)
        except web.HTTPRequestEntityTooLarge:
            rendered = render_error(vendor.error(413, f"Request body exceeds the limit of "
                                                     f"{rt.config.max_body_size} bytes", code="payload-too-large"))
        except Exception as exc:
            attempt.defects.append(crashed(vendor.name, "GraphQL request", exc))
            rendered = render_error(vendor.error(500, "A server error occurred in the mock", code="server-error"))
        label = attempt.call.operation_id or "graphql"
        response = finish(rt, vendor, attempt.call, rendered, attempt.defects, label)
        return response if attempt.action is None else await deliver(request, response, attempt.action)

    handle.__name__ = f"handle_{vendor.name}_graphql"
    return handle
