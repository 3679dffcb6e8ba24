"""Hashboard's resolvers, one module per area, each with its own ``registry``, merged here by name:
``projects`` (``Query.project`` and the project's lists), ``resources`` (specs, saved explorations,
permission rules)."""

from __future__ import annotations

from mockbi.core.registry import Registry
from mockbi.vendors.hashboard.resolvers import projects, resources

registry = Registry.merged("hashboard", projects.registry, resources.registry)
