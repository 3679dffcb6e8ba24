"""Benchmark: the PostHog dashboards list served by mockbi (validation on and off) against a bare
aiohttp app serving the same bytes, in one run. Prints requests/s, p50/p99 latency and the ratios.

    make bench                      # or: .venv/bin/python bench/run.py --seconds 5 --concurrency 16

Each server runs in its own process; the load generator is an aiohttp client in this process, so
the numbers compare servers under the same client (this machine has 2 cores: one for the server,
one for the client). Not a test: record results in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
BARE = """
import sys
from aiohttp import web
body = open(sys.argv[1], "rb").read()
async def handle(request):
    return web.Response(body=body, content_type="application/json")
app = web.Application()
app.router.add_get("/api/projects/{project_id}/dashboards/", handle)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[2]), print=lambda *a: print("ready", flush=True),
            access_log=None)
"""


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not start")


def start_mockbi(port: int, validate: bool) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "mockbi", "serve", "--port", str(port), "--vendors", "posthog",
            "--scenario", "large", "--frozen-clock", "--log-level", "WARNING"]
    if not validate:
        args.append("--no-validate-responses")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _wait_ready(f"http://127.0.0.1:{port}/__mockbi/health")
    return proc


async def load(url: str, headers: dict[str, str], seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds
    errors = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            async with session.get(url, headers=headers) as resp:
                await resp.read()
                if resp.status != 200:
                    errors += 1
            latencies.append(time.perf_counter() - t0)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(50):  # warm-up
            async with session.get(url, headers=headers) as resp:
                await resp.read()
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))], "requests": len(latencies),
            "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--limit", type=int, default=20, help="dashboards per page (the list size)")
    parser.add_argument("--port", type=int, default=18080)
    args = parser.parse_args()

    results: dict[str, dict[str, float]] = {}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for name, validate, port in (("mockbi (validation on)", True, args.port),
                                     ("mockbi (validation off)", False, args.port + 1)):
            proc = start_mockbi(port, validate)
            procs.append(proc)
            base = f"http://127.0.0.1:{port}"
            creds = json.load(urllib.request.urlopen(f"{base}/__mockbi/info"))["vendors"]["posthog"]
            headers = {"Authorization": f"Bearer {creds['personal_api_key']}"}
            url = f"{base}/api/projects/{creds['project_id']}/dashboards/?limit={args.limit}"
            results[name] = asyncio.run(load(url, headers, args.seconds, args.concurrency))
            if validate:
                req = urllib.request.Request(url, headers=headers)
                sample = urllib.request.urlopen(req).read()
        body_file = ROOT / "bench" / ".bare-body.json"
        body_file.write_bytes(sample)
        bare = subprocess.Popen([sys.executable, "-c", BARE, str(body_file), str(args.port + 2)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(bare)
        bare_url = f"http://127.0.0.1:{args.port + 2}/api/projects/1/dashboards/"
        _wait_ready(bare_url)
        results["bare aiohttp (same bytes)"] = asyncio.run(load(bare_url, {}, args.seconds, args.concurrency))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
        (ROOT / "bench" / ".bare-body.json").unlink(missing_ok=True)

    items = json.loads(sample)["results"]
    print(f"PostHog dashboards list, {len(items)} items, {len(sample)} bytes; {args.concurrency} connections, "
          f"{args.seconds:.0f}s each; Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"{'server':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:28} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['errors']:7.0f}")
    bare_rps = results["bare aiohttp (same bytes)"]["rps"]
    on, off = results["mockbi (validation on)"]["rps"], results["mockbi (validation off)"]["rps"]
    print(f"ratios: validation on / bare = {on / bare_rps:.2f}; validation off / bare = {off / bare_rps:.2f}; "
          f"on / off = {on / off:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
