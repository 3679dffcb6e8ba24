"""Published client libraries, unmodified, against a real strict mockbi server on a loopback port.

Each client is pointed at the mock by its base URL alone. The server is the one the ``mockbi`` fixture mockbi
ships starts for the session: each test starts from the seeded world and fails if any response the mock sent
broke its own contract.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
import requests

from mockbi import MockbiHandle

T = TypeVar("T")


class Mock:
    """The running server as a test sees it: its root URL, seeded credentials, stores and clock."""

    def __init__(self, handle: MockbiHandle) -> None:
        self.handle = handle
        self.url = handle.url

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

    def on_loop(self, fn: Callable[[], T]) -> T:
        """``fn()`` holding the server's handler lock (safe access to a live store)."""
        with self.handle.locked():
            return fn()


@pytest.fixture
def mock(mockbi: MockbiHandle) -> Mock:
    """The seeded world (the shipped fixture resets it, and fails the test on a contract violation)."""
    return Mock(mockbi)
