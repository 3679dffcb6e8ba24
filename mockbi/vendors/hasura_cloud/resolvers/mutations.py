"""Mutation resolvers: projects and tenants, env vars, custom domains, preview apps.

A request with several mutation fields runs them the way graphql-engine does (``runExceptT $ forWithKey
mutationPlans``): in order, stopping at the first that fails, whose error replaces ``data``. Cloud's API
calls are actions, which cannot be rolled back: the fields before the failure keep their effects. Only a
request made of nothing but Hasura's own Postgres mutations runs in one transaction, rolled back whole.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from graphql import FieldNode

from mockbi.core.graphql import GraphQLContext
from mockbi.core.registry import Registry
from mockbi.vendors.hasura_cloud import jobs
from mockbi.vendors.hasura_cloud.errors import CloudError
from mockbi.vendors.hasura_cloud.inputs import refuse_nul
from mockbi.vendors.hasura_cloud.models import Project
from mockbi.vendors.hasura_cloud.resolvers._common import args_path, caller, resolver, tenant_env
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

registry = Registry("hasura_cloud")
F = TypeVar("F", bound=Callable[..., Any])

#: mutation_root fields that are Postgres mutations on Cloud's own tables (the rest are actions)
POSTGRES_MUTATIONS = frozenset({"update_projects_by_pk", "insert_custom_domain_one"})
#: the request's transaction: the store as it was before its first field (``GraphQLContext.scratch``)
_TRANSACTION = "transaction"


def _transaction(info: Any, store: HasuraCloudStore) -> dict[str, Any] | None:
    """The snapshot to roll back to if this request is one Postgres transaction (taken at its first field)."""
    scratch = info.context.scratch
    if _TRANSACTION not in scratch:
        names = [s.name.value for s in info.operation.selection_set.selections if isinstance(s, FieldNode)]
        atomic = (len(names) > 1 and len(names) == len(info.operation.selection_set.selections)
                  and all(n in POSTGRES_MUTATIONS or n.startswith("__") for n in names))
        scratch[_TRANSACTION] = store.snapshot() if atomic else None
    snapshot: dict[str, Any] | None = scratch[_TRANSACTION]
    return snapshot


def mutation(key: str) -> Callable[[F], F]:
    """Register a ``mutation_root`` resolver that runs only while no earlier field of the request failed,
    and rolls the request back on failure when it is one Postgres transaction."""

    def bind(fn: F) -> F:
        @functools.wraps(fn)
        def run(obj: Any, info: Any, **args: Any) -> Any:
            ctx: GraphQLContext = info.context
            if ctx.failed:  # graphql-engine stopped at the failed field: this one never runs
                return None
            store, _ = caller(info)
            snapshot = _transaction(info, store)
            try:
                refuse_nul(args, action=info.field_name not in POSTGRES_MUTATIONS)
                return fn(obj, info, **args)
            except Exception:
                if snapshot is not None:
                    store.restore(snapshot)
                raise

        resolver(registry, key)(run)
        return fn

    return bind


@mutation("mutation_root.createTenant")
def mutation_root_create_tenant(obj: Any, info: Any, cloud: str, region: str, envs: list[Any] | None = None,
                                name: str | None = None, plan: str | None = None,
                                databaseUrl: str | None = None) -> dict[str, Any]:
    """Create a project; returns the Tenant ID and the (generated unless given) project name."""
    store, user = caller(info)
    tenant = store.create_tenant(user, cloud=cloud, region=region, envs_in=envs, name=name, plan=plan,
                                 database_url=databaseUrl)
    return {"id": tenant.id, "name": store.projects[tenant.project_id].name, "tenant": tenant}


@mutation("mutation_root.deleteTenant")
def mutation_root_delete_tenant(obj: Any, info: Any, tenantId: str) -> dict[str, str]:
    """Delete a tenant and its project."""
    store, user = caller(info)
    store.delete_tenant(user, tenantId)
    return {"status": "deleted"}


@mutation("mutation_root.updateTenantName")
def mutation_root_update_tenant_name(obj: Any, info: Any, tenantId: str, name: str) -> dict[str, Any]:
    """Rename a tenant's project."""
    store, user = caller(info)
    return {"tenant": store.rename_tenant(user, tenantId, name)}


@mutation("mutation_root.updateTenantEnv")
def mutation_root_update_tenant_env(obj: Any, info: Any, tenantId: str, currentHash: str,
                                    envs: list[Any]) -> dict[str, Any]:
    """Upsert env vars guarded by the current hash; returns the new hash."""
    store, user = caller(info)
    return tenant_env(store.update_env(user, tenantId, currentHash, envs))


@mutation("mutation_root.deleteTenantEnv")
def mutation_root_delete_tenant_env(obj: Any, info: Any, tenantId: str, currentHash: str,
                                    deleteEnvs: list[str]) -> dict[str, Any]:
    """Remove env vars guarded by the current hash; returns the new hash."""
    store, user = caller(info)
    return tenant_env(store.delete_env(user, tenantId, currentHash, deleteEnvs))


@mutation("mutation_root.update_projects_by_pk")
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


@mutation("mutation_root.insert_custom_domain_one")
def mutation_root_insert_custom_domain_one(obj: Any, info: Any, object: dict[str, Any]) -> Any:
    """Attach a custom domain to one of the caller's tenants."""
    store, user = caller(info)
    return store.add_custom_domain(user, object["tenant_id"], object["fqdn"])


@mutation("mutation_root.createGitHubPreviewApp")
def mutation_root_create_git_hub_preview_app(obj: Any, info: Any, payload: dict[str, Any]) -> dict[str, str]:
    """Queue a preview-app creation job; returns its id."""
    store, user = caller(info)
    return {"githubPreviewAppJobID": store.create_preview_app(user, payload).id}
