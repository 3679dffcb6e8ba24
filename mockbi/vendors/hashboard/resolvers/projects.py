"""The project a token belongs to and its lists: ``Query.project``, ``Project.*``.

Fields not bound here (``Project.id``, ``Model.grn``, ``Role.permissionRules``...) are read by graphql-core's
default resolver from the model objects, whose attributes keep the SDL's spelling.
"""

from __future__ import annotations

from typing import Any

from mockbi.core.graphql import ResolveInfo
from mockbi.core.registry import Registry
from mockbi.vendors.hashboard.errors import project_not_found
from mockbi.vendors.hashboard.models import Project, Resource, Role
from mockbi.vendors.hashboard.resolvers._common import ctx, store_of

registry = Registry("hashboard")


@registry.operation("Query.project")  # graphql-core passes field args as kwargs
def query_project(obj: Any, info: ResolveInfo, projectId: str) -> Project:
    """The project the API token belongs to; any other id is null with an error."""
    key = ctx(info).principal
    project = store_of(info).project(projectId)
    if project is None or key is None or key.project_id != projectId:
        raise project_not_found(projectId)
    return project


@registry.operation("Project.models")
def project_models(project: Project, info: ResolveInfo) -> list[Resource]:
    return store_of(info).resources_of(project, "model")


@registry.operation("Project.metrics")
def project_metrics(project: Project, info: ResolveInfo) -> list[Resource]:
    return store_of(info).resources_of(project, "metric")


@registry.operation("Project.dashboards")
def project_dashboards(project: Project, info: ResolveInfo) -> list[Resource]:
    return store_of(info).resources_of(project, "dashboard")


@registry.operation("Project.users")
def project_users(project: Project, info: ResolveInfo) -> list[dict[str, Any]]:
    return store_of(info).users_of(project)


@registry.operation("Project.roles")
def project_roles(project: Project, info: ResolveInfo) -> list[Role]:
    return store_of(info).roles_of(project)
