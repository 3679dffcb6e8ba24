"""Spaces: create, read, update, delete, and share with users and groups."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")


def _space(store: LightdashStore, req: OpRequest, minimum: str = "viewer") -> m.Space:
    user = me(req)
    store.require_project(user, req.path["projectUuid"])
    space = store.get_space(req.path["spaceUuid"], req.path["projectUuid"])
    store.require_space(user, space, minimum)
    return space


@registry.operation("CreateSpaceInProject")
def create_space_in_project(store: LightdashStore, req: OpRequest) -> Any:
    """Create a space (editors); the creator gets admin access to a private space."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    data = body(req)
    access = {a["userUuid"]: a["role"] for a in data.get("access", [])}
    for user_uuid in access:
        if user_uuid not in store.users:
            raise NotFoundError(f"Cannot find user with uuid {user_uuid}")
    taken = {s.slug for s in store.spaces.values() if s.projectUuid == project.projectUuid}
    space = m.Space(uuid=store.new_uuid(), projectUuid=project.projectUuid, name=data["name"],
                    slug=store.slugify(data["name"], taken), isPrivate=bool(data.get("isPrivate", False)),
                    createdAt=store.now_iso(), createdByUserUuid=user.userUuid, access=access)
    if space.isPrivate:
        space.access.setdefault(user.userUuid, "admin")
    store.spaces[space.uuid] = space
    return content.space(store, space)


@registry.operation("GetSpace")
def get_space(store: LightdashStore, req: OpRequest) -> Any:
    """A space with its charts, dashboards and access lists."""
    return content.space(store, _space(store, req))


@registry.operation("UpdateSpace")
def update_space(store: LightdashStore, req: OpRequest) -> Any:
    """Rename a space or change its privacy (space admins)."""
    space, data = _space(store, req, "admin"), body(req)
    space.name, space.isPrivate = data["name"], data["isPrivate"]
    return content.space(store, space)


@registry.operation("DeleteSpace")
def delete_space(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a space with its charts and dashboards (space admins); 200 ``{"status":"ok"}``."""
    cascade.delete_space(store, _space(store, req, "admin").uuid)
    return None


@registry.operation("AddSpaceUserAccess")
def add_space_user_access(store: LightdashStore, req: OpRequest) -> Any:
    """Give a user a role in a space (space admins)."""
    space, data = _space(store, req, "admin"), body(req)
    user = store.users.get(data["userUuid"])
    if user is None or user.organizationUuid != me(req).organizationUuid:
        raise NotFoundError(f"Cannot find user with uuid {data['userUuid']}")
    space.access[user.userUuid] = data["spaceRole"]
    return None


@registry.operation("RevokeSpaceAccessForUser")
def revoke_space_access_for_user(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a user's direct access to a space (space admins)."""
    space = _space(store, req, "admin")
    space.access.pop(req.path["userUuid"], None)
    return None


@registry.operation("AddSpaceGroupAccess")
def add_space_group_access(store: LightdashStore, req: OpRequest) -> Any:
    """Give a group a role in a space (space admins)."""
    space, data = _space(store, req, "admin"), body(req)
    group = store.get_group(data["groupUuid"])
    space.groupAccess[group.uuid] = data["spaceRole"]
    return None


@registry.operation("RevokeGroupSpaceAccess")
def revoke_group_space_access(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a group's access to a space (space admins)."""
    space = _space(store, req, "admin")
    space.groupAccess.pop(req.path["groupUuid"], None)
    return None
