"""Lightdash 0.1411.0 REST API: ``VENDOR`` for the engine.

Layout: ``vendor.py`` (hooks), ``auth.py``, ``errors.py`` (error tree and envelopes), ``store.py`` + ``models.py`` +
``seed.py`` (the world), ``wire/`` (response shapes), ``pagination.py``, ``handlers/<tag>.py``, and
``dataplane/`` (the query engine: explores, fields, rows).
"""

from __future__ import annotations

from mockbi.vendors.lightdash.vendor import Lightdash

VENDOR = Lightdash()

__all__ = ["VENDOR", "Lightdash"]
