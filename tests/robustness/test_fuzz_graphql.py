"""Schemathesis (hypothesis-graphql underneath) against both GraphQL contracts: every query and mutation
field, positive and negative documents, seeded. A document gets the vendor's GraphQL answer (``data`` or
``errors`` in its shape), never a 5xx, an HTML page or a traceback; the world stays readable."""

from __future__ import annotations

from typing import Any

import orjson
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from mockbi.core.resources import contract_path
from mockbi.server import ServerThread

from ._fuzz import SEED
from ._world import World, assert_no_traceback_text

EXAMPLES = 8
# the custom scalars: well-formed values most of the time, so documents get past argument coercion
schemathesis.graphql.scalar("uuid", st.sampled_from(["7a79cf94-0e53-4520-a560-1b02bf522f08",
                                                     "a847e1b2-582b-4dd2-bab9-94ded73ea9ee"]).map(nodes.String))
schemathesis.graphql.scalar("timestamptz", st.just("2025-01-15T09:30:00Z").map(nodes.String))
schemathesis.graphql.scalar("jsonb", st.text(max_size=8).map(nodes.String))
schemathesis.graphql.scalar("JSON", st.text(max_size=8).map(nodes.String))
schemathesis.graphql.scalar("GRN", st.sampled_from(["m/abc", "nosuch"]).map(nodes.String))


def load(vendor: str) -> Any:
    config = schemathesis.Config.from_dict({
        "seed": SEED, "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none", "deterministic": True,
                       "no-shrink": True},
    })
    return schemathesis.graphql.from_path(contract_path(vendor, "schema.graphql"), config=config)


HASHBOARD = load("hashboard")
HASURA = load("hasura_cloud")


def check_graphql_answer(vendor: str, status: int, text: str) -> None:
    assert status < 500, f"{vendor}: {status} {text[:400]}"
    assert_no_traceback_text(text, vendor)
    body = orjson.loads(text)
    if "errors" in body:
        errors = body["errors"]
        assert isinstance(errors, list) and errors and all(isinstance(e["message"], str) for e in errors), body
        if vendor == "hasura_cloud" and status == 200:
            assert all(isinstance(e["extensions"]["code"], str) for e in errors), body
    else:
        assert status == 200 and isinstance(body["data"], dict), body


@HASHBOARD.parametrize()
def test_hashboard_document(case: Any, robust_server: ServerThread, world: World) -> None:
    response = case.call(base_url=robust_server.url + "/api/graphql", headers=world.auth("hashboard"))
    check_graphql_answer("hashboard", response.status_code, response.text)


@HASURA.parametrize()
def test_hasura_document(case: Any, robust_server: ServerThread, world: World) -> None:
    response = case.call(base_url=robust_server.url + "/v1/graphql", headers=world.auth("hasura_cloud"))
    check_graphql_answer("hasura_cloud", response.status_code, response.text)


def test_the_world_survives_the_graphql_fuzzing(world: World) -> None:
    journal = world.http.get(f"{world.url}/__mockbi/journal", timeout=60).json()["calls"]
    for vendor in ("hashboard", "hasura_cloud"):  # the documents did reach the vendors' endpoints
        assert sum(c["vendor"] == vendor for c in journal) >= EXAMPLES, vendor
    world.check_all()
