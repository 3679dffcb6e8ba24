"""Near-miss answers (issue 11 §6): the vendor's own 404/405 stays, and the journal entry, the server log and
``X-Mockbi-Near-Miss`` name the closest declared operations."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.core.near_miss import path_distance
from mockbi.server import ServerThread

HEADER = "X-Mockbi-Near-Miss"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(MockbiConfig(vendors=("posthog", "lightdash", "hasura_cloud"))) as running:
        yield running


def _last_call(server: ServerThread) -> dict[str, object]:
    return requests.get(f"{server.url}/__mockbi/journal", timeout=10).json()["calls"][-1]  # type: ignore[no-any-return]


def test_a_typo_in_a_lightdash_path_keeps_lightdash_404_and_names_the_operation(
        server: ServerThread, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mockbi"):
        resp = requests.get(f"{server.url}/api/v1/dashbaords/0b7b6f4e", timeout=10)
    assert resp.status_code == 404
    assert resp.json()["status"] == "error" and resp.json()["error"]["statusCode"] == 404  # Lightdash's envelope
    assert resp.headers[HEADER].split(", ")[0] == "GET /api/v1/dashboards/{dashboardUuid}"
    assert _last_call(server)["near_misses"][0] == "GET /api/v1/dashboards/{dashboardUuid}"  # type: ignore[index]
    assert any("GET /api/v1/dashbaords/0b7b6f4e" in r.getMessage() and "GET /api/v1/dashboards/{dashboardUuid}"
               in r.getMessage() for r in caplog.records)


def test_a_wrong_method_keeps_the_vendor_405_and_names_the_path_operations(server: ServerThread) -> None:
    resp = requests.post(f"{server.url}/api/projects/1/dashboards/2/", timeout=10)
    assert resp.status_code in (401, 405)  # PostHog authenticates before it answers the method (DRF)
    names = resp.headers[HEADER].split(", ")
    assert "GET /api/projects/{project_id}/dashboards/{id}/" in names
    assert "PATCH /api/projects/{project_id}/dashboards/{id}/" in names
    assert _last_call(server)["near_misses"] == names


def test_a_typo_in_the_last_part_names_the_sibling_operation(server: ServerThread) -> None:
    resp = requests.get(f"{server.url}/api/projects/1/dashboards/2/stream_tile/", timeout=10)
    assert resp.status_code == 404
    assert resp.headers[HEADER].split(", ")[0] == "GET /api/projects/{project_id}/dashboards/{id}/stream_tiles/"


def test_a_graphql_endpoint_typo_names_the_endpoint(server: ServerThread) -> None:
    resp = requests.post(f"{server.url}/v1/graphq", json={"query": "{ projects { id } }"}, timeout=10)
    assert resp.status_code == 404 and resp.headers[HEADER] == "POST /v1/graphql"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_a_graphql_endpoint_asked_with_another_method_gets_the_vendor_405(server: ServerThread, method: str) -> None:
    """Every method but POST gets the vendor's own 405 (Hasura's error shape, ``Allow: POST``), journaled for the
    vendor with the endpoint named as the near miss; GET alone got it before, the others mockbi's generic 405."""
    resp = requests.request(method, f"{server.url}/v1/graphql", timeout=10)
    assert resp.status_code == 405 and resp.headers["Allow"] == "POST"
    assert resp.headers[HEADER] == "POST /v1/graphql"
    assert resp.json() == {"path": "$", "error": "only POST method is allowed on /v1/graphql",
                           "code": "method-not-allowed"}
    call = _last_call(server)
    assert (call["vendor"], call["near_misses"]) == ("hasura_cloud", ["POST /v1/graphql"])


def test_a_path_near_nothing_gets_no_header_and_an_empty_list(server: ServerThread) -> None:
    resp = requests.get(f"{server.url}/completely/unrelated/thing/here/now", timeout=10)
    assert resp.status_code == 404 and HEADER not in resp.headers
    assert _last_call(server)["near_misses"] == []


def test_distance_ranks_parameters_typos_and_missing_parts() -> None:
    assert path_distance("/api/v1/dashboards/{uuid}", "/api/v1/dashboards/abc") == 0
    typo = path_distance("/api/v1/dashboards/{uuid}", "/api/v1/dashbaords/abc")
    missing = path_distance("/api/v1/dashboards/{uuid}/promote", "/api/v1/dashboards/abc")
    other = path_distance("/api/v1/spaces/{uuid}", "/api/v1/dashbaords/abc")
    assert 0 < typo < other and missing == 1
