"""PostHog has no official dashboards SDK: this is what a generated client does, with plain ``httpx`` and
``base_url`` set to the mock. It discovers the project (``/api/users/@me/``, ``/api/personal_api_keys/@current``),
then calls the dashboard routes with the spellings such clients send (trailing slash or none,
``/api/environments/{id}/...``, ``@current``), validating replies the way a strict generated model does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.clients.conftest import Mock

INSIGHT_KINDS = {"InsightVizNode", "DataVisualizationNode"}


@pytest.fixture
def api(mock: Mock) -> Iterator[httpx.Client]:
    key = mock.credentials("posthog")["personal_api_key"]
    with httpx.Client(base_url=mock.url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
        yield client


def ok(resp: httpx.Response, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    return resp.json()


def check_dashboard(d: dict[str, Any]) -> None:
    """What a strict generated ``Dashboard`` model requires."""
    assert isinstance(d["id"], int) and isinstance(d["name"], str) and d["created_at"].endswith("Z")
    assert isinstance(d["tags"], list) and d["restriction_level"] in (21, 37)
    for tile in d.get("tiles", []):
        assert isinstance(tile["id"], int) and isinstance(tile["order"], int)
        insight = tile["insight"]
        if insight is not None:
            assert isinstance(insight["short_id"], str) and isinstance(insight["name"], str)
            assert insight["derived_name"] is None or isinstance(insight["derived_name"], str)
            assert insight["description"] is None or isinstance(insight["description"], str)
            assert insight["query"]["kind"] in INSIGHT_KINDS


def test_discovery_then_list_under_every_spelling(api: httpx.Client) -> None:
    me = ok(api.get("/api/users/@me/"))
    project = me["team"]["project_id"]
    assert isinstance(project, int) and me["email"]
    key = ok(api.get("/api/personal_api_keys/@current"))
    assert key["scopes"] == ["*"] and key["value"] is None  # a key never shows itself again
    first = ok(api.get(f"/api/projects/{project}/dashboards/", params={"limit": 5, "offset": 0}))
    assert set(first) == {"count", "next", "previous", "results"} and first["previous"] is None
    assert len(first["results"]) == 5 and first["count"] > 5
    for d in first["results"]:
        check_dashboard(d)
    nxt = httpx.URL(first["next"])
    assert nxt.path == f"/api/projects/{project}/dashboards/" and nxt.params["offset"] == "5"
    every = [ok(api.get(path, params={"limit": 100}))["results"] for path in (
        f"/api/projects/{project}/dashboards/", f"/api/projects/{project}/dashboards",
        f"/api/environments/{project}/dashboards/", "/api/projects/@current/dashboards/")]
    assert all([d["id"] for d in page] == [d["id"] for d in every[0]] for page in every)
    assert len(every[0]) == first["count"]


def test_strict_model_of_every_seeded_dashboard(api: httpx.Client) -> None:
    listed = ok(api.get("/api/environments/@current/dashboards/", params={"limit": 100}))["results"]
    with_tiles = 0
    for summary in listed:
        detail = ok(api.get(f"/api/environments/@current/dashboards/{summary['id']}"))
        check_dashboard(detail)
        assert detail["id"] == summary["id"] and detail["name"] == summary["name"]
        with_tiles += bool(detail["tiles"])
    assert with_tiles >= 1


def test_lifecycle_create_patch_share_soft_delete(api: httpx.Client) -> None:
    base = "/api/environments/@current/dashboards"
    created = ok(api.post(f"{base}/", json={"name": "From a generated client", "tags": ["client"]}), 201)
    check_dashboard(created)
    assert created["tiles"] == [] and created["creation_mode"] == "default"
    did = created["id"]
    patched = ok(api.patch(f"{base}/{did}/", json={"description": "changed", "pinned": True}))
    assert (patched["description"], patched["pinned"], patched["name"]) == ("changed", True, created["name"])
    assert ok(api.get(f"{base}/{did}/collaborators/")) == []
    sharing = ok(api.get(f"{base}/{did}/sharing/"))
    assert sharing["enabled"] is False and isinstance(sharing["share_passwords"], list)
    assert ok(api.patch(f"{base}/{did}/sharing/", json={"enabled": True}))["enabled"] is True

    refused = api.delete(f"{base}/{did}/")  # some clients still try DELETE: 405, empty body, no Content-Type
    assert refused.status_code == 405 and refused.content == b"" and "Content-Type" not in refused.headers
    assert ok(api.patch(f"{base}/{did}/", json={"deleted": True}))["deleted"] is True
    gone = api.get(f"{base}/{did}/")
    assert gone.status_code == 404 and gone.json()["type"] == "invalid_request"
    listed = ok(api.get(f"{base}/", params={"limit": 100}))["results"]
    assert did not in {d["id"] for d in listed}


def test_errors_are_drf_shaped(mock: Mock) -> None:
    with httpx.Client(base_url=mock.url, headers={"Authorization": "Bearer phx_not_a_key"}) as bad:
        resp = bad.get("/api/projects/@current/dashboards/")
    assert resp.status_code == 401
    assert set(resp.json()) == {"type", "code", "detail", "attr"} and resp.json()["type"] == "authentication_error"
