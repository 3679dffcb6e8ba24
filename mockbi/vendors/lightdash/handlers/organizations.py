"""Organizations: the caller's organization, its projects, members, email domains and groups."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import AlreadyExistsError, ForbiddenError, NotFoundError, ParameterError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.pagination import knex_bound, page_args, paginate
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import people, projects

registry = Registry("lightdash")


def _my_org(store: LightdashStore, user: m.User) -> m.Organization:
    org = store.organizations.get(user.organizationUuid or "")
    if org is None:
        raise NotFoundError("User is not part of an organization")
    return org


def _member(store: LightdashStore, user: m.User, member_uuid: str) -> m.User:
    member = store.users.get(member_uuid)
    if member is None or member.organizationUuid != user.organizationUuid:
        raise NotFoundError(f"Cannot find user with uuid {member_uuid}")
    return member


@registry.operation("GetMyOrganization")
def get_my_organization(store: LightdashStore, req: OpRequest) -> Any:
    """The caller's organization."""
    return people.organization(store, _my_org(store, me(req)))


@registry.operation("CreateOrganization")
def create_organization(store: LightdashStore, req: OpRequest) -> Any:
    """Create an organization for a caller that has none; the caller becomes its admin."""
    user = me(req)
    if user.organizationUuid is not None:
        raise ForbiddenError("User already has an organization")
    org = m.Organization(organizationUuid=store.new_uuid(), name=body(req)["name"], createdAt=store.now_iso())
    store.organizations[org.organizationUuid] = org
    user.organizationUuid, user.role = org.organizationUuid, "admin"
    return None


@registry.operation("UpdateMyOrganization")
def update_my_organization(store: LightdashStore, req: OpRequest) -> Any:
    """Rename the organization, set its chart colours or default project (admins)."""
    user = me(req)
    store.require_org_admin(user)
    org, data = _my_org(store, user), body(req)
    project_uuid = data.get("defaultProjectUuid")
    if project_uuid is not None and store.projects.get(project_uuid) is None:
        raise NotFoundError(f"Cannot find project with id: {project_uuid}")
    if "name" in data:
        if not data["name"].strip():
            raise ParameterError("Organization name cannot be empty")
        org.name = data["name"]
    if "chartColors" in data:
        org.chartColors = list(data["chartColors"])
    if project_uuid is not None:
        org.defaultProjectUuid = project_uuid
    return None


@registry.operation("DeleteMyOrganization")
def delete_my_organization(store: LightdashStore, req: OpRequest) -> Any:
    """Delete the caller's organization with all its projects and members (admins)."""
    user = me(req)
    store.require_org_admin(user)
    org_uuid = req.path["organizationUuid"]
    if org_uuid != user.organizationUuid:
        raise ForbiddenError()
    for project in [p for p in store.projects.values() if p.organizationUuid == org_uuid]:
        cascade.delete_project(store, project.projectUuid)
    for group in [g for g in store.groups.values() if g.organizationUuid == org_uuid]:
        cascade.delete_group(store, group.uuid)
    for attribute in [a for a in store.user_attributes.values() if a.organizationUuid == org_uuid]:
        del store.user_attributes[attribute.uuid]
    for member in store.org_members(org_uuid):
        cascade.delete_user(store, member.userUuid)
    del store.organizations[org_uuid]
    return None


@registry.operation("ListOrganizationProjects")
def list_organization_projects(store: LightdashStore, req: OpRequest) -> Any:
    """Projects of the organization the caller can view."""
    user = me(req)
    return [projects.org_project(p) for p in store.projects.values()
            if p.organizationUuid == user.organizationUuid and store.project_role(user, p) is not None]


@registry.operation("ListOrganizationMembers")
def list_organization_members(store: LightdashStore, req: OpRequest) -> Any:
    """Members of the organization: Knex-paginated, searchable, optionally with their groups."""
    user = me(req)
    q = req.query
    members = sorted(store.org_members(user.organizationUuid), key=lambda u: (u.firstName, u.lastName, u.email))
    search = (q.get("searchQuery") or "").strip().lower()
    if search:
        members = [u for u in members
                   if search in f"{u.firstName} {u.lastName} {u.email} {u.role}".lower()]
    project_uuid = q.get("projectUuid")
    if project_uuid:
        project = store.get_project(project_uuid)
        members = [u for u in members if store.project_role(u, project) is not None]
    include_groups = q.get("includeGroups")  # truthy: members with their groups, `.limit(includeGroups)`
    if include_groups:
        limit = knex_bound(include_groups) or 0
        if page_args(q) is None:  # with pagination, Knex's own limit replaces it
            members = members[:limit]
    page = paginate(members, q)
    rows = []
    for u in page["data"]:
        profile = people.member_profile(store, u)
        if include_groups:  # members with all their groups (getOrganizationMembersAndGroups)
            profile["groups"] = [{"uuid": g.uuid, "name": g.name} for g in store.groups.values()
                                 if u.userUuid in g.memberUuids]
        rows.append(profile)
    return page | {"data": rows}


