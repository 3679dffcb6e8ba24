"""Resolvers of the Hashboard public GraphQL API, bound by ``Type.field``.

Fields not listed here (``Project.id``, ``Model.grn``, ``Role.permissionRules``...) are read by
graphql-core's default resolver from the model objects, whose attributes keep the SDL's spelling.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from mockbi.core.graphql import GraphQLContext, ResolveInfo
from mockbi.core.registry import Registry
from mockbi.vendors.hashboard.models import Project, Resource, Role
from mockbi.vendors.hashboard.store import HashboardStore

resolvers = Registry("hashboard")


def _ctx(info: ResolveInfo) -> GraphQLContext:
    return info.context


def _store(info: ResolveInfo) -> HashboardStore:
    store = info.context.store
    assert isinstance(store, HashboardStore)
    return store


def project_not_found(project_id: str) -> GraphQLError:
    return GraphQLError(f"Project {project_id} not found, or this API token does not have access to it.")


@resolvers.operation("Query.project")  # graphql-core passes field args as kwargs
def query_project(obj: Any, info: ResolveInfo, projectId: str) -> Project:
    """The project the API token belongs to; any other id is null with an error."""
    key = _ctx(info).principal
    project = _store(info).project(projectId)
    if project is None or key is None or key.project_id != projectId:
        raise project_not_found(projectId)
    return project


@resolvers.operation("Project.models")
def project_models(project: Project, info: ResolveInfo) -> list[Resource]:
    return _store(info).resources_of(project, "model")


@resolvers.operation("Project.metrics")
def project_metrics(project: Project, info: ResolveInfo) -> list[Resource]:
    return _store(info).resources_of(project, "metric")


@resolvers.operation("Project.dashboards")
def project_dashboards(project: Project, info: ResolveInfo) -> list[Resource]:
    return _store(info).resources_of(project, "dashboard")


@resolvers.operation("Project.users")
def project_users(project: Project, info: ResolveInfo) -> list[dict[str, Any]]:
    return _store(info).users_of(project)


@resolvers.operation("Project.roles")
def project_roles(project: Project, info: ResolveInfo) -> list[Role]:
    return _store(info).roles_of(project)


@resolvers.operation("Model.savedExplorations")
def model_saved_explorations(model: Resource, info: ResolveInfo) -> list[Resource]:
    return _store(info).saved_explorations_of(model)


@resolvers.operation("PermissionRule.resources")
def permission_rule_resources(rule: dict[str, Any], info: ResolveInfo) -> list[str]:
    """GRNs of the resources the rule covers (kept as keys, so a new alias shows at once), or ``*``."""
    store = _store(info)
    return [store.resources[r].grn if r in store.resources else r for r in rule["resources"]]


def resource_spec(res: Resource, info: ResolveInfo) -> dict[str, Any]:
    """The config-as-code document, with references rendered as GRNs."""
    return _store(info).spec(res)


for _type in ("Model", "SavedExploration", "Metric", "Dashboard"):
    resolvers.operation(f"{_type}.spec")(resource_spec)


def serialize_grn(value: Any) -> str:
    """GRN is a string ``type:id[:alias]``; anything else is a mock defect."""
    if not isinstance(value, str) or value.count(":") not in (1, 2):
        raise TypeError(f"GRN cannot represent {value!r}")
    return value
