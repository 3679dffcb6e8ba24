"""Mutation resolvers: projects and tenants, env vars, custom domains, preview apps."""

from __future__ import annotations

from typing import Any

from mockbi.core.registry import Registry
from mockbi.vendors.hasura_cloud import jobs
from mockbi.vendors.hasura_cloud.errors import CloudError
from mockbi.vendors.hasura_cloud.models import Project
from mockbi.vendors.hasura_cloud.resolvers import args_path, caller, resolver, tenant_env

mutations = Registry("hasura_cloud")


@resolver(mutations, "mutation_root.createTenant")
def mutation_root_create_tenant(obj: Any, info: Any, cloud: str, region: str, envs: list[Any] | None = None,
                                name: str | None = None, plan: str | None = None,
                                databaseUrl: str | None = None) -> dict[str, Any]:
    """Create a project; returns the Tenant ID and the (generated unless given) project name."""
    store, user = caller(info)
    tenant = store.create_tenant(user, cloud=cloud, region=region, envs_in=envs, name=name, plan=plan,
                                 database_url=databaseUrl)
    return {"id": tenant.id, "name": store.projects[tenant.project_id].name, "tenant": tenant}


@resolver(mutations, "mutation_root.deleteTenant")
def mutation_root_delete_tenant(obj: Any, info: Any, tenantId: str) -> dict[str, str]:
    """Delete a tenant and its project."""
    store, user = caller(info)
    store.delete_tenant(user, tenantId)
    return {"status": "deleted"}


@resolver(mutations, "mutation_root.updateTenantName")
def mutation_root_update_tenant_name(obj: Any, info: Any, tenantId: str, name: str) -> dict[str, Any]:
    """Rename a tenant's project."""
    store, user = caller(info)
    return {"tenant": store.rename_tenant(user, tenantId, name)}


@resolver(mutations, "mutation_root.updateTenantEnv")
def mutation_root_update_tenant_env(obj: Any, info: Any, tenantId: str, currentHash: str,
                                    envs: list[Any]) -> dict[str, Any]:
    """Upsert env vars guarded by the current hash; returns the new hash."""
    store, user = caller(info)
    return tenant_env(store.update_env(user, tenantId, currentHash, envs))


@resolver(mutations, "mutation_root.deleteTenantEnv")
def mutation_root_delete_tenant_env(obj: Any, info: Any, tenantId: str, currentHash: str,
                                    deleteEnvs: list[str]) -> dict[str, Any]:
    """Remove env vars guarded by the current hash; returns the new hash."""
    store, user = caller(info)
    return tenant_env(store.delete_env(user, tenantId, currentHash, deleteEnvs))


@resolver(mutations, "mutation_root.update_projects_by_pk")
def mutation_root_update_projects_by_pk(obj: Any, info: Any, pk_columns: dict[str, Any],
                                        _set: dict[str, Any] | None = None) -> Project | None:
    """Rename a project by Project ID; null when no such project."""
    store, user = caller(info)
    project = store.project(user, pk_columns["id"])
    if project is None:
        return None
    name = (_set or {}).get("name")
    if name is None or name == project.name:
        return project
    if jobs.name_problem(name):
        raise CloudError('Check constraint violation. new row for relation "projects" violates check constraint '
                         '"projects_name_check"', code="constraint-violation", path=args_path(info, "_set"))
    if store.project_by_name(name) is not None:
        raise CloudError('Uniqueness violation. duplicate key value violates unique constraint "projects_name_key"',
                         code="constraint-violation", path=args_path(info, "_set"))
    return store.rename(user, project, name)


@resolver(mutations, "mutation_root.insert_custom_domain_one")
def mutation_root_insert_custom_domain_one(obj: Any, info: Any, object: dict[str, Any]) -> Any:
    """Attach a custom domain to one of the caller's tenants."""
    store, user = caller(info)
    return store.add_custom_domain(user, object["tenant_id"], object["fqdn"])


@resolver(mutations, "mutation_root.createGitHubPreviewApp")
def mutation_root_create_git_hub_preview_app(obj: Any, info: Any, payload: dict[str, Any]) -> dict[str, str]:
    """Queue a preview-app creation job; returns its id."""
    store, user = caller(info)
    return {"githubPreviewAppJobID": store.create_preview_app(user, payload).id}
