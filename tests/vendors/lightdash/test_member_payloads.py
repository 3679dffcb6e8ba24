"""Member and user payloads as published clients parse them with strict models (issue 12: D14, D17)."""

from __future__ import annotations

from typing import Any

import requests

from mockbi.handle import MockbiHandle
from mockbi.vendors.lightdash.store import LightdashStore


def _get(mockbi: MockbiHandle, path: str, method: str = "GET", **kw: Any) -> Any:
    creds = mockbi.credentials["lightdash"]
    resp = requests.request(method, mockbi.url + path, timeout=30,
                            headers={"Authorization": f"ApiKey {creds['personal_access_token']}"}, **kw)
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]


def _store(mockbi: MockbiHandle) -> LightdashStore:
    store = mockbi.store("lightdash")
    assert isinstance(store, LightdashStore)
    return store


def test_every_member_carries_is_invite_expired_and_is_pending(mockbi: MockbiHandle) -> None:
    store = _store(mockbi)
    members = _get(mockbi, "/api/v1/org/users")["data"]
    assert members and all(isinstance(m["isInviteExpired"], bool) and isinstance(m["isPending"], bool)
                           for m in members)
    by_uuid = {m["userUuid"]: m for m in members}
    for user in store.org_members(store.organization_uuid):
        # OrganizationMemberProfileModel.parseRow: inactive and no invite link, or an expired one
        assert by_uuid[user.userUuid]["isInviteExpired"] is (not user.isActive)
        assert by_uuid[user.userUuid]["isPending"] is user.isPending
    inactive = next(u for u in store.org_members(store.organization_uuid) if not u.isActive)
    with mockbi.locked():
        inactive.inviteExpiresAt = store.now_iso(3)  # a fresh invite: not expired yet
    one = _get(mockbi, f"/api/v1/org/users/{inactive.userUuid}")
    assert one["isInviteExpired"] is False and one["isActive"] is False
    with mockbi.locked():
        inactive.inviteExpiresAt = store.now_iso(-3)
    assert _get(mockbi, f"/api/v1/org/users/{inactive.userUuid}")["isInviteExpired"] is True
    changed = _get(mockbi, f"/api/v1/org/users/{inactive.userUuid}", "PATCH", json={"role": "editor"})
    assert changed["isInviteExpired"] is True and changed["isPending"] is False
    with_groups = _get(mockbi, "/api/v1/org/users?includeGroups=5")["data"]
    assert all(isinstance(m["isInviteExpired"], bool) for m in with_groups)
