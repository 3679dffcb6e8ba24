"""Snapshots, state, stubs and arrange belong to one tenant (``/__mockbi/tenants/{name}/...``)."""

from __future__ import annotations

import orjson

from mockbi.handle import MockbiHandle

from .conftest import World


def test_each_tenant_has_its_own_snapshots_state_stubs_and_arranged_data(mockbi: MockbiHandle,
                                                                        world: World) -> None:
    tenant = "/tenants/state11-a"
    arranged = world.admin("POST", f"{tenant}/posthog/arrange", json={"dashboards": [{"name": "Tenant only"}]})
    assert arranged.status_code == 201
    assert world.admin("POST", f"{tenant}/snapshots", json={"name": "mine"}).status_code == 201
    listed = world.posthog_call("GET", "/dashboards/", headers={"X-Mockbi-Tenant": "state11-a"}).json()
    assert "Tenant only" in [d["name"] for d in listed["results"]]
    dashboards = world.posthog_call("GET", "/dashboards/").json()["results"]
    assert "Tenant only" not in [d["name"] for d in dashboards]
    assert world.admin("GET", "/snapshots").json() == {"snapshots": []}
    assert [s["name"] for s in world.admin("GET", f"{tenant}/snapshots").json()["snapshots"]] == ["mine"]
    tenant_state = orjson.loads(world.admin("GET", f"{tenant}/state").content)
    names = [d["name"] for d in tenant_state["vendors"]["posthog"]["state"]["dashboards"].values()]
    assert "Tenant only" in names
    assert world.admin("DELETE", "/tenants/state11-a").status_code in (200, 204)
