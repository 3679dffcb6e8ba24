"""``mockbi serve``: run the app in the foreground, print the ready line and the credentials table."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
import sys
from typing import Any, TextIO

from aiohttp import web

from mockbi.app import create_app
from mockbi.config import MockbiConfig
from mockbi.core.durable_app import replay
from mockbi.core.http_protocol import MockbiAppRunner
from mockbi.core.runtime import Runtime
from mockbi.keys import DURABLE, RUNTIME

log = logging.getLogger("mockbi")

#: seconds a request still in flight at SIGTERM/SIGINT may take to finish (idle keep-alive connections close at once)
SHUTDOWN_GRACE = 0.5

def banner(runtime: Runtime, url: str) -> str:
    """The credentials table printed at start: one block per vendor with base URL and ready credentials."""
    lines = [f"mockbi {runtime.info()['version']} ready at {url}  (seed={runtime.seed}, scenario={runtime.scenario})",
             f"  admin:  {url}/__mockbi/health  {url}/__mockbi/info  {url}/__mockbi/journal", ""]
    for name, vr in runtime.vendors.items():
        creds: dict[str, Any] = vr.peek().credentials()
        lines.append(f"  {vr.vendor.title} ({name})")
        lines.append(f"    base URL: {vr.vendor.base_url(url, creds)}")
        for key, value in _flatten(creds):
            lines.append(f"    {key}: {value}")
        lines.append("")
    return "\n".join(lines)


def _flatten(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"keys": {"read_only": "phx_…"}}`` → ``[("keys.read_only", "phx_…")]`` (scalars only)."""
    rows: list[tuple[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, dict):
            rows += _flatten(value, f"{prefix}{key}.")
        elif isinstance(value, str | int | float):
            rows.append((f"{prefix}{key}", value))
    return rows


def announced_url(host: str, port: int) -> str:
    """The root URL the banner prints: on every interface, the name a neighbour container resolves (this
    host's name); otherwise the bound address."""
    if host in ("0.0.0.0", "::"):
        return f"http://{socket.gethostname()}:{port}"
    return f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"


async def serve_forever(config: MockbiConfig, host: str, port: int, stop: asyncio.Event,
                        out: TextIO = sys.stdout, public_url: str | None = None) -> None:
    app = create_app(config)
    # contracts, validators and worlds live as long as the process: out of the collector's sight they cost
    # no full collections while serving and no final collection at exit (which took ~1-2 s on SIGTERM)
    gc.freeze()
    gc.enable()  # (``mockbi serve`` disables it while it starts)
    runner = MockbiAppRunner(app, access_log=log if log.isEnabledFor(logging.DEBUG) else None, handle_signals=False,
                             shutdown_timeout=SHUTDOWN_GRACE)
    await runner.setup()
    durable = app.get(DURABLE)
    if durable is not None:  # the sandbox's world comes back before the port opens
        await replay(app, runner, durable)
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    bound = server.sockets[0].getsockname()[1] if server and server.sockets else port  # type: ignore[attr-defined]
    url = public_url or announced_url(host, bound)
    log.info("mockbi listening on http://%s:%s", host, bound)
    out.write(banner(app[RUNTIME], url) + "\n")
    if url != f"http://127.0.0.1:{bound}" and host in ("0.0.0.0", "::"):
        out.write(f"  (from this machine: http://127.0.0.1:{bound})\n")
    out.flush()
    try:
        await stop.wait()
    finally:
        log.info("mockbi shutting down")
        await runner.cleanup()
