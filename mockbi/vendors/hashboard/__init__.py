"""Hashboard public GraphQL API (``POST /api/graphql``): ``VENDOR`` for the engine.

Layout: ``vendor.py`` (auth, error envelope, limits), ``resolvers.py``, ``store.py`` + ``models.py`` +
``seed.py`` (the world), ``admin.py`` (``/__mockbi/hashboard/...`` routes to arrange a project).
"""

from __future__ import annotations

from mockbi.vendors.hashboard.vendor import Hashboard

VENDOR = Hashboard()

__all__ = ["VENDOR", "Hashboard"]
