"""Robustness tests run against their own loopback servers (started through mockbi's ServerThread), so
hostile traffic never leaks into the session's shared ``mockbi_server``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockbi.config import MockbiConfig
from mockbi.server import ServerThread

from ._world import TracebackWatch, World


@pytest.fixture(scope="module")
def robust_server() -> Iterator[ServerThread]:
    with ServerThread(MockbiConfig(strict=True, clock_mode="frozen")) as server:
        yield server


@pytest.fixture(scope="module")
def world(robust_server: ServerThread) -> Iterator[World]:
    w = World(robust_server)
    yield w
    w.http.close()


@pytest.fixture
def watch() -> Iterator[TracebackWatch]:
    with TracebackWatch() as w:
        yield w
