"""What a client test suite pays: reset latency, the ``mockbi`` fixture's per-test overhead, cold start
of ``mockbi serve`` and its memory."""

from __future__ import annotations

import http.client
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _servers import ROOT, free_port, rss_mb, stop, wait_ready


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(median, p99) of ``samples``."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def resets(base: str, creds: dict[str, Any], rounds: int) -> dict[str, tuple[float, float]]:
    """``POST /__mockbi/reset`` over one keep-alive connection (ms): with nothing touched, and right after
    one PostHog request (its vendor is then restored)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port))
    auth = {"Authorization": f"Bearer {creds['posthog']['personal_api_key']}"}
    list_path = f"/api/projects/{creds['posthog']['project_id']}/dashboards/?limit=20"

    def timed_reset() -> float:
        started = time.perf_counter()
        conn.request("POST", "/__mockbi/reset", body=b"{}", headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        return 1000 * (time.perf_counter() - started)

    clean, touched = [], []
    for _ in range(rounds):
        clean.append(timed_reset())
        conn.request("GET", list_path, headers=auth)
        conn.getresponse().read()
        touched.append(timed_reset())
    conn.close()
    return {"clean": percentiles(clean), "after a request": percentiles(touched)}


def _pytest_seconds(folder: Path, body: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one pytest run of ``body``; CPU time (user + system, both threads) is the steadier
    of the two on a shared machine."""
    (folder / "test_generated.py").write_text(body)
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # mockbi's plugin only: fewer moving parts
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "mockbi.pytest_plugin", "-p", "no:cacheprovider",
                          "test_generated.py"], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise RuntimeError(run.stdout[-2000:] + run.stderr[-2000:])
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def fixture_overhead(tests: int = 500) -> dict[str, float]:
    """Per-test cost of the ``mockbi`` fixture (ms): ``tests`` trivial tests that all use it, against the same
    file where only the first does (so both runs start the session server once)."""
    with_fixture = "".join(f"def test_{i}(mockbi):\n    pass\n\n" for i in range(tests))
    without = "def test_0(mockbi):\n    pass\n\n" + "".join(f"def test_{i}():\n    pass\n\n" for i in range(1, tests))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _pytest_seconds(folder, without)  # warm the file cache
        bare = [_pytest_seconds(folder, without) for _ in range(3)]
        full = [_pytest_seconds(folder, with_fixture) for _ in range(3)]
    wall = statistics.median(f[0] for f in full) - statistics.median(b[0] for b in bare)
    cpu = statistics.median(f[1] for f in full) - statistics.median(b[1] for b in bare)
    return {"per_test_ms": 1000 * wall / (tests - 1), "per_test_cpu_ms": 1000 * cpu / (tests - 1)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far: on a shared machine, a steadier measure of start-up
    work than wall time (which includes waiting for a core)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cold_start(runs: int = 5) -> dict[str, float]:
    """``mockbi serve`` (default world, all vendors) from exec to a 200 from /__mockbi/health; RSS then; and the
    time from SIGTERM to exit."""
    starts, cpu, rss, exits = [], [], [], []
    for _ in range(runs):
        port = free_port()
        started = time.perf_counter()
        args = [sys.executable, "-m", "mockbi", "serve", "--port", str(port), "--log-level", "WARNING"]  # wall clock
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        try:
            wait_ready(f"http://127.0.0.1:{port}/__mockbi/health", proc)
            starts.append(time.perf_counter() - started)
            cpu.append(cpu_seconds(proc.pid))
            time.sleep(0.2)
            rss.append(rss_mb(proc.pid))
            signalled = time.perf_counter()
            stop(proc)
            exits.append(time.perf_counter() - signalled)
        finally:
            stop(proc)
    return {"start_median_s": statistics.median(starts), "start_min_s": min(starts),
            "start_cpu_s": statistics.median(cpu),
            "rss_mb": statistics.median(rss), "exit_median_s": statistics.median(exits)}


def inprocess_resets(rounds: int) -> dict[str, tuple[float, float]]:
    """``Runtime.reset()`` without HTTP (ms): the restore itself, after PostHog was touched and after all four
    vendors were (the default world)."""
    from mockbi import MockbiConfig, create_app
    from mockbi.keys import RUNTIME

    rt = create_app(MockbiConfig(clock_mode="frozen"))[RUNTIME]
    out = {}
    for label, vendors in (("posthog touched", ["posthog"]), ("all four touched", None)):
        samples = []
        for _ in range(rounds):
            rt.mark_dirty(vendors)
            started = time.perf_counter()
            rt.reset()
            samples.append(1000 * (time.perf_counter() - started))
        out[label] = percentiles(samples)
    return out
