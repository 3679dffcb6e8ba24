"""The one argument every request hook of a vendor receives: a typed view of the exchange in progress.

A hook that runs while a request is being answered (``authenticate``, ``method_not_allowed``, ``decode_body``,
``vet_body``, ``request_error``, ``adapt_error``) takes one of these first, so it never needs the runtime,
the journal or aiohttp's ``Request`` bookkeeping: the request as received, the vendor's own store (its type:
vendors are generic over it), the injected clock, the contract (and, for REST, the operation), and a
``scratch`` mapping for the vendor's own per-request values, gone with the request (a GraphQL resolver sees the
same mapping as ``GraphQLContext.scratch``).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from aiohttp import web

from mockbi.core.errors import ConfigError
from mockbi.core.store import Store

if TYPE_CHECKING:
    from mockbi.core.clock import Clock
    from mockbi.core.contracts import Operation, RestContract
    from mockbi.core.graphql import GraphQLContract

S = TypeVar("S", bound=Store)

#: the hooks that are ``async def`` (they may await the request body); every other hook is synchronous
ASYNC_HOOKS = ("authenticate", "method_not_allowed")


@dataclass(slots=True)
class HookContext(Generic[S]):
    """A request of a vendor: what every request hook can read."""

    request: web.Request
    store: S
    clock: Clock
    #: the vendor's own per-request values (the core never reads them)
    scratch: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RestHookContext(HookContext[S]):
    """A request for one REST contract operation."""

    contract: RestContract = field(kw_only=True)
    op: Operation = field(kw_only=True)


@dataclass(slots=True)
class GraphQLHookContext(HookContext[S]):
    """A request to a GraphQL endpoint (the operation is not known before the document is parsed)."""

    contract: GraphQLContract = field(kw_only=True)


def check_hook_kinds(vendor: object) -> None:
    """The one rule, checked when a vendor is mounted: ``authenticate`` and ``method_not_allowed`` are
    ``async def``, every other hook is a plain function (a wrong kind would fail on the first request)."""
    for name in ASYNC_HOOKS:
        hook = getattr(vendor, name, None)
        if hook is not None and not inspect.iscoroutinefunction(hook):
            raise ConfigError(f"{type(vendor).__name__}.{name} must be 'async def' (the pipeline awaits it)")
    for name in ("decode_body", "vet_body", "request_error", "adapt_error"):
        hook = getattr(vendor, name, None)
        if hook is not None and inspect.iscoroutinefunction(hook):
            raise ConfigError(f"{type(vendor).__name__}.{name} must be a plain 'def': only "
                              f"{' and '.join(ASYNC_HOOKS)} may be async")
