"""Measure what a tenant costs (RSS per tenant) and what one server process answers per second (one core).

Usage: ``.venv/bin/python bench/tenants.py [--tenants 20] [--seconds 5]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def touch(session: aiohttp.ClientSession, url: str, name: str, creds: dict[str, Any]) -> None:
    """One request to each vendor of tenant ``name`` (so every vendor's world is live)."""
    ph, ld = creds["posthog"], creds["lightdash"]
    root = f"{url}/tenants/{name}"
    calls = [
        ("GET", f"{root}/api/projects/{ph['project_id']}/dashboards/",
         {"Authorization": f"Bearer {ph['personal_api_key']}"}, None),
        ("GET", f"{root}/api/v1/org/projects", {"Authorization": ld["auth_header"]}, None),
        ("POST", f"{root}/api/graphql", {"Authorization": creds["hashboard"]["api_token"]},
         {"query": f'{{ project(projectId: "{creds["hashboard"]["project_id"]}") {{ models {{ name }} }} }}'}),
        ("POST", f"{root}/v1/graphql", {"Authorization": f"pat {creds['hasura_cloud']['personal_access_token']}"},
         {"query": "{ projects { id name } }"}),
    ]
    for method, target, headers, body in calls:
        async with session.request(method, target, headers=headers, json=body) as resp:
            assert resp.status == 200, (target, resp.status)
            await resp.read()


async def load(url: str, auth: dict[str, str], seconds: float, concurrency: int) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            async with session.get(url, headers=auth) as resp:
                await resp.read()
                done += 1

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return done / seconds


async def measure(tenants: int, seconds: float) -> list[tuple[str, str]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mockbi", "serve", "--port", "0", "--log-level", "WARNING",
                             "--max-tenants", str(tenants + 1)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" ready at ")[1].split()[0]
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{url}/__mockbi/info") as resp:
                everyone = (await resp.json())["vendors"]
            creds = everyone["posthog"]
            auth = {"Authorization": f"Bearer {creds['personal_api_key']}"}
            pid = str(creds["project_id"])
            await touch(session, url, "warm-up", everyone)
            base = rss_mb(proc.pid)
            started = time.perf_counter()
            for i in range(tenants):
                await touch(session, url, f"t{i}", everyone)
            build_ms = (time.perf_counter() - started) * 1000 / tenants
            per_tenant = (rss_mb(proc.pid) - base) / tenants
        list_url = f"{url}/tenants/t0/api/projects/{pid}/dashboards/?limit=20"
        rps = await load(list_url, auth, seconds, 16)
        default_rps = await load(f"{url}/api/projects/{pid}/dashboards/?limit=20", auth, seconds, 16)
        return [("RSS per tenant (default world, four vendors)", f"{per_tenant:.1f} MB"),
                ("time to create a tenant on first use", f"{build_ms:.0f} ms"),
                ("PostHog list (20 items) through a tenant prefix, 1 process, c=16", f"{rps:,.0f} req/s"),
                ("same on the server's own world", f"{default_rps:,.0f} req/s")]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.tenants, args.seconds))
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
