"""Hasura Cloud's resolvers, one module per area, each with its own ``registry``, merged here by name:
``queries`` (``query_root``), ``types`` (computed fields of the object types), ``mutations``
(``mutation_root``); ``_common`` holds what they share."""

from __future__ import annotations

from mockbi.core.registry import Registry
from mockbi.vendors.hasura_cloud.resolvers import mutations, queries, types

registry = Registry.merged("hasura_cloud", queries.registry, types.registry, mutations.registry)