@registry.operation("GetOrganizationMemberByUuid")
def get_organization_member_by_uuid(store: LightdashStore, req: OpRequest) -> Any:
    """One member of the caller's organization."""
    return people.member_profile(store, _member(store, me(req), req.path["userUuid"]))


@registry.operation("UpdateOrganizationMember")
def update_organization_member(store: LightdashStore, req: OpRequest) -> Any:
    """Change a member's organization role (admins; the last admin cannot be demoted)."""
    user = me(req)
    store.require_org_admin(user)
    member = _member(store, user, req.path["userUuid"])
    role = body(req)["role"]
    admins = [u for u in store.org_members(user.organizationUuid) if u.role == "admin"]
    if member.role == "admin" and role != "admin" and len(admins) == 1:
        raise ForbiddenError("Organization must have at least one admin")
    member.role, member.updatedAt = role, store.now_iso()
    return people.member_profile(store, member)


@registry.operation("DeleteOrganizationMember")
def delete_organization_member(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a member from the organization (admins; not themselves)."""
    user = me(req)
    store.require_org_admin(user)
    member = _member(store, user, req.path["userUuid"])
    if member.userUuid == user.userUuid:
        raise ForbiddenError("User can not delete themself")
    cascade.delete_user(store, member.userUuid)
    return None


def _email_domains(org: m.Organization) -> dict[str, Any]:
    return {"organizationUuid": org.organizationUuid, "emailDomains": list(org.emailDomains),
            "role": org.emailDomainsRole, "projects": [dict(p) for p in org.emailDomainsProjects]}


@registry.operation("ListOrganizationEmailDomains")
def list_organization_email_domains(store: LightdashStore, req: OpRequest) -> Any:
    """Email domains allowed to join the organization, and the role they get."""
    return _email_domains(_my_org(store, me(req)))


@registry.operation("UpdateOrganizationEmailDomains")
def update_organization_email_domains(store: LightdashStore, req: OpRequest) -> Any:
    """Replace the allowed email domains (admins; no public email providers)."""
    user = me(req)
    store.require_org_admin(user)
    org, data = _my_org(store, user), body(req)
    public = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com"}
    domains = [d.strip().lower() for d in data["emailDomains"]]
    if any(d in public for d in domains):
        raise ParameterError("Email domains cannot include public email providers")
    for p in data["projects"]:
        store.get_project(p["projectUuid"])
    org.emailDomains, org.emailDomainsRole = domains, data["role"]
    org.emailDomainsProjects = [{"projectUuid": p["projectUuid"], "role": p["role"]} for p in data["projects"]]
    return _email_domains(org)


@registry.operation("CreateGroupInOrganization")
def create_group_in_organization(store: LightdashStore, req: OpRequest) -> Any:
    """Create a group, optionally with members (admins); answered with 201."""
    user = me(req)
    store.require_org_admin(user)
    data = body(req)
    name = data["name"].strip()
    if any(g.name == name and g.organizationUuid == user.organizationUuid for g in store.groups.values()):
        raise AlreadyExistsError(f'Group "{name}" already exists')
    members = [_member(store, user, mm["userUuid"]).userUuid for mm in data.get("members", [])]
    now = store.now_iso()
    group = m.Group(uuid=store.new_uuid(), name=name, organizationUuid=user.organizationUuid or "",
                    createdAt=now, createdByUserUuid=user.userUuid, updatedAt=now,
                    updatedByUserUuid=user.userUuid, memberUuids=list(dict.fromkeys(members)))
    store.groups[group.uuid] = group
    return Reply(body=people.group(store, group, include_members=0), status=201)


@registry.operation("ListGroupsInOrganization")
def list_groups_in_organization(store: LightdashStore, req: OpRequest) -> Any:
    """Groups of the organization: Knex-paginated, searchable, optionally with members."""
    user = me(req)
    q = req.query
    groups = sorted((g for g in store.groups.values() if g.organizationUuid == user.organizationUuid),
                    key=lambda g: g.name.lower())
    search = (q.get("searchQuery") or "").strip().lower()
    if search:
        groups = [g for g in groups if search in g.name.lower()]
    page = paginate(groups, q)
    include = knex_bound(q.get("includeMembers"))
    return page | {"data": [people.group(store, g, include) for g in page["data"]]}
