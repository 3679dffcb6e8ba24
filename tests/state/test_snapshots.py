"""Named snapshots from the handle and the admin API: restore puts every vendor, the clock and the id
generators back, so the world goes on exactly as it did after the snapshot was taken."""

from __future__ import annotations

import pytest

from mockbi.core.errors import ConfigError
from mockbi.handle import MockbiHandle

from .conftest import World


def test_handle_snapshot_and_restore(mockbi: MockbiHandle, world: World) -> None:
    world.round("before")
    mockbi.snapshot("arranged")
    first = world.round("after")
    world.round("more")
    mockbi.restore("arranged")
    assert world.round("after") == first


def test_snapshots_survive_reset(mockbi: MockbiHandle, world: World) -> None:
    created = world.posthog_call("POST", "/dashboards/", json={"name": "Kept across reset"}).json()
    mockbi.snapshot("baseline")
    mockbi.reset()
    assert world.posthog_call("GET", f"/dashboards/{created['id']}/").status_code == 404
    names = [d["name"] for d in world.posthog_call("GET", "/dashboards/").json()["results"]]
    assert "Kept across reset" not in names  # the list is computed (and may be remembered) in this world
    mockbi.restore("baseline")
    assert world.posthog_call("GET", f"/dashboards/{created['id']}/").json()["name"] == "Kept across reset"
    names = [d["name"] for d in world.posthog_call("GET", "/dashboards/").json()["results"]]
    assert "Kept across reset" in names


def test_admin_api_snapshots(world: World) -> None:
    assert world.admin("POST", "/snapshots", json={"name": "seeded"}).status_code == 201
    world.round("one")
    taken = world.admin("POST", "/snapshots", json={"name": "after-one"})
    assert taken.status_code == 201
    assert taken.json()["name"] == "after-one" and taken.json()["vendors"] == [
        "posthog", "lightdash", "hashboard", "hasura_cloud"]
    listed = world.admin("GET", "/snapshots").json()["snapshots"]
    assert [s["name"] for s in listed] == ["seeded", "after-one"]
    assert listed[1]["taken_at"] > listed[0]["taken_at"]  # the round advanced the clock

    at_one = world.state()
    world.round("two")
    assert world.admin("POST", "/snapshots/after-one/restore").status_code == 200
    assert world.state() == at_one
    assert world.admin("POST", "/snapshots/seeded/restore").status_code == 200
    names = [d["name"] for d in world.posthog_call("GET", "/dashboards/").json()["results"]]
    assert "Dashboard one" not in names

    assert world.admin("DELETE", "/snapshots/seeded").status_code == 204
    assert [s["name"] for s in world.admin("GET", "/snapshots").json()["snapshots"]] == ["after-one"]
    assert world.admin("DELETE", "/snapshots").status_code == 204
    assert world.admin("GET", "/snapshots").json() == {"snapshots": []}


@pytest.mark.parametrize(("method", "path"), [("POST", "/snapshots/nope/restore"), ("DELETE", "/snapshots/nope")])
def test_unknown_snapshot_is_a_404(world: World, method: str, path: str) -> None:
    resp = world.admin(method, path)
    assert resp.status_code == 404 and "no snapshot named 'nope'" in resp.json()["error"]


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "has space"}, {"name": 3}, {"name": "x", "y": 1}])
def test_bad_snapshot_request_is_a_400(world: World, body: dict[str, object]) -> None:
    resp = world.admin("POST", "/snapshots", json=body)
    assert resp.status_code == 400 and resp.json()["error"]
    assert world.admin("GET", "/snapshots").json() == {"snapshots": []}


def test_handle_restore_of_unknown_snapshot_raises(mockbi: MockbiHandle) -> None:
    with pytest.raises(ConfigError, match="no snapshot named 'missing'"):
        mockbi.restore("missing")
