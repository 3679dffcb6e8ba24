"""Typed application keys (``web.AppKey``): all app state is reached through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from mockbi.core.durable_app import Durability
    from mockbi.core.journal import Call
    from mockbi.core.runtime import Runtime

RUNTIME: web.AppKey[Runtime] = web.AppKey("mockbi_runtime")
#: present only under ``serve --state-file``: the request log that makes the sandbox durable
DURABLE: web.AppKey[Durability] = web.AppKey("mockbi_durable")
#: the journal entry of the request being answered (set by the pipelines; read by the access log)
CALL: web.RequestKey[Call] = web.RequestKey("mockbi_call")
