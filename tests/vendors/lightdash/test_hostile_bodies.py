"""Hostile and careless input to Lightdash over HTTP (issue 12: A3, A4, D18): whatever is refused changes
nothing, whatever is stored can be served, and every number the mock echoes fits its encoder."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockbi.vendors.lightdash.bodies import MAX_DEPTH
from tests.vendors.lightdash.conftest import Api


def _dashboards(api: Api) -> list[dict[str, Any]]:
    return api.ok("GET", f"/api/v1/projects/{api.project}/dashboards")  # type: ignore[no-any-return]


def _spaces(api: Api) -> list[dict[str, Any]]:
    return api.ok("GET", f"/api/v1/projects/{api.project}/spaces")  # type: ignore[no-any-return]


def _error(resp: requests.Response, status: int, name: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["status"] == "error" and body["error"]["name"] == name and body["error"]["statusCode"] == status
    return body["error"]  # type: ignore[no-any-return]


def _nested(depth: int) -> bytes:
    """A JSON array nested ``depth`` levels deep around one string."""
    return b"[" * depth + b'"x"' + b"]" * depth


def _dashboard_with_values(values: bytes) -> bytes:
    rule = (b'{"id":"f1","target":{"fieldId":"orders_status","tableName":"orders"},"operator":"equals",'
            b'"values":' + values + b"}")
    return (b'{"name":"Deep","tabs":[],"tiles":[],"filters":{"dimensions":[' + rule
            + b'],"metrics":[],"tableCalculations":[]}}')


def test_deeply_nested_filter_values_are_refused_before_anything_is_stored(api: Api) -> None:
    before = _dashboards(api)
    for depth in (300, 5000):  # 5000 is also past orjson's own parser limit
        resp = api.call("POST", f"/api/v1/projects/{api.project}/dashboards",
                        raw=_dashboard_with_values(b"[" + _nested(depth) + b"]"))
        error = _error(resp, 413, "PayloadTooLargeError")
        assert f"deeper than {MAX_DEPTH} levels" in error["message"]
    assert _dashboards(api) == before
    # the same write within the limit is stored, and served on every later read
    ok = api.call("POST", f"/api/v1/projects/{api.project}/dashboards",
                  raw=_dashboard_with_values(b"[" + _nested(MAX_DEPTH - 8) + b"]"))
    assert ok.status_code == 201, ok.text
    uuid = ok.json()["results"]["uuid"]
    for _ in range(2):
        got = api.call("GET", f"/api/v1/dashboards/{uuid}")
        assert got.status_code == 200, got.text
        assert got.json()["results"]["filters"]["dimensions"][0]["values"] == ok.json()["results"]["filters"][
            "dimensions"][0]["values"]
    assert len(_dashboards(api)) == len(before) + 1


@pytest.mark.parametrize("body", [b"null", b"5", b'"text"', b"true", b" \n false"])
def test_non_object_top_level_bodies_are_express_json_strict_errors(api: Api, body: bytes) -> None:
    before = _spaces(api)
    error = _error(api.call("POST", f"/api/v1/projects/{api.project}/spaces", raw=body), 500,
                   "UnexpectedServerError")
    assert error["message"].startswith("Something went wrong.") and "object or an array" in error["message"]
    assert _spaces(api) == before


def test_array_body_is_tsoas_invalid_object(api: Api) -> None:
    error = _error(api.call("POST", f"/api/v1/projects/{api.project}/spaces", raw=b"[]"), 422, "ValidateError")
    assert error["data"]["body"]["message"] == "invalid object"


@pytest.mark.parametrize("body", [b'{"name":"a\\u0000b"}', b'{"name":"ok","x\\u0000":1}'])
def test_nul_characters_are_refused_like_postgres_does(api: Api, body: bytes) -> None:
    before = _spaces(api)
    error = _error(api.call("POST", f"/api/v1/projects/{api.project}/spaces", raw=body), 500,
                   "UnexpectedServerError")
    assert "U+0000" in error["message"]
    assert _spaces(api) == before
    # an escaped backslash followed by "u0000" is no NUL: stored as sent
    created = api.call("POST", f"/api/v1/projects/{api.project}/spaces", raw=b'{"name":"a\\\\u0000b"}')
    assert created.status_code == 200, created.text
    assert created.json()["results"]["name"] == "a\\u0000b"


def test_nul_or_deep_body_from_an_anonymous_caller_is_still_a_401(api: Api) -> None:
    """express.json parses both before any auth middleware runs; the refusals that follow are the
    service's (Postgres) and mockbi's (nesting), both after authentication."""
    for body in (b'{"name":"\\u0000"}', b'{"name":' + _nested(300) + b"}"):
        resp = requests.post(f"{api.url}/api/v1/projects/{api.project}/spaces", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
        assert resp.status_code == 401 and resp.text == "Unauthorized"


@pytest.mark.parametrize("query", ["page=100000000000000000000&pageSize=1", "page=2&pageSize=9223372036854775808",
                                   "page=4611686018427387905&pageSize=2"])
def test_pages_beyond_postgres_bigint_are_the_services_500(api: Api, query: str) -> None:
    for path in ("/api/v1/org/users", "/api/v1/org/groups", f"/api/v1/projects/{api.project}/dataCatalog/metrics"):
        error = _error(api.call("GET", f"{path}?{query}"), 500, "UnexpectedServerError")
        assert error["message"] == "Something went wrong."


def test_large_pages_within_bigint_are_echoed_as_sent(api: Api) -> None:
    resp = api.call("GET", "/api/v1/org/users?page=1000000000000000000&pageSize=2")
    assert resp.status_code == 200, resp.text
    results = resp.json()["results"]
    assert results["data"] == [] and results["pagination"]["page"] == 1000000000000000000
    assert results["pagination"]["pageSize"] == 2
    # a huge page without pageSize is no pagination at all (`if (pageSize && page)`): nothing echoed
    unpaged = api.call("GET", "/api/v1/org/users?page=100000000000000000000").json()["results"]
    assert "pagination" not in unpaged and unpaged["data"]
    fractional = api.call("GET", "/api/v1/org/users?page=1.5&pageSize=2").json()["results"]
    assert fractional["pagination"]["page"] == 1.5 and len(fractional["data"]) == 2


@pytest.mark.parametrize("query", ["includeMembers=100000000000000000000", "offset=100000000000000000000",
                                   "includeMembers=-1", "includeMembers=2&offset=-1"])
def test_group_member_limits_beyond_bigint_are_the_services_500(api: Api, query: str) -> None:
    group = api.call("GET", "/api/v1/org/groups").json()["results"]["data"][0]
    _error(api.call("GET", f"/api/v1/groups/{group['uuid']}?{query}"), 500, "UnexpectedServerError")
    fine = api.call("GET", f"/api/v1/groups/{group['uuid']}?includeMembers=9000000000000000000&offset=0")
    assert fine.status_code == 200 and fine.json()["results"]["members"]
    none = api.ok("GET", f"/api/v1/groups/{group['uuid']}?includeMembers=0")  # LIMIT 0
    assert none["members"] == [] and none["memberUuids"]


@pytest.mark.parametrize(("body", "stored"), [
    (b'{"name":"caf\xe9 \xff"}', "caf\ufffd \ufffd"),  # Latin-1 bytes: not UTF-8
    (b'{"name":"a\\ud800b"}', "a\ufffdb"),  # a lone high surrogate escape
    (b'{"name":"\\udc00 \\ud83d\\ude00"}', "\ufffd \U0001f600"),  # a lone low one; a real pair stays
])
def test_undecodable_text_is_stored_as_replacement_characters(api: Api, body: bytes, stored: str) -> None:
    """body-parser decodes UTF-8 with replacement characters, V8 accepts lone surrogates and Postgres
    stores them as U+FFFD: the space is created, and reads back the same everywhere."""
    resp = api.call("POST", f"/api/v1/projects/{api.project}/spaces", raw=body)
    assert resp.status_code == 200, resp.text
    space = resp.json()["results"]
    assert space["name"] == stored
    assert api.ok("GET", f"/api/v1/projects/{api.project}/spaces/{space['uuid']}")["name"] == stored
    assert stored in [s["name"] for s in _spaces(api)]
    journal = requests.get(f"{api.url}/__mockbi/journal", timeout=30)
    assert journal.status_code == 200


def test_undecodable_deep_or_broken_bodies_still_answer_cleanly(api: Api) -> None:
    before = _spaces(api)
    deep = b"[" * 3000 + b'"\xff"' + b"]" * 3000
    _error(api.call("POST", f"/api/v1/projects/{api.project}/spaces", raw=deep), 413, "PayloadTooLargeError")
    for broken in (b'{"name":"\xff"', b'{"name":NaN,"x":"\\ud800"}'):
        _error(api.call("POST", f"/api/v1/projects/{api.project}/spaces", raw=broken), 500,
               "UnexpectedServerError")
    assert _spaces(api) == before


def test_nul_in_a_query_or_path_value_is_postgres_refusing_it(api: Api) -> None:
    error = _error(api.call("GET", "/api/v1/org/users?searchQuery=a%00b"), 500, "UnexpectedServerError")
    assert "U+0000" in error["message"]
    _error(api.call("GET", "/api/v1/dashboards/x%00y"), 500, "UnexpectedServerError")
    # tsoa validates the query first: its 422 comes before the service reaches Postgres
    _error(api.call("GET", "/api/v1/org/users?page=abc&searchQuery=%00"), 422, "ValidateError")
    assert api.ok("GET", "/api/v1/org/users?searchQuery=a")["data"] is not None
