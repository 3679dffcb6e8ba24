"""Run a mockbi app on a real socket: in a background thread (pytest, embedding) or in the foreground
(``mockbi serve``)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from aiohttp import web

from mockbi.app import create_app
from mockbi.config import MockbiConfig
from mockbi.core.http_protocol import MockbiAppRunner
from mockbi.core.runtime import Runtime
from mockbi.keys import RUNTIME


class ServerThread:
    """One mockbi server on ``host:port`` (port 0 picks a free one) running its own event loop in a
    daemon thread. ``start()`` returns once the socket is bound; ``stop()`` shuts down cleanly."""

    def __init__(self, config: MockbiConfig | None = None, host: str = "127.0.0.1", port: int = 0,
                 app_factory: Callable[[MockbiConfig], web.Application] = create_app) -> None:
        self.config = config or MockbiConfig()
        if host != self.config.bind_host:  # the admin lock judges Host headers by the address really bound
            self.config = self.config.evolve(bind_host=host)
        self.host = host
        self.port = port
        self.app = app_factory(self.config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def runtime(self) -> Runtime:
        return self.app[RUNTIME]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ServerThread:
        ready: Future[int] = Future()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="mockbi-server", daemon=True)
        self._thread.start()
        self.port = ready.result(timeout=30)
        return self

    def _serve(self, ready: Future[int]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup(ready))
            # wait on an Event, not run_forever()/loop.stop(): a stop() that lands while the startup's
            # run_until_complete is finishing would otherwise be swallowed and the loop never end
            assert self._stop_requested is not None
            loop.run_until_complete(self._stop_requested.wait())
            loop.run_until_complete(self._shutdown())
        except BaseException as exc:  # surface bind errors to start()
            if not ready.done():
                ready.set_exception(exc)
        finally:
            loop.close()
            self._stopped.set()

    async def _startup(self, ready: Future[int]) -> None:
        self._stop_requested = asyncio.Event()
        self._runner = MockbiAppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        ready.set_result(port)

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the server's loop thread and wait for its result (thread-safe store access);
        called on that thread itself, ``fn`` simply runs."""
        assert self._loop is not None
        if threading.current_thread() is self._thread:
            return fn()

        async def run() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=30)

    def stop(self) -> None:
        if self._loop is not None and self._stop_requested is not None and not self._stopped.is_set():
            self._loop.call_soon_threadsafe(self._stop_requested.set)
            self._stopped.wait(timeout=30)
        if self._thread is not None:
            self._thread.join(timeout=30)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
