"""``mockbi serve`` stops promptly on SIGTERM/SIGINT: open keep-alive connections are closed, a request
still in flight gets a short grace, and the process exits (the issue asks for 0.2 s idle; the bounds
here are generous because the test machine is shared)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
GENEROUS = 10.0  # seconds; the real figure is ~0.06 s idle (docs/PERFORMANCE.md)


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc = subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--vendors", "posthog",
                             "--log-level", "WARNING"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" ready at ")[1].split()[0]
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=GENEROUS)


def _keep_alive(url: str) -> socket.socket:
    sock = _connect(url)
    host = url.removeprefix("http://")
    sock.sendall(f"GET /__mockbi/health HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    answer = sock.recv(65536)
    if not answer.startswith(b"HTTP/1.1 200"):
        sock.close()
        raise AssertionError(answer)
    return sock


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_closes_keep_alive_connections_and_exits(served: tuple[subprocess.Popen[str], str],
                                                        signum: int) -> None:
    proc, url = served
    sock = _keep_alive(url)
    started = time.monotonic()
    proc.send_signal(signum)
    with sock:
        assert sock.recv(65536) == b""  # the server closed the idle keep-alive connection
    assert proc.wait(timeout=GENEROUS) == 0
    assert time.monotonic() - started < GENEROUS
    assert "Traceback" not in proc.communicate()[1]


def test_a_request_in_flight_does_not_hold_the_exit(served: tuple[subprocess.Popen[str], str]) -> None:
    proc, url = served
    slow = {"vendor": "posthog", "operation_id": "*", "latency": 60}
    assert requests.post(f"{url}/__mockbi/faults", json=slow, timeout=10).status_code in (200, 201)
    with _connect(url) as sock:
        sock.sendall(b"GET /api/projects/1/dashboards/ HTTP/1.1\r\nHost: x\r\n\r\n")  # sleeps in the fault
        time.sleep(0.3)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=GENEROUS) == 0
        assert time.monotonic() - started < GENEROUS  # not the fault's 60 s, nor aiohttp's default 60 s grace
