"""Member and user payloads as published clients parse them with strict models (issue 12: D14, D17)."""

from __future__ import annotations

from typing import Any

from tests.vendors.lightdash.conftest import Api


def test_every_member_carries_is_invite_expired_and_is_pending(api: Api) -> None:
    """OrganizationMemberProfileModel.parseRow at 0.1412.0: isPending = no password or OpenID yet;
    isInviteExpired = not pending, with an invite link past its expiry; both always booleans."""
    store = api.store
    members = api.ok("GET", "/api/v1/org/users")["data"]
    assert members and all(isinstance(m["isInviteExpired"], bool) and isinstance(m["isPending"], bool)
                           for m in members)
    by_uuid = {m["userUuid"]: m for m in members}
    pending = next(u for u in store.org_members(store.organization_uuid) if u.isPending)
    assert by_uuid[pending.userUuid]["isPending"] is True and by_uuid[pending.userUuid]["isInviteExpired"] is False
    inactive = next(u for u in store.org_members(store.organization_uuid) if not u.isActive)
    assert by_uuid[inactive.userUuid] | {"isPending": False, "isInviteExpired": False} == by_uuid[inactive.userUuid]
    with api.mockbi.locked():
        inactive.inviteExpiresAt = store.now_iso(3)  # an invite link that is still valid
    one = api.ok("GET", f"/api/v1/org/users/{inactive.userUuid}")
    assert one["isInviteExpired"] is False and one["isActive"] is False
    with api.mockbi.locked():
        inactive.inviteExpiresAt = store.now_iso(-3)
    assert api.ok("GET", f"/api/v1/org/users/{inactive.userUuid}")["isInviteExpired"] is True
    changed = api.ok("PATCH", f"/api/v1/org/users/{inactive.userUuid}", json={"role": "editor"})
    assert changed["isInviteExpired"] is True and changed["isPending"] is False
    with_groups = api.ok("GET", "/api/v1/org/users?includeGroups=5")["data"]
    assert all(isinstance(m["isInviteExpired"], bool) and isinstance(m["isPending"], bool) for m in with_groups)


def _space(api: Api, name: str) -> Any:
    summary = next(s for s in api.ok("GET", f"/api/v1/projects/{api.project}/spaces") if s["name"] == name)
    return api.ok("GET", f"/api/v1/projects/{api.project}/spaces/{summary['uuid']}")


def test_space_access_lists_carry_the_highest_inherited_role_of_every_user(api: Api) -> None:
    store = api.store
    admin = store.users[store.admin_uuid]
    member = next(u for u in store.org_members() if u.role == "member")
    finance = next(g for g in store.groups.values() if g.name == "Finance")
    outsider = next(u for u in store.org_members() if u.isActive and not u.isPending and u.role == "viewer"
                    and u.userUuid not in finance.memberUuids)
    with api.mockbi.locked():  # an org "member" whose only role comes from a group's access to the space
        outsider.role = "member"
        finance.memberUuids.append(outsider.userUuid)
    kinds = {"organization", "project", "group", "space_group"}
    for name in ("Shared", "Finance (private)"):
        space = _space(api, name)
        assert space["access"], name
        for entry in space["access"]:
            assert entry["inheritedFrom"] in kinds and entry["inheritedRole"], entry
        by_user = {e["userUuid"]: e for e in space["access"]}
        assert by_user[admin.userUuid]["inheritedFrom"] == "organization"
        assert by_user[admin.userUuid]["inheritedRole"] == by_user[admin.userUuid]["role"] == "admin"
    shared = {e["userUuid"]: e for e in _space(api, "Shared")["access"]}
    # project viewer + the Analysts group's editor access to the project: the group's role is higher
    assert (shared[member.userUuid]["inheritedFrom"], shared[member.userUuid]["inheritedRole"]) == ("group", "editor")
    assert shared[member.userUuid]["role"] == "editor" and not shared[member.userUuid]["hasDirectAccess"]
    assert outsider.userUuid not in shared  # no organization, project or group role on a public space
    # the query joins organization memberships with no is_active filter: deactivated members are listed
    gone = next(u for u in store.org_members() if not u.isActive)
    assert shared[gone.userUuid]["inheritedFrom"] == "organization"
    private = {e["userUuid"]: e for e in _space(api, "Finance (private)")["access"]}
    assert private[admin.userUuid]["hasDirectAccess"] is True
    # an organization viewer in the Finance group (viewer access to the space): a tie, the later kind wins
    viewer = next(u for u in store.users.values() if u.userUuid in finance.memberUuids and u.role == "viewer")
    assert (private[viewer.userUuid]["inheritedFrom"], private[viewer.userUuid]["inheritedRole"]) == (
        "space_group", "viewer")
    assert private[viewer.userUuid]["projectRole"] == "viewer"
    assert private[outsider.userUuid] | {"firstName": "", "lastName": "", "email": ""} == {
        "userUuid": outsider.userUuid, "firstName": "", "lastName": "", "email": "", "role": "viewer",
        "hasDirectAccess": True, "inheritedRole": "viewer", "inheritedFrom": "space_group"}
    summaries = api.ok("GET", f"/api/v1/projects/{api.project}/spaces")
    assert all({"inheritedRole", "inheritedFrom"} <= set(s["userAccess"]) for s in summaries if "userAccess" in s)
