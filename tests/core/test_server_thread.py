"""ServerThread: start and stop are safe back to back (the pytest plugin and embedders rely on it)."""

from __future__ import annotations

import pytest

from mockbi import MockbiConfig
from mockbi.app import create_app
from mockbi.server import ServerThread
from tests.core.toy import Toy


@pytest.mark.timeout(30)
def test_stop_right_after_start_never_hangs() -> None:
    """A stop() landing while the loop finishes its start-up used to be lost (the thread then ran until a
    60 s join timeout); the stop request is now an Event the loop waits on."""
    for _ in range(300):
        server = ServerThread(MockbiConfig(), app_factory=lambda c: create_app(c, [Toy()])).start()
        server.stop()
        assert server._thread is not None and not server._thread.is_alive()
