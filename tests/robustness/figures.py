"""Print the figures docs/RELIABILITY.md quotes, measured on this machine: the hostile matrix's size, the
fuzzing budget, the B5/B6 floods (server CPU, wall clock, retained RSS) and the soak's RSS.

    .venv/bin/python -m tests.robustness.figures

Loopback only; takes about a minute. The pass/fail checks themselves are in tests/robustness (make test).
"""

from __future__ import annotations

import collections
import statistics
import time

from mockbi.config import MockbiConfig
from mockbi.server import ServerThread

from . import test_resource_bounds as bounds
from . import test_soak as soak
from ._cases import CASES
from ._fuzz import KNOWN_DEFECTS, contract
from ._rss import MB, settled_rss
from ._world import World


def matrix() -> None:
    by_vendor = collections.Counter(c.vendor for c in CASES)
    print(f"hostile matrix: {len(CASES)} cases: {dict(by_vendor)}")
    for vendor in ("posthog", "lightdash"):
        ops = sum(1 for item in contract(vendor)["paths"].values() for m, op in item.items()
                  if isinstance(op, dict) and "operationId" in op)
        print(f"schemathesis {vendor}: {ops} operations ({len(KNOWN_DEFECTS)} left out by name in all)")


def floods() -> None:
    with ServerThread(MockbiConfig(strict=True)) as server:
        world = World(server)
        for name, (path, document) in bounds.DOCUMENTS.items():
            bounds.post(world, path, "{ __typename }")
            before = settled_rss()
            runs = [bounds.post(world, path, document) for _ in range(bounds.REPEAT)]
            grown = (settled_rss() - before) / MB
            cpu = max(r[0] for r in runs)
            wall = max(r[1] for r in runs)
            print(f"{name}: {len(document) // 1024} KB, status {runs[0][2]}, process CPU max {cpu:.2f} s, "
                  f"wall max {wall:.2f} s, retained {grown:.1f} MB after {bounds.REPEAT}")


def soak_rss() -> None:
    config = MockbiConfig(strict=True, journal_bytes=soak.JOURNAL_BYTES)
    with ServerThread(config) as server:
        world = World(server)
        cold = settled_rss()
        samples = []
        started = time.perf_counter()
        for i in range(soak.FILL_ROUNDS + soak.ROUNDS):
            soak.one_round(world, i)
            if i % 15 == 14:
                samples.append((settled_rss() - cold) / MB)
        took = time.perf_counter() - started
        print(f"soak: {(soak.FILL_ROUNDS + soak.ROUNDS) * 6} requests in {took:.0f} s, journal budget "
              f"{soak.JOURNAL_BYTES // MB} MB, RSS above cold every 90 requests: "
              f"{', '.join(f'{s:.0f}' for s in samples)} MB (median {statistics.median(samples):.0f})")


if __name__ == "__main__":
    matrix()
    floods()
    soak_rss()
