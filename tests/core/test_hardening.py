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


# --- C9 (core): JSON nested deeper than the core's limit is a request violation in the vendor's shape --------

def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth - 1):
        value = [value]
    return value


def _posthog(mockbi: MockbiHandle) -> tuple[str, dict[str, str]]:
    creds = mockbi.credentials["posthog"]
    return (f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/",
            {"Authorization": f"Bearer {creds['personal_api_key']}"})


def _lightdash(mockbi: MockbiHandle) -> tuple[str, dict[str, str]]:
    creds = mockbi.credentials["lightdash"]
    return (f"{mockbi.url}/api/v1/projects/{creds['project_uuid']}/dashboards",
            {"Authorization": creds["auth_header"]})


def test_deeply_nested_json_is_refused_in_the_vendors_shape(mockbi: MockbiHandle) -> None:
    posthog_url, posthog_auth = _posthog(mockbi)
    lightdash_url, lightdash_auth = _lightdash(mockbi)
    dashboards_before = len(requests.get(posthog_url, headers=posthog_auth, timeout=30).json()["results"])
    for depth in (101, 300, 999, 3000):
        deep = "[" * depth + "]" * depth  # written by hand: json.dumps itself recurses
        resp = requests.post(posthog_url, data=f'{{"name": "x", "filters": {{"a": {deep}}}}}', timeout=30,
                             headers={**posthog_auth, "Content-Type": "application/json"})
        assert resp.status_code == 400 and resp.headers["Content-Type"].startswith("application/json"), depth
        if depth > 1000:  # beyond orjson's own limit Lightdash's body parser answers (vendor package's choice)
            continue
        resp = requests.post(lightdash_url, timeout=30, headers={**lightdash_auth, "Content-Type": "application/json"},
                             data=f'{{"name": "x", "tiles": [], "filters": {{"dimensions": [{{"values": {deep}}}]}}}}')
        assert 400 <= resp.status_code < 500 and resp.json()["status"] == "error", (depth, resp.text[:200])
    assert len(requests.get(posthog_url, headers=posthog_auth, timeout=30).json()["results"]) == dashboards_before
    deep_calls = [c for c in mockbi.journal if c.request_violations]
    assert deep_calls and all(c.request_violations[0].keyword == "maxDepth" for c in deep_calls)


def test_json_within_the_depth_limit_is_still_accepted(mockbi: MockbiHandle) -> None:
    posthog_url, posthog_auth = _posthog(mockbi)
    resp = requests.post(posthog_url, json={"name": "nested", "filters": {"a": _nested(90)}}, headers=posthog_auth,
                         timeout=30)
    assert resp.status_code == 201, resp.text[:300]


# --- the core's encoders never fail; the journal renders whatever it holds (B8) -------------------------------

def test_an_echoed_lone_surrogate_never_escapes_as_a_plain_text_500(mockbi: MockbiHandle) -> None:
    posthog_url, posthog_auth = _posthog(mockbi)
    resp = requests.post(posthog_url, json={"use_template": "\ud800"}, headers=posthog_auth, timeout=30)
    assert resp.headers["Content-Type"].startswith("application/json"), resp.text[:200]
    journal = requests.get(mockbi.url + "/__mockbi/journal", timeout=30)
    assert journal.status_code == 200 and journal.json()["count"] >= 1


def test_the_journal_renders_deep_and_unencodable_bodies(mockbi: MockbiHandle) -> None:
    posthog_url, posthog_auth = _posthog(mockbi)
    requests.post(posthog_url, data='{"filters": ' + "[" * 300 + "]" * 300 + "}", timeout=30,
                  headers={**posthog_auth, "Content-Type": "application/json"})
    requests.post(posthog_url, json={"name": "\udfff", "description": "\ud800x"}, headers=posthog_auth, timeout=30)
    resp = requests.get(mockbi.url + "/__mockbi/journal", timeout=30)
    assert resp.status_code == 200, resp.text[:300]
    assert resp.json()["count"] >= 2


# --- B7: the journal is bounded in bytes, bodies beyond the per-entry cap are cut and say so -----------------

def test_the_journal_is_bounded_in_bytes() -> None:
    from mockbi import MockbiConfig
    from mockbi.server import ServerThread

    config = MockbiConfig(vendors=("hasura_cloud",), journal_bytes=1_000_000, journal_body_bytes=50_000)
    with ServerThread(config) as server:
        query = "# " + "x" * 200_000 + "\n{ __typename }"  # a comment: valid, and cheap to parse
        for _ in range(30):
            resp = requests.post(server.url + HASURA, json={"query": query}, timeout=30)
            assert resp.status_code == 200 and "errors" not in resp.json()
        journal = server.runtime.journal
        assert journal.bytes <= 1_000_000 and 1 < len(journal) < 30
        last = journal.calls.last
        assert last.truncated["request_body"] > 200_000 and len(last.request_body) <= 50_000
        shown = requests.get(server.url + "/__mockbi/journal", timeout=30)
        assert shown.status_code == 200 and len(shown.content) < 2_000_000
        assert shown.json()["calls"][-1]["truncated"]["request_body"] > 200_000


# --- C11: a reset while a body is uploading: the caller is resolved in the world that runs the handler --------

def _start_upload(url: str, path: str, headers: dict[str, str], body: bytes, sent: int) -> Any:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    head = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}",
            "Content-Type: application/json", "Connection: close", *(f"{k}: {v}" for k, v in headers.items())]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body[:sent])
    return sock


def _finish_upload(sock: Any, rest: bytes) -> tuple[int, bytes]:
    sock.sendall(rest)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


