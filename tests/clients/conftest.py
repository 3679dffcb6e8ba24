"""Published client libraries, unmodified, against a real strict mockbi server on a loopback port.

Each client is pointed at the mock by its base URL alone. A module gets one server; each test starts from
the seeded world (``POST /__mockbi/reset``) and fails if any response the mock sent broke its own contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.server import ServerThread


class Mock:
    """The running server as a test sees it: its root URL, seeded credentials, stores and clock."""

    def __init__(self, thread: ServerThread) -> None:
        self.thread = thread
        self.url = thread.url

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        resp = requests.post(f"{self.url}/__mockbi/{path}", json=body or {}, timeout=10)
        assert resp.status_code in (200, 201), resp.text
        return resp.json()

    def credentials(self, vendor: str) -> dict[str, Any]:
        resp = requests.get(f"{self.url}/__mockbi/info", timeout=10)
        return resp.json()["vendors"][vendor]  # type: ignore[no-any-return]

    def advance(self, seconds: float) -> None:
        """Move the server's injected clock (async jobs progress)."""
        self.admin("clock", {"advance": seconds})

    def on_loop(self, fn: Any) -> Any:
        """Run ``fn`` on the server's loop thread (safe access to a live store)."""
        return self.thread.call(fn)


@pytest.fixture(scope="module")
def mock_server(request: pytest.FixtureRequest) -> Iterator[ServerThread]:
    """One strict server per module, serving the vendors the module names in ``VENDORS``."""
    vendors = tuple(request.module.VENDORS)
    with ServerThread(MockbiConfig(strict=True, vendors=vendors)) as thread:
        yield thread


@pytest.fixture
def mock(mock_server: ServerThread) -> Iterator[Mock]:
    """The seeded world, rebuilt; afterwards no response of this test may carry a contract violation."""
    Mock(mock_server).admin("reset", {"seed": 0, "scenario": "default"})
    first = mock_server.runtime.journal.next_seq()
    yield Mock(mock_server)
    calls = mock_server.runtime.journal.since(first)
    broken = [(c.method, c.path, c.status, c.violations) for c in calls if c.violations]
    assert not broken, broken
