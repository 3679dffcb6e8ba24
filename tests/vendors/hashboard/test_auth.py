"""API tokens: base64 JSON bound to one project; HTTP 401 for a bad token, null for another project."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from mockbi import MockbiHandle
from mockbi.vendors.hashboard.store import HashboardStore

from .conftest import HashboardClient

QUERY = 'query($id: ID!) { project(projectId: $id) { id name } }'


def post(hb: MockbiHandle, headers: dict[str, str], project_id: str = "x") -> requests.Response:
    return requests.post(hb.url + "/api/graphql", json={"query": QUERY, "variables": {"id": project_id}},
                         headers=headers)


def envelope(message: str) -> dict[str, object]:
    return {"error": message, "errors": [{"message": message}]}


def test_token_is_base64_json_of_the_project_and_access_key(creds: dict[str, str], store: object) -> None:
    decoded = json.loads(base64.b64decode(creds["api_token"]))
    assert list(decoded) == ["project_id", "access_key_id", "access_key_token"]
    assert decoded["project_id"] == creds["project_id"]


def test_raw_token_without_scheme_is_accepted(client: HashboardClient, creds: dict[str, str]) -> None:
    assert client.data(QUERY, {"id": creds["project_id"]}) == {
        "project": {"id": creds["project_id"], "name": "Acme Analytics"}}


@pytest.mark.parametrize(("header", "message"), [
    (None, "Missing API token. Set the Authorization header to your Hashboard API token."),
    ("", "Missing API token. Set the Authorization header to your Hashboard API token."),
    ("not a token", "Malformed API token."),
    (base64.b64encode(b'{"project_id": 1}').decode(), "Malformed API token."),
])
def test_missing_or_malformed_token_is_401(hb: MockbiHandle, header: str | None, message: str) -> None:
    resp = post(hb, {} if header is None else {"Authorization": header})
    assert resp.status_code == 401
    assert resp.json() == envelope(message)


def test_bearer_prefix_is_rejected_with_a_hint(hb: MockbiHandle, creds: dict[str, str]) -> None:
    resp = post(hb, {"Authorization": f"Bearer {creds['api_token']}"}, creds["project_id"])
    assert resp.status_code == 401
    assert resp.json()["error"].startswith("Malformed API token. Send the API token itself")


def test_unknown_key_or_wrong_secret_is_401(hb: MockbiHandle, creds: dict[str, str]) -> None:
    fields = json.loads(base64.b64decode(creds["api_token"]))
    for tampered in ({**fields, "access_key_token": "x" * 32}, {**fields, "access_key_id": "nope"},
                     {**fields, "project_id": "00000000-0000-4000-8000-000000000000"}):
        token = base64.b64encode(json.dumps(tampered).encode()).decode()
        resp = post(hb, {"Authorization": token}, creds["project_id"])
        assert resp.status_code == 401
        assert resp.json() == envelope("Invalid API token.")


def test_tokens_expire_after_a_year(hb: MockbiHandle, creds: dict[str, str]) -> None:
    made = requests.post(hb.url + "/__mockbi/hashboard/access-keys",
                         json={"project_id": creds["project_id"], "age_days": 366}).json()
    resp = post(hb, {"Authorization": made["api_token"]}, creds["project_id"])
    assert resp.status_code == 401 and resp.json() == envelope("API token has expired.")
    fresh = requests.post(hb.url + "/__mockbi/hashboard/access-keys",
                          json={"project_id": creds["project_id"], "age_days": 364}).json()
    assert post(hb, {"Authorization": fresh["api_token"]}, creds["project_id"]).status_code == 200
    # the clock moves: two days later the fresh token has expired too
    requests.post(hb.url + "/__mockbi/clock", json={"advance": 2 * 86400})
    assert post(hb, {"Authorization": fresh["api_token"]}, creds["project_id"]).status_code == 401


def test_access_key_days_out_of_range_are_400_json_and_create_nothing(hb: MockbiHandle,
                                                                      creds: dict[str, str]) -> None:
    """``valid_days`` of 1e9 used to overflow ``timedelta`` into a text/plain 500."""
    store = hb.store(HashboardStore)
    assert isinstance(store, HashboardStore)
    before = len(store.access_keys)
    for extra in ({"valid_days": 1e9}, {"valid_days": 0}, {"valid_days": -5}, {"age_days": 1e12},
                  {"age_days": -1}, {"valid_days": "7"}):
        resp = requests.post(hb.url + "/__mockbi/hashboard/access-keys",
                             json={"project_id": creds["project_id"], **extra})
        assert resp.status_code == 400, (extra, resp.text)
        assert resp.headers["Content-Type"].startswith("application/json")
        assert "days" in resp.json()["error"], extra
    assert len(store.access_keys) == before
    made = requests.post(hb.url + "/__mockbi/hashboard/access-keys",
                         json={"project_id": creds["project_id"], "valid_days": 36_500})
    assert made.status_code == 201 and made.json()["expires_at"].startswith("21")

def test_another_projects_id_is_null_with_an_error(client: HashboardClient,
                                                   other_project: dict[str, str]) -> None:
    resp = client.post(QUERY, {"id": other_project["project_id"]})
    assert resp.status_code == 200
    assert "X-Mockbi-Violations" not in resp.headers
    pid = other_project["project_id"]
    assert resp.json() == {
        "data": {"project": None},
        "errors": [{"message": f"Project {pid} not found, or this API token does not have access to it.",
                    "locations": [{"line": 1, "column": 19}], "path": ["project"]}]}


def test_unknown_project_id_is_null_with_the_same_error(client: HashboardClient) -> None:
    body = client.post(QUERY, {"id": "ef97b962-5146-442c-9342-2270ed330b65"}).json()
    assert body["data"] == {"project": None}
    assert body["errors"][0]["message"].startswith("Project ef97b962-5146-442c-9342-2270ed330b65 not found")


def test_auth_failures_are_journaled(hb: MockbiHandle) -> None:
    post(hb, {})
    call = hb.runtime.journal.calls.filter(vendor="hashboard").last
    # the document of a refused request is never parsed (issue 12 B5), so the journal names no operation
    assert call.status == 401 and call.operation_id is None
    assert call.request_body["variables"] == {"id": "x"}
