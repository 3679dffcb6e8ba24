"""Spaces, share links, SSH key pairs and notifications."""

from __future__ import annotations

from tests.vendors.lightdash.conftest import LightdashClient


def _space(ld: LightdashClient, name: str) -> str:
    return next(s.uuid for s in ld.store.spaces.values() if s.name == name and s.projectUuid == ld.project_uuid)


def test_get_space_with_content_and_access(ld: LightdashClient) -> None:
    space = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/spaces/{_space(ld, 'Shared')}")
    assert len(space["queries"]) == 3 and len(space["dashboards"]) == 1
    assert space["dashboards"][0]["pinnedListOrder"] == 0
    admin = next(a for a in space["access"] if a["userUuid"] == ld.store.admin_uuid)
    assert admin["role"] == "admin" and admin["inheritedFrom"] == "organization"
    private = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/spaces/{_space(ld, 'Finance (private)')}")
    assert private["isPrivate"] is True and private["groupsAccess"][0]["groupName"] == "Finance"


def test_private_space_is_forbidden_without_access(ld: LightdashClient) -> None:
    token = ld.token_for("editor")
    ld.error("GET", f"/api/v1/projects/{ld.project_uuid}/spaces/{_space(ld, 'Finance (private)')}", 403,
             "ForbiddenError", token=token)


def test_create_update_delete_space(ld: LightdashClient) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}/spaces"
    viewer = ld.user("viewer")
    created = ld.ok("POST", base, json={"name": "Team space", "isPrivate": True,
                                        "access": [{"userUuid": viewer.userUuid, "role": "viewer"}]})
    assert created["slug"] == "team-space" and created["queries"] == []
    assert {a["userUuid"] for a in created["access"] if a["hasDirectAccess"]} == {viewer.userUuid,
                                                                                  ld.store.admin_uuid}
    assert created["uuid"] in [s["uuid"] for s in ld.ok("GET", base)]
    updated = ld.ok("PATCH", f"{base}/{created['uuid']}", json={"name": "Renamed", "isPrivate": False})
    assert updated["name"] == "Renamed" and updated["isPrivate"] is False
    resp = ld.delete(f"{base}/{created['uuid']}")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    ld.error("GET", f"{base}/{created['uuid']}", 404, "NotFoundError")


def test_deleting_a_space_removes_its_content_everywhere(ld: LightdashClient) -> None:
    shared = _space(ld, "Shared")
    ld.ok("DELETE", f"/api/v1/projects/{ld.project_uuid}/spaces/{shared}")
    charts = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/charts")
    assert all(c["spaceUuid"] != shared for c in charts) and len(charts) == 3
    assert all(item.uuid != shared for pl in ld.store.pinned_lists.values() for item in pl.items)


def test_space_user_and_group_access(ld: LightdashClient) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}/spaces/{_space(ld, 'Finance (private)')}"
    editor = ld.user("editor")
    token = ld.token_for("editor")
    assert ld.ok("POST", f"{base}/share", json={"userUuid": editor.userUuid, "spaceRole": "editor"}) is None
    space = ld.ok("GET", base, token=token)
    assert next(a for a in space["access"] if a["userUuid"] == editor.userUuid)["role"] == "editor"
    assert ld.ok("DELETE", f"{base}/share/{editor.userUuid}") is None
    ld.error("GET", base, 403, "ForbiddenError", token=token)
    analysts = next(g.uuid for g in ld.store.groups.values() if g.name == "Analysts")
    assert ld.ok("POST", f"{base}/group/share", json={"groupUuid": analysts, "spaceRole": "viewer"}) is None
    assert ld.ok("GET", base, token=token)["uuid"]
    assert ld.ok("DELETE", f"{base}/group/share/{analysts}") is None
    ld.error("GET", base, 403, "ForbiddenError", token=token)


def test_share_urls(ld: LightdashClient) -> None:
    created = ld.ok("POST", "/api/v1/share", 201, json={"path": f"/projects/{ld.project_uuid}/tables",
                                                        "params": "?q=1"})
    assert len(created["nanoid"]) == 21 and created["shareUrl"].endswith(f"/share/{created['nanoid']}")
    fetched = ld.ok("GET", f"/api/v1/share/{created['nanoid']}")
    assert fetched["path"] == f"/projects/{ld.project_uuid}/tables" and fetched["params"] == "?q=1"
    ld.error("GET", "/api/v1/share/unknown", 404, "NotFoundError")


def test_ssh_key_pair_needs_a_session(ld: LightdashClient) -> None:
    ld.error("POST", "/api/v1/ssh/key-pairs", 401, "AuthorizationError")
    resp = ld.login().post(ld.url + "/api/v1/ssh/key-pairs")
    assert resp.status_code == 201
    assert resp.json()["results"]["publicKey"].startswith("ssh-rsa ")


def test_notifications(ld: LightdashClient) -> None:
    admin_notes = ld.ok("GET", "/api/v1/notifications?type=dashboardComments")
    assert len(admin_notes) == 1 and admin_notes[0]["viewed"] is False
    assert admin_notes[0]["metadata"]["dashboardName"] == "Company overview"
    note = admin_notes[0]["notificationId"]
    assert ld.ok("PATCH", f"/api/v1/notifications/{note}", json={"viewed": True}) is None
    assert ld.ok("GET", "/api/v1/notifications?type=dashboardComments")[0]["viewed"] is True
    ld.error("GET", "/api/v1/notifications?type=other", 422, "ValidateError")
    ld.error("PATCH", f"/api/v1/notifications/{note}", 404, "NotFoundError", token=ld.token_for("viewer"),
             json={"viewed": False})
