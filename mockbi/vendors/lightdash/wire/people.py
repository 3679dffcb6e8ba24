"""The organization and its people as the API sends them: the authenticated user and their ability rules,
the organization, members, groups, user attributes, personal access tokens, notifications and warehouse
credentials. Required-but-nullable fields are always present (as ``None``); optional fields are left out
when unset, as Express drops ``undefined``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.wire.common import compact

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore


def lightdash_user(store: LightdashStore, user: m.User) -> dict[str, Any]:
    org = store.organizations.get(user.organizationUuid or "")
    return compact({
        "userUuid": user.userUuid, "email": user.email, "firstName": user.firstName, "lastName": user.lastName,
        "organizationUuid": org.organizationUuid if org else None, "organizationName": org.name if org else None,
        "organizationCreatedAt": org.createdAt if org else None,
        "isTrackingAnonymized": user.isTrackingAnonymized, "isMarketingOptedIn": user.isMarketingOptedIn,
        "isSetupComplete": user.isSetupComplete, "role": user.role if org else None,
        "createdAt": user.createdAt, "updatedAt": user.updatedAt, "isActive": user.isActive,
        "isPending": user.isPending})


def ability_rules(store: LightdashStore, user: m.User) -> list[dict[str, Any]]:
    """CASL rules in the shape GetAuthenticatedUser adds (``abilityRules``)."""
    org = {"organizationUuid": user.organizationUuid}
    if user.role == "admin":
        return [{"action": "manage", "subject": "all", "conditions": org}]
    rules = [{"action": "view", "subject": "OrganizationMemberProfile", "conditions": org}]
    for project in store.projects.values():
        role = store.project_role(user, project)
        if role is None:
            continue
        cond = {"projectUuid": project.projectUuid}
        rules.append({"action": "view", "subject": "Project", "conditions": cond})
        rules.append({"action": "view", "subject": "SavedChart", "conditions": cond})
        rules.append({"action": "view", "subject": "Dashboard", "conditions": cond})
        if role in ("editor", "developer", "admin"):
            rules.append({"action": "manage", "subject": "SavedChart", "conditions": cond})
            rules.append({"action": "manage", "subject": "Dashboard", "conditions": cond})
            rules.append({"action": "create", "subject": "Space", "conditions": cond})
    return rules


def organization(store: LightdashStore, org: m.Organization) -> dict[str, Any]:
    has_project = any(p.organizationUuid == org.organizationUuid for p in store.projects.values())
    return compact({"organizationUuid": org.organizationUuid, "name": org.name, "chartColors": org.chartColors,
                    "defaultProjectUuid": org.defaultProjectUuid, "needsProject": not has_project})


def member_profile(store: LightdashStore, user: m.User) -> dict[str, Any]:
    """``OrganizationMemberProfile``; ``isPending`` and ``isInviteExpired`` are always booleans."""
    profile = {"userUuid": user.userUuid, "email": user.email, "firstName": user.firstName,
               "lastName": user.lastName, "organizationUuid": user.organizationUuid, "role": user.role,
               "isActive": user.isActive, "userCreatedAt": user.createdAt, "userUpdatedAt": user.updatedAt,
               "isPending": user.isPending, "isInviteExpired": invite_expired(store, user)}
    return profile


def invite_expired(store: LightdashStore, user: m.User) -> bool:
    """``OrganizationMemberProfileModel.parseRow`` as tagged 0.1412.0 (the release of the 0.1411.0 spec):
    ``isPending = !hasAuthentication`` and ``isInviteExpired = !isPending && !!expires_at && expires_at <
    now``; always a boolean, sent for every member. (Older releases computed
    ``!is_active && (!expires_at || expires_at < now)``.)"""
    return not user.isPending and bool(user.inviteExpiresAt) and str(user.inviteExpiresAt) < store.now_iso()


def group_member(user: m.User) -> dict[str, Any]:
    return {"userUuid": user.userUuid, "email": user.email, "firstName": user.firstName, "lastName": user.lastName}


def group(store: LightdashStore, g: m.Group, include_members: int | None = None, offset: int = 0,
          ) -> dict[str, Any]:
    """``Group``, or ``GroupWithMembers`` when ``include_members`` is given (how many members to list)."""
    body: dict[str, Any] = {"uuid": g.uuid, "name": g.name, "createdAt": g.createdAt,
                            "createdByUserUuid": g.createdByUserUuid, "updatedAt": g.updatedAt,
                            "updatedByUserUuid": g.updatedByUserUuid, "organizationUuid": g.organizationUuid}
    if include_members is not None:
        users = [store.users[u] for u in g.memberUuids if u in store.users]
        users = users[offset:offset + include_members]  # LIMIT includeMembers OFFSET offset (0: none)
        body["memberUuids"] = list(g.memberUuids)
        body["members"] = [group_member(u) for u in users]
    return body


def user_attribute(store: LightdashStore, a: m.UserAttribute) -> dict[str, Any]:
    body: dict[str, Any] = {"uuid": a.uuid, "name": a.name, "createdAt": a.createdAt,
                            "organizationUuid": a.organizationUuid, "attributeDefault": a.attributeDefault,
                            "users": [{"userUuid": u, "email": store.users[u].email, "value": v}
                                      for u, v in a.users.items() if u in store.users],
                            "groups": [{"groupUuid": g, "value": v} for g, v in a.groups.items()]}
    if a.description is not None:
        body["description"] = a.description
    return body


def personal_access_token(t: m.PersonalAccessToken, *, with_token: bool = False) -> dict[str, Any]:
    body = {"uuid": t.uuid, "description": t.description, "createdAt": t.createdAt, "expiresAt": t.expiresAt,
            "rotatedAt": t.rotatedAt, "lastUsedAt": t.lastUsedAt}
    if with_token:
        body["token"] = t.token
    return body


def notification(n: m.Notification) -> dict[str, Any]:
    return compact({"notificationId": n.notificationId, "resourceType": n.resourceType,
                    "resourceUuid": n.resourceUuid, "message": n.message, "url": n.url, "viewed": n.viewed,
                    "createdAt": n.createdAt, "metadata": n.metadata})


def warehouse_credentials(c: m.UserWarehouseCredentials) -> dict[str, Any]:
    creds = {"type": c.credentials.get("type")}
    if "user" in c.credentials:
        creds["user"] = c.credentials["user"]
    return {"uuid": c.uuid, "userUuid": c.userUuid, "name": c.name, "createdAt": c.createdAt,
            "updatedAt": c.updatedAt, "credentials": creds}
