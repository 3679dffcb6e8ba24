"""Who is listed in a space's access list, as ``SpaceModel._getSpaceAccess`` builds it (tag 0.1412.0, the
release of the 0.1411.0 spec).

For each member of the project's organization, the candidate roles are, in this order: the organization
role (``member`` gives none), the direct project role, the project role of each of the user's groups, and
the space role of each of the user's groups with access to the space (as a project role). The highest
one is ``inheritedRole`` and its kind ``inheritedFrom`` (``organization | project | group |
space_group``); on a tie the later one wins (``getHighestProjectRole`` compares with ``>=``). A user with
no role is not listed. ``projectRole`` is the higher of the organization and direct project roles.
``hasDirectAccess`` is direct user access or access through a group. A private space lists only users
with direct access or an admin role (organization, project or project group). The space role is
``admin`` for an inherited admin, else the user's own space role, else the highest group space role,
else (public spaces) the inherited project role mapped to a space role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockbi.vendors.lightdash import models as m

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore

PROJECT_ORDER = ("viewer", "interactive_viewer", "editor", "developer", "admin")
SPACE_ORDER = ("viewer", "editor", "admin")
#: convertProjectRoleToSpaceRole
PROJECT_TO_SPACE = {"viewer": "viewer", "interactive_viewer": "viewer", "editor": "editor",
                    "developer": "editor", "admin": "admin"}


def _highest(candidates: list[tuple[str, str | None]]) -> tuple[str, str] | None:
    """``getHighestProjectRole``: the highest role, the later one on a tie; None if no role."""
    best: tuple[str, str] | None = None
    for kind, role in candidates:
        if role in PROJECT_ORDER and (best is None or PROJECT_ORDER.index(role) >= PROJECT_ORDER.index(best[1])):
            best = (kind, role)
    return best


def share(store: LightdashStore, space: m.Space, user: m.User) -> dict[str, Any] | None:
    """``SpaceShare`` for one user, or None when the space's access list leaves the user out."""
    project = store.projects[space.projectUuid]
    if user.organizationUuid != project.organizationUuid:
        return None
    groups = [g for g in store.groups.values() if user.userUuid in g.memberUuids]
    group_roles = [project.groupAccess[g.uuid] for g in groups if g.uuid in project.groupAccess]
    space_group_roles = [space.groupAccess[g.uuid] for g in groups if g.uuid in space.groupAccess]
    org_role = None if user.role == "member" else user.role
    project_role = project.members.get(user.userUuid)
    direct = user.userUuid in space.access or bool(space_group_roles)
    admin = "admin" in (org_role, project_role, *group_roles)
    if space.isPrivate and not (direct or admin):
        return None
    highest = _highest([("organization", org_role), ("project", project_role),
                        *(("group", r) for r in group_roles), *(("space_group", r) for r in space_group_roles)])
    if highest is None:
        return None
    if highest[1] == "admin":
        role = "admin"
    elif direct:
        held = [r for r in space_group_roles if r in SPACE_ORDER]
        role = space.access.get(user.userUuid) or (max(held, key=SPACE_ORDER.index) if held
                                                    else PROJECT_TO_SPACE[highest[1]])
    elif not space.isPrivate:
        role = PROJECT_TO_SPACE[highest[1]]
    else:
        return None
    body: dict[str, Any] = {"userUuid": user.userUuid, "firstName": user.firstName, "lastName": user.lastName,
                            "email": user.email, "role": role, "hasDirectAccess": direct}
    project_level = _highest([("organization", org_role), ("project", project_role)])
    if project_level is not None:
        body["projectRole"] = project_level[1]
    return body | {"inheritedRole": highest[1], "inheritedFrom": highest[0]}
