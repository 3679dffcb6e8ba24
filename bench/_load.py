"""Load generation for the bench: wrk when it is installed (installed with apt when root and missing),
else an aiohttp client in a separate process. Both report requests/s, p50/p99 latency and errors."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass
class Load:
    """One measurement: requests per second, latency percentiles (ms) and non-2xx/socket errors."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


@dataclass
class Request:
    url: str
    method: str = "GET"
    headers: dict[str, str] | None = None
    body: bytes | None = None


def wrk_path(install: bool = True) -> str | None:
    """wrk's path; when missing and running as root, ``apt-get install -y wrk`` first (Debian package)."""
    found = shutil.which("wrk")
    if found or not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("bench: installing wrk with apt-get", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True, timeout=300)
    return shutil.which("wrk")


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"wrk latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def _lua(req: Request) -> str:
    lines = [f'wrk.method = "{req.method}"']
    if req.body is not None:
        lines.append(f"wrk.body = [==[{req.body.decode()}]==]")
    for name, value in (req.headers or {}).items():
        lines.append(f'wrk.headers["{name}"] = [==[{value}]==]')
    return "\n".join(lines) + "\n"


def run_wrk(wrk: str, req: Request, seconds: float, connections: int) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(req))
    try:
        args = [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", script.name, req.url]
        out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return Load(rps, p50, p99, errors, "wrk")


async def _python_load(req: Request, seconds: float, connections: int) -> dict[str, float]:
    import aiohttp

    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            async with session.request(req.method, req.url, headers=req.headers, data=req.body) as resp:
                await resp.read()
                errors += resp.status >= 400
            latencies.append(time.perf_counter() - t0)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections)) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": 1000 * statistics.median(latencies),
            "p99": 1000 * latencies[int(0.99 * (len(latencies) - 1))], "errors": errors}


def run_python(req: Request, seconds: float, connections: int) -> Load:
    """The fallback: the aiohttp client in its own process (so it does not share the bench's GIL)."""
    spec = json.dumps({"url": req.url, "method": req.method, "headers": req.headers,
                       "body": req.body.decode() if req.body is not None else None})
    code = ("import asyncio, json, sys\nsys.path.insert(0, sys.argv[1])\nfrom _load import Request, _python_load\n"
            "s = json.loads(sys.argv[2])\nbody = s['body'].encode() if s['body'] is not None else None\n"
            "r = Request(s['url'], s['method'], s['headers'], body)\n"
            "print(json.dumps(asyncio.run(_python_load(r, float(sys.argv[3]), int(sys.argv[4])))))")
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), spec, str(seconds),
                          str(connections)], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    data = json.loads(out)
    return Load(data["rps"], data["p50"], data["p99"], int(data["errors"]), "python")


def measure(req: Request, seconds: float, connections: int, wrk: str | None) -> Load:
    if wrk:
        run_wrk(wrk, req, min(1.0, seconds), connections)  # warm-up: connections, caches, JIT-free but lazy paths
        return run_wrk(wrk, req, seconds, connections)
    run_python(req, min(1.0, seconds), connections)
    return run_python(req, seconds, connections)


def median_load(loads: list[Load], by: str = "rps") -> Load:
    """The round with the median ``by`` (req/s, or a latency; the rest of that round with it); the errors of
    every round."""
    middle = sorted(loads, key=lambda load: float(getattr(load, by)))[len(loads) // 2]
    return Load(middle.rps, middle.p50_ms, middle.p99_ms, sum(load.errors for load in loads), middle.tool)


def interleaved(reqs: list[Request], seconds: float, connections: int, wrk: str | None, rounds: int,
                by: str = "rps") -> list[Load]:
    """Each request measured ``rounds`` times, taking turns (a slow spell of the shared machine then falls on
    every server alike, not on one of them), after a warm-up each; each request's median round by ``by``."""
    def once(req: Request, seconds: float) -> Load:
        return run_wrk(wrk, req, seconds, connections) if wrk else run_python(req, seconds, connections)

    for req in reqs:
        once(req, min(1.0, seconds))  # warm-up: connections, caches, lazy paths
    runs: list[list[Load]] = [[] for _ in reqs]
    for _ in range(rounds):
        for req, done in zip(reqs, runs, strict=True):
            done.append(once(req, seconds))
    return [median_load(done, by) for done in runs]
