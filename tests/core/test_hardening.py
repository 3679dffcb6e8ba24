"""Issue 12, core side: hostile input costs little, is refused in the vendor's shape, and never breaks the
server. Every test talks HTTP to the server the shipped pytest plugin starts (the ``mockbi`` fixture)."""

from __future__ import annotations

import time
from typing import Any

import requests
from graphql import get_introspection_query

from mockbi.core.graphql_cache import CACHE_BYTES
from mockbi.handle import MockbiHandle

HASURA, HASHBOARD = "/v1/graphql", "/api/graphql"


def _contract(mockbi: MockbiHandle, vendor: str) -> Any:
    return mockbi.runtime.vendors[vendor].contract


def _gql(mockbi: MockbiHandle, path: str, query: str, auth: str | None = None) -> requests.Response:
    headers = {"Authorization": auth} if auth else {}
    return requests.post(mockbi.url + path, json={"query": query}, headers=headers, timeout=60)


def _hasura_auth(mockbi: MockbiHandle) -> str:
    return "pat " + mockbi.credentials["hasura_cloud"]["personal_access_token"]


# --- B5: GraphQL documents are parsed after auth, within a token cap, and only valid ones are cached ---------

def test_an_unauthenticated_hashboard_document_is_never_parsed(mockbi: MockbiHandle) -> None:
    cache = _contract(mockbi, "hashboard").cache
    before = len(cache)
    resp = _gql(mockbi, HASHBOARD, "{ " + "a " * 40_000 + "z }")  # under the body limit, far over the tokens
    assert resp.status_code == 401 and "errors" in resp.json()
    assert len(cache) == before


def test_a_huge_anonymous_hasura_document_stops_at_the_token_cap(mockbi: MockbiHandle) -> None:
    cache = _contract(mockbi, "hasura_cloud").cache
    _gql(mockbi, HASURA, "{ __typename }")  # builds (and caches) the anonymous caller's schema
    before = (len(cache), cache.size)
    started = time.monotonic()
    resp = _gql(mockbi, HASURA, "{ " + "a " * 520_000 + "z }")  # 1 MB: within Hasura's body limit
    elapsed = time.monotonic() - started
    body = resp.json()
    assert resp.status_code == 200 and body["errors"][0]["extensions"]["code"] == "validation-failed"
    assert (len(cache), cache.size) == before  # a rejected document is never cached
    assert elapsed < 5, f"the token cap should stop parsing early; took {elapsed:.1f}s"  # was 7-9 s of parse


def test_documents_rejected_by_validation_are_not_cached(mockbi: MockbiHandle) -> None:
    cache = _contract(mockbi, "hasura_cloud").cache
    auth = _hasura_auth(mockbi)
    before = len(cache)
    resp = _gql(mockbi, HASURA, "{ no_such_field_12 }", auth)
    assert resp.status_code == 200 and "errors" in resp.json()
    assert len(cache) == before
    assert "errors" not in _gql(mockbi, HASURA, "{ __typename }", auth).json()
    assert len(cache) == before + 1 or len(cache) == cache.max_entries


def test_the_document_cache_is_bounded_in_bytes(mockbi: MockbiHandle) -> None:
    cache = _contract(mockbi, "hasura_cloud").cache
    auth = _hasura_auth(mockbi)
    padding = "# " + "x" * 30_000 + "\n"  # comments cost no tokens but count as text
    for i in range(12):
        resp = _gql(mockbi, HASURA, f"{padding}query Q{i} {{ __typename }}", auth)
        assert "errors" not in resp.json()
        assert cache.size <= CACHE_BYTES
    assert cache.size > 0


# --- B6: introspection counts toward the limits ----------------------------------------------------------

def test_aliased_introspection_counts_toward_the_alias_limit(mockbi: MockbiHandle) -> None:
    flood = "{ " + " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(60)) + " }"
    for path, auth in ((HASURA, None), (HASHBOARD, mockbi.credentials["hashboard"]["api_token"])):
        body = _gql(mockbi, path, flood, auth).json()
        assert "data" not in body and "aliases" in str(body["errors"]), body


def test_an_introspection_flood_is_refused_quickly(mockbi: MockbiHandle) -> None:
    flood = "{ " + " ".join(f"s{i}: __schema {{ types {{ name fields {{ name }} }} }}" for i in range(7000)) + " }"
    started = time.monotonic()
    resp = _gql(mockbi, HASURA, flood)
    elapsed = time.monotonic() - started
    assert resp.status_code == 200 and "data" not in resp.json() and len(resp.content) < 10_000
    assert elapsed < 5, f"took {elapsed:.1f}s"  # was 14.8 s and a 19 MB answer


def test_the_standard_introspection_query_still_passes(mockbi: MockbiHandle) -> None:
    body = _gql(mockbi, HASURA, get_introspection_query(descriptions=True), _hasura_auth(mockbi)).json()
    assert "errors" not in body and body["data"]["__schema"]["types"]
