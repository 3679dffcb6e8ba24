"""Organizations, members (Knex pagination), email domains, groups and user attributes."""

from __future__ import annotations

from tests.vendors.lightdash.conftest import LightdashClient


def test_get_update_organization(ld: LightdashClient) -> None:
    org = ld.ok("GET", "/api/v1/org")
    assert org["defaultProjectUuid"] == ld.project_uuid and org["needsProject"] is False
    session = ld.login()
    resp = session.patch(ld.url + "/api/v1/org", json={"name": "Renamed", "chartColors": ["#000000"]})
    assert resp.json() == {"status": "ok"}
    org = ld.ok("GET", "/api/v1/org")
    assert org["name"] == "Renamed" and org["chartColors"] == ["#000000"]


def test_update_organization_with_token_is_refused(ld: LightdashClient) -> None:
    ld.error("PATCH", "/api/v1/org", 401, "AuthorizationError", json={"name": "x"})


def test_delete_organization(ld: LightdashClient) -> None:
    session = ld.login()
    other = next(o for o in ld.store.organizations if o != ld.creds["organization_uuid"])
    assert session.delete(ld.url + f"/api/v1/org/{other}").status_code == 403
    resp = session.delete(ld.url + f"/api/v1/org/{ld.creds['organization_uuid']}")
    assert resp.json() == {"status": "ok"}
    assert ld.store.projects.keys() == set() or all(
        p.organizationUuid != ld.creds["organization_uuid"] for p in ld.store.projects.values())
    ld.error("GET", "/api/v1/org", 401, "AuthorizationError")


def test_list_organization_projects(ld: LightdashClient) -> None:
    projects = ld.ok("GET", "/api/v1/org/projects")
    kinds = {p["type"] for p in projects}
    assert kinds == {"DEFAULT", "PREVIEW"}
    preview = next(p for p in projects if p["type"] == "PREVIEW")
    assert preview["upstreamProjectUuid"] == ld.project_uuid and preview["warehouseType"] == "postgres"


def test_list_members_returns_everyone_without_pagination(ld: LightdashClient) -> None:
    results = ld.ok("GET", "/api/v1/org/users")
    assert list(results) == ["data"]
    emails = [m["email"] for m in results["data"]]
    assert all(e.endswith("@example.com") for e in emails)
    assert any(m.get("isPending") for m in results["data"])
    assert any(not m["isActive"] for m in results["data"])


