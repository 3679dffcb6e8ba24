"""User Groups: members and project access, with the service's 201/204 quirks."""

from __future__ import annotations

from tests.vendors.lightdash.conftest import LightdashClient


def _analysts(ld: LightdashClient) -> str:
    return next(g.uuid for g in ld.store.groups.values() if g.name == "Analysts")


def test_get_group_with_and_without_members(ld: LightdashClient) -> None:
    group = _analysts(ld)
    plain = ld.ok("GET", f"/api/v1/groups/{group}")
    assert "members" not in plain and plain["updatedByUserUuid"] == ld.store.admin_uuid
    paged = ld.ok("GET", f"/api/v1/groups/{group}?includeMembers=1&offset=1")
    assert len(paged["memberUuids"]) == 2 and len(paged["members"]) == 1
    assert paged["members"][0]["userUuid"] == paged["memberUuids"][1]
    ld.error("GET", "/api/v1/groups/nope", 404, "NotFoundError")


def test_group_members_add_and_remove_status_quirks(ld: LightdashClient) -> None:
    group = _analysts(ld)
    viewer = ld.user("viewer")
    resp = ld.put(f"/api/v1/groups/{group}/members/{viewer.userUuid}")
    assert resp.status_code == 201 and resp.json() == {"status": "ok"}
    resp = ld.put(f"/api/v1/groups/{group}/members/{viewer.userUuid}")
    assert resp.status_code == 204 and resp.content == b""
    assert viewer.userUuid in [m["userUuid"] for m in ld.ok("GET", f"/api/v1/groups/{group}/members")]
    resp = ld.delete(f"/api/v1/groups/{group}/members/{viewer.userUuid}")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    resp = ld.delete(f"/api/v1/groups/{group}/members/{viewer.userUuid}")
    assert resp.status_code == 204 and resp.content == b""


def test_update_and_delete_group(ld: LightdashClient) -> None:
    group = _analysts(ld)
    viewer = ld.user("viewer")
    updated = ld.ok("PATCH", f"/api/v1/groups/{group}",
                    json={"name": "Data", "members": [{"userUuid": viewer.userUuid}]})
    assert updated["name"] == "Data" and updated["memberUuids"] == [viewer.userUuid]
    assert ld.ok("DELETE", f"/api/v1/groups/{group}") is None
    assert group not in [g["uuid"] for g in ld.ok("GET", "/api/v1/org/groups")["data"]]
    assert group not in [a["groupUuid"] for a in ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/groupAccesses")]


def test_group_project_access(ld: LightdashClient) -> None:
    finance = next(g.uuid for g in ld.store.groups.values() if g.name == "Finance")
    path = f"/api/v1/groups/{finance}/projects/{ld.project_uuid}"
    access = ld.ok("POST", path, json={"role": "interactive_viewer"})
    assert access == {"projectUuid": ld.project_uuid, "groupUuid": finance, "role": "interactive_viewer"}
    ld.error("POST", path, 409, "AlreadyExistsError", json={"role": "viewer"})
    assert ld.ok("PATCH", path, json={"role": "editor"})["role"] == "editor"
    listed = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/groupAccesses")
    assert {"projectUuid": ld.project_uuid, "groupUuid": finance, "role": "editor"} in listed
    resp = ld.delete(path)
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    resp = ld.delete(path)
    assert resp.status_code == 204 and resp.content == b""


def test_group_management_needs_org_admin(ld: LightdashClient) -> None:
    token = ld.token_for("editor")
    ld.error("DELETE", f"/api/v1/groups/{_analysts(ld)}", 403, "ForbiddenError", token=token)
    assert ld.ok("GET", f"/api/v1/groups/{_analysts(ld)}/members", token=token)
