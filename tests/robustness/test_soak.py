"""Soak: bounded mixed traffic with large bodies over every vendor and the admin API; the server's memory
stays within the journal's byte budget, the world stays readable. The large bodies are ones the vendors
refuse (what is stored stays small), so what could grow is what the server keeps about requests."""

from __future__ import annotations

import time
from collections.abc import Iterator

import orjson
import pytest

from mockbi.config import MockbiConfig
from mockbi.server import ServerThread

from ._rss import MB, settled_rss
from ._world import World

JOURNAL_BYTES = 16 * MB
FILL_ROUNDS = 30  # each round: 6 requests, four of them carrying 200-900 KB; 30 rounds fill the journal budget
ROUNDS = 60
SLACK = 40 * MB  # compiled validators, caches, allocator arenas, the client's own buffers
#: once the journal is full: the allocator's arenas for the 200-900 KB bodies in flight (server and client
#: threads) are not returned at once; CI measured 16.7 MB here. A leak of the bodies would be ~120 MB.
STEADY_SLACK = 12 * MB


@pytest.fixture(scope="module")
def soak_world() -> Iterator[World]:
    config = MockbiConfig(strict=True, clock_mode="frozen", journal_bytes=JOURNAL_BYTES)
    with ServerThread(config) as server:
        w = World(server)
        yield w
        w.http.close()


def one_round(w: World, i: int) -> list[int]:
    big = "x" * (200_000 + (i * 37_000) % 700_000)
    ph = f"/api/projects/{w.ph_project}/dashboards/"
    answers = [
        w.http.post(w.url + ph, json={"name": f"soak {i}", "description": big[:4000]}, headers=w.auth("posthog")),
        w.http.post(w.url + ph, json={"name": ["not", "a", "string"], "description": big}, headers=w.auth("posthog")),
        w.http.post(w.url + f"/api/v1/projects/{w.ld_project}/spaces", data=orjson.dumps({"name": 7, "pad": big}),
                    headers={**w.auth("lightdash"), "Content-Type": "application/json"}),
        w.http.post(w.url + "/v1/graphql", json={"query": "{ projects { id } }", "variables": {"pad": big}},
                    headers=w.auth("hasura_cloud")),
        w.http.post(w.url + "/api/graphql", json={"query": "{ __typename }", "variables": {"pad": big[:90_000]}},
                    headers=w.auth("hashboard")),
        w.http.get(w.url + "/__mockbi/journal", params={"status": "200"}),
    ]
    return [a.status_code for a in answers]


def test_soak_memory_stays_within_the_journal_budget(soak_world: World) -> None:
    """From a cold start RSS grows by at most the journal budget plus fixed costs; once the journal is full
    (the oldest entries dropping out), another 60 rounds (~120 MB of request bodies) add less than the budget
    and the allocator's slack: what the server keeps does not grow with the traffic."""
    w = soak_world
    cold = settled_rss()
    statuses = [s for i in range(FILL_ROUNDS) for s in one_round(w, i)]
    full = settled_rss()
    started = time.perf_counter()
    statuses += [s for i in range(FILL_ROUNDS, FILL_ROUNDS + ROUNDS) for s in one_round(w, i)]
    took = time.perf_counter() - started
    end = settled_rss()
    assert all(s < 500 for s in statuses), sorted(set(statuses))
    assert end - cold < JOURNAL_BYTES + SLACK, f"RSS grew {(end - cold) / MB:.1f} MB from cold"
    assert end - full < JOURNAL_BYTES + STEADY_SLACK, \
        f"RSS grew {(end - full) / MB:.1f} MB in {took:.0f} s with the journal full"
    w.check_all()