def test_a_reset_to_another_seed_during_an_upload_resolves_the_caller_again(mockbi: MockbiHandle) -> None:
    creds = mockbi.credentials["posthog"]
    path = f"/api/projects/{creds['project_id']}/dashboards/"
    body = b'{"name": "uploaded during a reset", "description": "' + b"x" * 50_000 + b'"}'
    before = mockbi.journal.call_count
    sock = _start_upload(mockbi.url, path, {"Authorization": f"Bearer {creds['personal_api_key']}"}, body, 1000)
    deadline = time.monotonic() + 10
    while mockbi.journal.call_count == before and time.monotonic() < deadline:
        time.sleep(0.01)  # the server has the request (and has authenticated it) once it is journaled
    time.sleep(0.2)
    requests.post(mockbi.url + "/__mockbi/reset", json={"seed": 5, "clear_journal": False}, timeout=30)
    status, answer = _finish_upload(sock, body[1000:])
    assert status in (401, 403, 404), (status, answer[:300])  # seed 0's key means nothing in seed 5's world
    new_creds = mockbi.credentials["posthog"]
    url = f"{mockbi.url}/api/projects/{new_creds['project_id']}/dashboards/"
    names = [d["name"] for d in requests.get(url, headers={"Authorization": f"Bearer {new_creds['personal_api_key']}"},
                                             timeout=30).json()["results"]]
    assert "uploaded during a reset" not in names


# --- the handle is safe to use from the test thread while the server serves ------------------------------------

def test_the_handle_and_the_server_do_not_race(mockbi: MockbiHandle) -> None:
    import threading

    creds = mockbi.credentials["posthog"]
    url = f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/"
    auth = {"Authorization": f"Bearer {creds['personal_api_key']}"}
    statuses: list[int] = []
    failures: list[BaseException] = []
    stop = threading.Event()

    def traffic() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                try:
                    statuses.append(session.get(url, headers=auth, timeout=30).status_code)
                    statuses.append(session.post(url, json={"name": "racer"}, headers=auth, timeout=30).status_code)
                except BaseException as exc:  # noqa: BLE001 - reported below
                    failures.append(exc)
                    return

    import sys

    workers = [threading.Thread(target=traffic) for _ in range(3)]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, so unlocked shared state would show here
    for worker in workers:
        worker.start()
    try:
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            mockbi.fault("posthog", "dashboards_list", status=429, times=1)
            for _ in range(20):
                assert all(c.seq > 0 for c in mockbi.journal)
            mockbi.reset()
            with mockbi.locked():
                assert mockbi.store("posthog") is not None
            assert mockbi.credentials["posthog"]["project_id"] == creds["project_id"]
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
        sys.setswitchinterval(switch)
    assert not failures, failures
    assert statuses and all(s < 500 for s in statuses), sorted(set(statuses))
    assert not [c for c in mockbi.journal if c.status >= 500]


# --- C13: requests aiohttp cannot parse get the vendor's shape and one warning line ----------------------------

def _raw_exchange(url: str, data: bytes) -> tuple[int, dict[str, str], bytes]:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ")[1]), headers, body


def test_unparseable_requests_are_answered_in_the_vendors_shape(mockbi: MockbiHandle, caplog: Any) -> None:
    import json
    import logging

    long_path = b"/api/v1/org/" + b"a" * 9000
    cases = [
        (b"GET " + long_path + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "lightdash"),
        (b"GET /api/v1/org HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431, "lightdash"),
        (b"GET /api/v1/org/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400, "lightdash"),
        (b"POST /v1/graphql\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "hasura_cloud"),
        (b"GET /api/projects/1/dashboards/\xff HTTP/1.1\r\nHost: x\r\n\r\n", 400, "posthog"),
        (b"GET /nowhere/\xff HTTP/1.1\r\nHost: x\r\n\r\n", 400, None),
    ]
    with caplog.at_level(logging.WARNING):
        for request, status, vendor in cases:
            got, headers, body = _raw_exchange(mockbi.url, request)
            assert got == status and headers["Content-Type"].startswith("application/json"), (got, body[:200])
            document = json.loads(body)
            if vendor == "lightdash":
                assert document["status"] == "error" and document["error"]["statusCode"] == status
                assert headers["Lightdash-Version"]
            elif vendor == "posthog":  # DRF's error shape
                assert document["type"] == "validation_error" and "detail" in document
            elif vendor is None:
                assert document["error"] == "bad_request"
        assert requests.get(mockbi.url + "/__mockbi/health", timeout=30).status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    warnings = [r for r in caplog.records if "unparseable request" in r.getMessage()]
    assert len(warnings) == len(cases) and all(r.exc_info is None for r in warnings)


def test_a_client_leaving_mid_upload_is_no_mock_defect(mockbi: MockbiHandle, caplog: Any) -> None:
    import logging
    import socket

    creds = mockbi.credentials["posthog"]
    path = f"/api/projects/{creds['project_id']}/dashboards/"
    body = b'{"name": "' + b"x" * 50_000 + b'"}'
    with caplog.at_level(logging.WARNING):
        sock = _start_upload(mockbi.url, path, {"Authorization": f"Bearer {creds['personal_api_key']}"}, body, 1000)
        deadline = time.monotonic() + 10
        while not mockbi.journal.called and time.monotonic() < deadline:
            time.sleep(0.01)
        sock.shutdown(socket.SHUT_WR)  # the client gives up before the body is complete
        sock.close()
        time.sleep(0.3)  # the server notices the lost connection while it waits for the body
        assert requests.get(mockbi.url + "/__mockbi/health", timeout=30).status_code == 200
    assert mockbi.journal.last.status == 0 and not mockbi.journal.last.violations
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
