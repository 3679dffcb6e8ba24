"""The core's never-failing encoder and the byte-bounded GraphQL document cache, unit by unit."""

from __future__ import annotations

import json
from dataclasses import dataclass

from mockbi.core.encoding import DEEP_NOTE, MAX_DEPTH, dumps
from mockbi.core.graphql_cache import DocumentCache


def test_dumps_never_fails() -> None:
    deep: object = 1
    for _ in range(300):
        deep = [deep]
    value = {"name": "\ud800", 1: float("nan"), "big": 10**30, "deep": deep, "ok": "\U0001f600"}
    decoded = json.loads(dumps(value))
    assert decoded["name"] == "\ufffd" and decoded["1"] is None and decoded["big"] == 10**30
    assert decoded["ok"] == "\U0001f600"
    inner = decoded["deep"]
    for _ in range(MAX_DEPTH - 2):
        inner = inner[0]
    assert DEEP_NOTE in json.dumps(inner)


def test_dumps_keeps_what_orjson_encodes_natively() -> None:
    @dataclass
    class Point:
        x: int

    assert json.loads(dumps({"p": Point(1), "bad": "\udfff"})) == {"p": {"x": 1}, "bad": "\ufffd"}
    assert dumps({"plain": [1, "a"]}) == b'{"plain":[1,"a"]}'


def test_document_cache_bounds_entries_and_bytes() -> None:
    cache = DocumentCache(max_entries=3, max_bytes=800)
    cache.put("a", 1, size=100)
    cache.put("too big", 2, size=101)  # over an eighth of the budget: not kept
    assert cache.get("too big") == (False, None) and cache.size == 100
    for key in "bcdef":
        cache.put(key, key, size=100)
    assert len(cache) == 3 and cache.size == 300 and cache.get("a") == (False, None)
    assert cache.cached("g", lambda: "rejected", keep=lambda v: False) == "rejected" and cache.get("g")[0] is False
