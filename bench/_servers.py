"""The servers the bench compares, each in its own process: mockbi (``mockbi serve``), a bare aiohttp app
serving fixed bytes, Prism 5.16 mocking our own contract (installed with npm into ``bench/.node/``), and
mockbi with a PostHog project grown to N dashboards (list latency against store size)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = ROOT / "bench" / ".node"
PRISM_VERSION = "5.16.0"

BARE = """
import sys
from aiohttp import web
body = open(sys.argv[1], "rb").read()
async def handle(request):
    return web.Response(body=body, content_type="application/json")
app = web.Application()
app.router.add_get("/api/projects/{project_id}/dashboards/", handle)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[2]), print=None, access_log=None)
"""

#: mockbi serving PostHog with the ``large`` world grown to argv[1] dashboards (clones of the seeded ones:
#: building that many through Faker would take minutes), frozen clock
GROWN = """
import dataclasses, gc, sys
from aiohttp import web
from mockbi import MockbiConfig, create_app
from mockbi.keys import RUNTIME
app = create_app(MockbiConfig(vendors=("posthog",), scenario="large", clock_mode="frozen"))
store = app[RUNTIME].store("posthog")
team = store.main_project_id
seeded = [d for d in store.dashboards.values() if d.team_id == team and not d.deleted]
count, target = len(seeded), int(sys.argv[1])
while count < target:
    d = seeded[count % len(seeded)]
    new_id = store.next_id("dashboard")
    store.dashboards[new_id] = dataclasses.replace(d, id=new_id, name=f"{d.name} {count}", pinned=False)
    count += 1
gc.freeze()
web.run_app(app, host="127.0.0.1", port=int(sys.argv[2]), print=None, access_log=None)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> float:
    """Seconds until ``url`` answers (any HTTP status), polling every 5 ms."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return time.perf_counter() - started
        except urllib.error.HTTPError:
            return time.perf_counter() - started
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def process(args: list[str], health: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, **(env or {})})
    try:
        wait_ready(health, proc)
        yield proc
    finally:
        stop(proc)


def mockbi_args(port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mockbi", "serve", "--port", str(port), "--frozen-clock", "--log-level", "WARNING",
            *extra]


@contextmanager
def mockbi(*extra: str) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with process(mockbi_args(port, *extra), f"{base}/__mockbi/health"):
        yield base


@contextmanager
def bare(body: bytes) -> Iterator[str]:
    port = free_port()
    body_file = ROOT / "bench" / ".bare-body.json"
    body_file.write_bytes(body)
    try:
        with process([sys.executable, "-c", BARE, str(body_file), str(port)],
                     f"http://127.0.0.1:{port}/api/projects/1/dashboards/"):
            yield f"http://127.0.0.1:{port}"
    finally:
        body_file.unlink(missing_ok=True)


@contextmanager
def grown(dashboards: int) -> Iterator[str]:
    port = free_port()
    with process([sys.executable, "-c", GROWN, str(dashboards), str(port)],
                 f"http://127.0.0.1:{port}/__mockbi/health"):
        yield f"http://127.0.0.1:{port}"


def prism_bin() -> Path | None:
    """Prism's CLI, installed (pinned) into bench/.node/ on first use; ``None`` without npm."""
    binary = NODE_DIR / "node_modules" / ".bin" / "prism"
    marker = NODE_DIR / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    installed = marker.exists() and json.loads(marker.read_text()).get("version") == PRISM_VERSION
    if not installed:
        if not shutil.which("npm"):
            return None
        print(f"bench: installing @stoplight/prism-cli@{PRISM_VERSION} into {NODE_DIR}", file=sys.stderr)
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--loglevel=error",
                        f"@stoplight/prism-cli@{PRISM_VERSION}"], check=True, timeout=600)
    return binary if binary.exists() else None


@contextmanager
def prism(contract: Path, probe_path: str, headers: dict[str, str]) -> Iterator[str | None]:
    binary = prism_bin()
    if binary is None:
        yield None
        return
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(binary), "mock", str(contract), "-h", "127.0.0.1", "-p", str(port), "--errors"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(urllib.request.Request(base + probe_path, headers=headers), timeout=2).read()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        stop(proc)  # type: ignore[arg-type]