def test_list_members_paginates_only_with_page_and_page_size(ld: LightdashClient) -> None:
    total = len(ld.ok("GET", "/api/v1/org/users")["data"])
    page = ld.ok("GET", "/api/v1/org/users?page=2&pageSize=3")
    assert len(page["data"]) == 3
    assert page["pagination"] == {"page": 2, "pageSize": 3, "totalResults": total,
                                  "totalPageCount": -(-total // 3)}
    assert "pagination" not in ld.ok("GET", "/api/v1/org/users?page=2")
    past = ld.ok("GET", "/api/v1/org/users?page=99&pageSize=3")
    assert past["data"] == [] and past["pagination"]["page"] == 99
    err = ld.error("GET", "/api/v1/org/users?page=-2&pageSize=3", 422, "KnexPaginationError")
    assert err["message"] == "page should be greater than 0"
    err = ld.error("GET", "/api/v1/org/users?page=1&pageSize=0.5", 422, "KnexPaginationError")
    assert err["message"] == "pageSize should be greater than 0"
    # `if (pageSize && page)`: a zero leaves the list unpaginated and unchecked
    assert "pagination" not in ld.ok("GET", "/api/v1/org/users?page=0&pageSize=3")
    assert "pagination" not in ld.ok("GET", "/api/v1/org/users?page=-1")
    err = ld.error("GET", "/api/v1/org/groups?page=-1&pageSize=-1", 422, "KnexPaginationError")
    assert err["message"] == "page should be greater than 0"


def test_list_members_search_groups_and_project_filter(ld: LightdashClient) -> None:
    admin = ld.store.users[ld.store.admin_uuid]
    found = ld.ok("GET", f"/api/v1/org/users?searchQuery={admin.lastName}")["data"]
    assert admin.userUuid in [m["userUuid"] for m in found]
    editor = ld.user("editor")
    everyone = ld.ok("GET", "/api/v1/org/users")["data"]
    rows = ld.ok("GET", f"/api/v1/org/users?includeGroups={len(everyone)}")["data"]
    assert next(r for r in rows if r["userUuid"] == editor.userUuid)["groups"][0]["name"] == "Analysts"
    assert all("groups" not in r for r in everyone)
    # getOrganizationMembersAndGroups: includeGroups is the query's LIMIT on members (each with all groups),
    # replaced by Knex's own when paginated; 0 is no groups at all
    assert len(ld.ok("GET", "/api/v1/org/users?includeGroups=2")["data"]) == 2
    paged = ld.ok("GET", "/api/v1/org/users?includeGroups=1&page=1&pageSize=3")
    assert len(paged["data"]) == 3 and all("groups" in r for r in paged["data"])
    assert all("groups" not in r for r in ld.ok("GET", "/api/v1/org/users?includeGroups=0")["data"])
    ld.error("GET", "/api/v1/org/users?includeGroups=-1", 500, "UnexpectedServerError")
    in_project = ld.ok("GET", f"/api/v1/org/users?projectUuid={ld.project_uuid}")["data"]
    assert all(r["role"] != "member" or r["userUuid"] in ld.store.projects[ld.project_uuid].members
               for r in in_project)


def test_member_get_update_delete(ld: LightdashClient) -> None:
    viewer = ld.user("viewer")
    assert ld.ok("GET", f"/api/v1/org/users/{viewer.userUuid}")["role"] == "viewer"
    updated = ld.ok("PATCH", f"/api/v1/org/users/{viewer.userUuid}", json={"role": "editor"})
    assert updated["role"] == "editor"
    assert ld.ok("DELETE", f"/api/v1/org/user/{viewer.userUuid}") is None
    ld.error("GET", f"/api/v1/org/users/{viewer.userUuid}", 404, "NotFoundError")


def test_member_role_change_needs_admin(ld: LightdashClient) -> None:
    token = ld.token_for("editor")
    viewer = ld.user("viewer")
    ld.error("PATCH", f"/api/v1/org/users/{viewer.userUuid}", 403, "ForbiddenError", token=token,
             json={"role": "admin"})
    ld.error("PATCH", f"/api/v1/org/users/{viewer.userUuid}", 422, "ValidateError", json={"role": "boss"})


def test_email_domains(ld: LightdashClient) -> None:
    session = ld.login()
    base = ld.url + "/api/v1/org/allowedEmailDomains"
    assert session.get(base).json()["results"]["emailDomains"] == ["example.com"]
    body = {"emailDomains": ["example.org"], "role": "editor",
            "projects": [{"projectUuid": ld.project_uuid, "role": "viewer"}]}
    updated = session.patch(base, json=body).json()["results"]
    assert updated["emailDomains"] == ["example.org"] and updated["projects"][0]["role"] == "viewer"
    bad = session.patch(base, json={**body, "emailDomains": ["gmail.com"]})
    assert bad.status_code == 400 and bad.json()["error"]["name"] == "ParameterError"


def test_create_and_list_groups(ld: LightdashClient) -> None:
    viewer = ld.user("viewer")
    group = ld.ok("POST", "/api/v1/org/groups", 201, json={"name": "Ops", "members": [{"userUuid": viewer.userUuid}]})
    assert group["memberUuids"] == [viewer.userUuid] and group["createdByUserUuid"] == ld.store.admin_uuid
    listed = ld.ok("GET", "/api/v1/org/groups")
    assert [g["name"] for g in listed["data"]] == ["Analysts", "Finance", "Ops"]
    assert "members" not in listed["data"][0]
    with_members = ld.ok("GET", "/api/v1/org/groups?includeMembers=1&page=1&pageSize=2")
    assert len(with_members["data"]) == 2 and with_members["pagination"]["totalResults"] == 3
    assert all(len(g["members"]) <= 1 for g in with_members["data"])
    assert [g["name"] for g in ld.ok("GET", "/api/v1/org/groups?searchQuery=fin")["data"]] == ["Finance"]
    ld.error("POST", "/api/v1/org/groups", 409, "AlreadyExistsError", json={"name": "Ops"})


def test_user_attributes_crud(ld: LightdashClient) -> None:
    editor = ld.user("editor")
    group = next(iter(ld.store.groups))
    attrs = ld.ok("GET", "/api/v1/org/attributes")
    assert attrs[0]["name"] == "sales_region" and attrs[0]["attributeDefault"] is None
    body = {"name": "team", "description": "owning team", "attributeDefault": "none",
            "users": [{"userUuid": editor.userUuid, "value": "data"}], "groups": [{"groupUuid": group, "value": "x"}]}
    created = ld.ok("POST", "/api/v1/org/attributes", 201, json=body)
    assert created["users"] == [{"userUuid": editor.userUuid, "email": editor.email, "value": "data"}]
    updated = ld.ok("PUT", f"/api/v1/org/attributes/{created['uuid']}", 201,
                    json={**body, "attributeDefault": None, "users": []})
    assert updated["attributeDefault"] is None and updated["users"] == []
    assert ld.ok("DELETE", f"/api/v1/org/attributes/{created['uuid']}") is None
    assert [a["name"] for a in ld.ok("GET", "/api/v1/org/attributes")] == ["sales_region"]
    err = ld.error("POST", "/api/v1/org/attributes", 422, "ValidateError", json={"name": "x"})
    assert set(err["data"]) == {"body.attributeDefault", "body.users", "body.groups"}


def test_removed_member_disappears_from_groups_project_and_space_access(ld: LightdashClient) -> None:
    """Every place that lists a member forgets them once they leave the organization; their token dies."""
    editor = ld.user("editor")
    token = ld.token_for("editor")
    p = ld.project_uuid
    member = [{"userUuid": editor.userUuid}]
    group = ld.ok("POST", "/api/v1/org/groups", 201, json={"name": "Leavers", "members": member})
    assert ld.ok("POST", f"/api/v1/projects/{p}/access",
                 json={"email": editor.email, "role": "developer", "sendEmail": False}) is None
    space = ld.ok("POST", f"/api/v1/projects/{p}/spaces",
                  json={"name": "Leaving", "isPrivate": True, "access": [{**member[0], "role": "editor"}]})
    assert editor.userUuid in [a["userUuid"] for a in space["access"]]
    attr = ld.ok("POST", "/api/v1/org/attributes", 201, json={
        "name": "leaver", "attributeDefault": None, "groups": [],
        "users": [{"userUuid": editor.userUuid, "value": "x"}]})
    assert ld.ok("GET", "/api/v1/user", token=token)["userUuid"] == editor.userUuid

    assert ld.ok("DELETE", f"/api/v1/org/user/{editor.userUuid}") is None

    ld.error("GET", f"/api/v1/org/users/{editor.userUuid}", 404, "NotFoundError")
    assert editor.userUuid not in [m["userUuid"] for m in ld.ok("GET", "/api/v1/org/users")["data"]]
    assert ld.ok("GET", f"/api/v1/groups/{group['uuid']}/members") == []
    assert ld.ok("GET", f"/api/v1/groups/{group['uuid']}?includeMembers=10")["memberUuids"] == []
    assert editor.userUuid not in [a["userUuid"] for a in ld.ok("GET", f"/api/v1/projects/{p}/access")]
    ld.error("GET", f"/api/v1/projects/{p}/user/{editor.userUuid}", 404, "NotFoundError")
    got = ld.ok("GET", f"/api/v1/projects/{p}/spaces/{space['uuid']}")
    assert editor.userUuid not in [a["userUuid"] for a in got["access"]]
    listed = {a["uuid"]: a for a in ld.ok("GET", "/api/v1/org/attributes")}
    assert listed[attr["uuid"]]["users"] == []
    err = ld.error("GET", "/api/v1/user", 401, "AuthorizationError", token=token)
    assert err["message"] == "Personal access token is not recognised"
