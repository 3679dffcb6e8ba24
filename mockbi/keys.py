"""Typed application keys (``web.AppKey``): all app state is reached through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from mockbi.core.runtime import Runtime

RUNTIME: web.AppKey[Runtime] = web.AppKey("mockbi_runtime")
