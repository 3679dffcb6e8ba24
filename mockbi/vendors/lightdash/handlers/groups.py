"""User Groups: one group, its members, and its access to projects."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import AlreadyExistsError, NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.pagination import knex_bound
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import people

registry = Registry("lightdash")


def _group(store: LightdashStore, req: OpRequest, *, manage: bool = False) -> m.Group:
    user = me(req)
    group = store.get_group(req.path["groupUuid"])
    if group.organizationUuid != user.organizationUuid:
        raise NotFoundError(f"Group with uuid {group.uuid} does not exist")
    if manage:
        store.require_org_admin(user)
    return group


def _touch(store: LightdashStore, group: m.Group, req: OpRequest) -> None:
    group.updatedAt, group.updatedByUserUuid = store.now_iso(), me(req).userUuid


def _org_user(store: LightdashStore, req: OpRequest, user_uuid: str) -> m.User:
    user = store.users.get(user_uuid)
    if user is None or user.organizationUuid != me(req).organizationUuid:
        raise NotFoundError(f"Cannot find user with uuid {user_uuid}")
    return user


@registry.operation("getGroup")
def get_group(store: LightdashStore, req: OpRequest) -> Any:
    """A group; with ``includeMembers`` (and ``offset``) also a page of its members."""
    group = _group(store, req)
    include, offset = knex_bound(req.query.get("includeMembers")), knex_bound(req.query.get("offset"))
    return people.group(store, group, include, offset or 0)


@registry.operation("deleteGroup")
def delete_group(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a group and every access it granted (admins)."""
    cascade.delete_group(store, _group(store, req, manage=True).uuid)
    return None


@registry.operation("updateGroup")
def update_group(store: LightdashStore, req: OpRequest) -> Any:
    """Rename a group and/or replace its members (admins)."""
    group, data = _group(store, req, manage=True), body(req)
    members = [_org_user(store, req, mm["userUuid"]).userUuid for mm in data.get("members", [])]
    if "name" in data:
        name = data["name"].strip()
        if any(g.name == name and g.uuid != group.uuid and g.organizationUuid == group.organizationUuid
               for g in store.groups.values()):
            raise AlreadyExistsError(f'Group "{name}" already exists')
        group.name = name
    if "members" in data:
        group.memberUuids = list(dict.fromkeys(members))
    _touch(store, group, req)
    return people.group(store, group, include_members=0)


@registry.operation("addUserToGroup")
def add_user_to_group(store: LightdashStore, req: OpRequest) -> Any:
    """Add a member: 201 ``{"status":"ok"}`` when added, 204 with no body when already a member."""
    group = _group(store, req, manage=True)
    user = _org_user(store, req, req.path["userUuid"])
    if user.userUuid in group.memberUuids:
        return Reply.no_content()
    group.memberUuids.append(user.userUuid)
    _touch(store, group, req)
    return Reply(body=None, status=201)


@registry.operation("removeUserFromGroup")
def remove_user_from_group(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a member: 200 ``{"status":"ok"}`` when removed, 204 with no body when not a member."""
    group = _group(store, req, manage=True)
    user_uuid = req.path["userUuid"]
    if user_uuid not in group.memberUuids:
        return Reply.no_content()
    group.memberUuids.remove(user_uuid)
    _touch(store, group, req)
    return None


@registry.operation("getGroupMembers")
def get_group_members(store: LightdashStore, req: OpRequest) -> Any:
    """Every member of a group."""
    group = _group(store, req)
    return [people.group_member(store.users[u]) for u in group.memberUuids if u in store.users]


def _group_and_project(store: LightdashStore, req: OpRequest) -> tuple[m.Group, m.Project]:
    """The path's group and project; changing a group's project access needs ``admin`` on the project."""
    group = _group(store, req)
    return group, store.require_project(me(req), req.path["projectUuid"], "admin")


def _set_access(group: m.Group, project: m.Project, role: str) -> dict[str, Any]:
    project.groupAccess[group.uuid] = role
    return {"projectUuid": project.projectUuid, "groupUuid": group.uuid, "role": role}


@registry.operation("addProjectAccessToGroup")
def add_project_access_to_group(store: LightdashStore, req: OpRequest) -> Any:
    """Give a group a role on a project (project admins)."""
    group, project = _group_and_project(store, req)
    if group.uuid in project.groupAccess:
        raise AlreadyExistsError("Group already has access to this project")
    return _set_access(group, project, body(req)["role"])


@registry.operation("updateProjectAccessForGroup")
def update_project_access_for_group(store: LightdashStore, req: OpRequest) -> Any:
    """Change a group's role on a project (project admins)."""
    group, project = _group_and_project(store, req)
    if group.uuid not in project.groupAccess:
        raise NotFoundError("Group does not have access to this project")
    return _set_access(group, project, body(req)["role"])


@registry.operation("removeProjectAccessFromGroup")
def remove_project_access_from_group(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a group's project access: 200 when removed, 204 with no body when it had none."""
    group, project = _group_and_project(store, req)
    if project.groupAccess.pop(group.uuid, None) is None:
        return Reply.no_content()
    return None
