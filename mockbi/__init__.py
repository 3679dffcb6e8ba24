"""mockbi: offline, stateful, contract-validated mocks of BI and data-platform APIs.

    from mockbi import MockbiConfig, create_app
    app = create_app(MockbiConfig(seed=7))
"""

from __future__ import annotations

__version__ = "0.1.0"

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockbi.app import create_app
    from mockbi.config import MockbiConfig
    from mockbi.core.clock import Clock
    from mockbi.core.contracts import Operation, RestContract
    from mockbi.core.errors import ApiError, ConfigError, ContractError, MockbiError
    from mockbi.core.faults import Fault
    from mockbi.core.graphql import GraphQLContext, GraphQLContract, GraphQLVendor, ResolveInfo
    from mockbi.core.hook_context import GraphQLHookContext, HookContext, RestHookContext
    from mockbi.core.journal import Call, CallList
    from mockbi.core.messages import OpRequest, Reply
    from mockbi.core.ratelimit import RateLimits
    from mockbi.core.registry import Registry
    from mockbi.core.rendered import Rendered
    from mockbi.core.runtime import Runtime
    from mockbi.core.state_codec import StateSpec
    from mockbi.core.store import SeedContext, Store
    from mockbi.core.stubs import Stub
    from mockbi.core.validation import Violation
    from mockbi.core.vendor import RawBody, RestVendor, Vendor
    from mockbi.handle import MockbiHandle
    from mockbi.server import ServerThread

#: public name -> the module defining it, imported on first use (PEP 562): ``import mockbi`` (and the pytest
#: plugin, which pytest loads in every run) must not pay for aiohttp, Faker, graphql-core and jsonschema
_LAZY = {
    "create_app": "mockbi.app", "MockbiConfig": "mockbi.config", "Clock": "mockbi.core.clock",
    "Operation": "mockbi.core.contracts", "RestContract": "mockbi.core.contracts",
    "ApiError": "mockbi.core.errors", "ConfigError": "mockbi.core.errors", "ContractError": "mockbi.core.errors",
    "MockbiError": "mockbi.core.errors", "Fault": "mockbi.core.faults",
    "GraphQLContext": "mockbi.core.graphql", "GraphQLContract": "mockbi.core.graphql",
    "GraphQLVendor": "mockbi.core.graphql", "ResolveInfo": "mockbi.core.graphql",
    "GraphQLHookContext": "mockbi.core.hook_context", "HookContext": "mockbi.core.hook_context",
    "RestHookContext": "mockbi.core.hook_context",
    "Call": "mockbi.core.journal", "CallList": "mockbi.core.journal",
    "OpRequest": "mockbi.core.messages", "Reply": "mockbi.core.messages", "RateLimits": "mockbi.core.ratelimit",
    "Registry": "mockbi.core.registry", "Runtime": "mockbi.core.runtime", "StateSpec": "mockbi.core.state_codec",
    "SeedContext": "mockbi.core.store", "Store": "mockbi.core.store", "Stub": "mockbi.core.stubs",
    "Violation": "mockbi.core.validation",
    "RawBody": "mockbi.core.vendor", "Rendered": "mockbi.core.rendered", "RestVendor": "mockbi.core.vendor",
    "Vendor": "mockbi.core.vendor", "MockbiHandle": "mockbi.handle", "ServerThread": "mockbi.server",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mockbi' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ApiError",
    "Call",
    "CallList",
    "Clock",
    "ConfigError",
    "ContractError",
    "Fault",
    "GraphQLContext",
    "GraphQLContract",
    "GraphQLHookContext",
    "GraphQLVendor",
    "HookContext",
    "MockbiConfig",
    "MockbiError",
    "MockbiHandle",
    "OpRequest",
    "Operation",
    "RateLimits",
    "RawBody",
    "Registry",
    "Rendered",
    "Reply",
    "ResolveInfo",
    "RestContract",
    "RestHookContext",
    "RestVendor",
    "Runtime",
    "SeedContext",
    "ServerThread",
    "StateSpec",
    "Store",
    "Stub",
    "Vendor",
    "Violation",
    "__version__",
    "create_app",
]
