"""Lightdash 0.1411.0 REST API: ``VENDOR`` for the engine.

Layout (the vendor skeleton): ``vendor.py`` (hooks), ``errors.py`` (error tree and envelopes), ``models.py``
(records), ``store.py`` (the store and its write-path helpers), ``seed.py`` (the seeded world, with
``seeds/lightdash/default.yaml``), ``wire/`` (records as the API sends them), ``handlers/<tag>.py`` (one
registry per tag, merged in ``handlers/__init__.py``); Lightdash's own parts: ``auth.py``, ``bodies.py``,
``tsoa.py``, ``pagination.py``, ``cascade.py``, ``space_access.py``, ``warehouses.py``, ``arrange.py``,
``state.py`` and ``dataplane/`` (the query engine: explores, fields, rows).
"""

from __future__ import annotations

from mockbi.vendors.lightdash.vendor import Lightdash

VENDOR = Lightdash()

__all__ = ["VENDOR", "Lightdash"]
