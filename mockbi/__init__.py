"""mockbi: offline, stateful, contract-validated mocks of BI and data-platform APIs.

    from mockbi import MockbiConfig, create_app
    app = create_app(MockbiConfig(seed=7))
"""

from __future__ import annotations

__version__ = "0.1.0"

from mockbi.app import create_app
from mockbi.config import MockbiConfig
from mockbi.core.errors import ApiError, ConfigError, ContractError, MockbiError
from mockbi.core.graphql import GraphQLContext, GraphQLVendor
from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.core.store import SeedContext, Store
from mockbi.core.vendor import RestVendor, Vendor

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
