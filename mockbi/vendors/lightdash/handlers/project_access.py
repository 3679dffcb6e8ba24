"""Roles & Permissions on projects: direct members and group accesses."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import AlreadyExistsError, NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import projects

registry = Registry("lightdash")


def _member(store: LightdashStore, project: m.Project, user_uuid: str) -> m.User:
    user = store.users.get(user_uuid)
    if user is None or user_uuid not in project.members:
        raise NotFoundError("User is not a member of this project")
    return user


@registry.operation("GetProjectAccessList")
def get_project_access_list(store: LightdashStore, req: OpRequest) -> Any:
    """Users given a role on the project directly."""
    project = store.require_project(me(req), req.path["projectUuid"])
    return [projects.project_member(store.users[u], project.projectUuid, role)
            for u, role in project.members.items() if u in store.users]


@registry.operation("GrantProjectAccessToUser")
def grant_project_access_to_user(store: LightdashStore, req: OpRequest) -> Any:
    """Give an organization member (by email) a role on the project (project admins)."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "admin")
    data = body(req)
    member = next((u for u in store.org_members(project.organizationUuid)
                   if u.email.lower() == data["email"].strip().lower()), None)
    if member is None:
        raise NotFoundError(f"There is no user with email {data['email']} in this organization")
    if member.userUuid in project.members:
        raise AlreadyExistsError("This user already has access to this project")
    project.members[member.userUuid] = data["role"]
    return None


@registry.operation("GetProjectMemberAccess")
def get_project_member_access(store: LightdashStore, req: OpRequest) -> Any:
    """One direct member's role on the project."""
    project = store.require_project(me(req), req.path["projectUuid"])
    member = _member(store, project, req.path["userUuid"])
    return projects.project_member(member, project.projectUuid, project.members[member.userUuid])


@registry.operation("UpdateProjectAccessForUser")
def update_project_access_for_user(store: LightdashStore, req: OpRequest) -> Any:
    """Change a direct member's role (project admins)."""
    project = store.require_project(me(req), req.path["projectUuid"], "admin")
    member = _member(store, project, req.path["userUuid"])
    project.members[member.userUuid] = body(req)["role"]
    return None


@registry.operation("RevokeProjectAccessForUser")
def revoke_project_access_for_user(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a direct member from the project (project admins)."""
    project = store.require_project(me(req), req.path["projectUuid"], "admin")
    member = _member(store, project, req.path["userUuid"])
    del project.members[member.userUuid]
    return None


@registry.operation("GetProjectGroupAccesses")
def get_project_group_accesses(store: LightdashStore, req: OpRequest) -> Any:
    """Groups with a role on the project."""
    project = store.require_project(me(req), req.path["projectUuid"])
    return [{"projectUuid": project.projectUuid, "groupUuid": g, "role": r}
            for g, r in project.groupAccess.items() if g in store.groups]
