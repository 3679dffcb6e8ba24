"""Oversized GraphQL documents and introspection floods, without a token (issue 12 B5/B6): each answer comes
within 1 s and the server retains less than 20 MB for all of them together.

"Within 1 s" is measured as the CPU time the process spends on the request (the server's loop thread, the
worker thread that parses GraphQL, and this client's few milliseconds): 7-15 s of blocked loop before the
fix, and a measure a loaded machine does not inflate; the wall-clock time of the answer is held to a
looser 5 s."""

from __future__ import annotations

import time

import orjson
import pytest

from ._rss import MB, settled_rss
from ._world import World

TOKEN_FLOOD = "{ " + "a " * 520_000 + "z }"  # ~1 MB, just under the default --max-body-size
SCHEMA_SUBTREE = "__schema { types { name kind fields { name type { name kind ofType { name } } } } }"
INTROSPECTION_FLOOD = "{ " + " ".join(f"s{i}: {SCHEMA_SUBTREE}" for i in range(7000)) + " }"  # ~600 KB
SMALL_FLOOD = "{ " + " ".join(f"s{i}: {SCHEMA_SUBTREE}" for i in range(1000)) + " }"  # under Hashboard's 100 KB
DOCUMENTS = {
    "hasura-token-flood": ("/v1/graphql", TOKEN_FLOOD),
    "hasura-introspection-flood": ("/v1/graphql", INTROSPECTION_FLOOD),
    "hashboard-token-flood": ("/api/graphql", TOKEN_FLOOD),
    "hashboard-introspection-flood": ("/api/graphql", INTROSPECTION_FLOOD),
    "hashboard-introspection-flood-under-the-body-limit": ("/api/graphql", SMALL_FLOOD),
}
REPEAT = 4
ANSWER_WITHIN_S = 1.0  # process CPU time
WALL_CLOCK_WITHIN_S = 5.0
RETAINED_LESS_THAN = 20 * MB


def post(world: World, path: str, document: str) -> tuple[float, float, int, bytes]:
    """(process CPU seconds, wall seconds, status, body) of one unauthenticated POST."""
    body = orjson.dumps({"query": document})
    cpu, started = time.process_time(), time.perf_counter()
    resp = world.http.post(world.url + path, data=body, headers={"Content-Type": "application/json"}, timeout=120)
    return time.process_time() - cpu, time.perf_counter() - started, resp.status_code, resp.content


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_an_oversized_document_is_answered_quickly_and_cheaply(world: World, name: str) -> None:
    path, document = DOCUMENTS[name]
    post(world, path, "{ __typename }")  # warm the connection and the endpoint
    before = settled_rss()
    for _ in range(REPEAT):
        cpu, wall, status, content = post(world, path, document)
        assert status < 500 and len(content) < 100_000, (name, status, content[:300])
        assert cpu < ANSWER_WITHIN_S, f"{name}: the process worked {cpu:.2f} s on it"
        assert wall < WALL_CLOCK_WITHIN_S, f"{name}: answered in {wall:.2f} s"
    grown = settled_rss() - before
    assert grown < RETAINED_LESS_THAN, f"{name}: the server kept {grown / MB:.1f} MB"
    world.check_all()
