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
    from mockbi.core.errors import ApiError, ConfigError, ContractError, MockbiError
    from mockbi.core.graphql import GraphQLContext, GraphQLVendor
    from mockbi.core.messages import OpRequest, Reply
    from mockbi.core.registry import Registry
    from mockbi.core.store import SeedContext, Store
    from mockbi.core.vendor import RestVendor, Vendor

#: public name -> the module defining it, imported on first use (PEP 562): ``import mockbi`` (and the pytest
#: plugin, which pytest loads in every run) must not pay for aiohttp, Faker, graphql-core and jsonschema
_LAZY = {
    "create_app": "mockbi.app", "MockbiConfig": "mockbi.config",
    "ApiError": "mockbi.core.errors", "ConfigError": "mockbi.core.errors", "ContractError": "mockbi.core.errors",
    "MockbiError": "mockbi.core.errors",
    "GraphQLContext": "mockbi.core.graphql", "GraphQLVendor": "mockbi.core.graphql",
    "OpRequest": "mockbi.core.messages", "Reply": "mockbi.core.messages", "Registry": "mockbi.core.registry",
    "SeedContext": "mockbi.core.store", "Store": "mockbi.core.store", "RestVendor": "mockbi.core.vendor",
    "Vendor": "mockbi.core.vendor",
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
    "ConfigError",
    "ContractError",
    "GraphQLContext",
    "GraphQLVendor",
    "MockbiConfig",
    "MockbiError",
    "OpRequest",
    "Registry",
    "Reply",
    "RestVendor",
    "SeedContext",
    "Store",
    "Vendor",
    "__version__",
    "create_app",
]
