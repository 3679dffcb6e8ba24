"""``query_root`` fields: projects, tenants, env vars, jobs, regions, custom domains.

Root resolvers first let the store catch up with the clock (``tick``), so a polled job and the project it
creates move together. Rows of another account do not exist for the caller: ``*_by_pk`` answers null."""

from __future__ import annotations

from typing import Any

from mockbi.core.registry import Registry
from mockbi.vendors.hasura_cloud.errors import CloudError
from mockbi.vendors.hasura_cloud.models import Job, Project, Tenant
from mockbi.vendors.hasura_cloud.resolvers._common import caller, resolver, select, tenant_env

registry = Registry("hasura_cloud")


@resolver(registry, "query_root.projects")
def query_root_projects(obj: Any, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                        offset: int | None = None) -> list[Project]:
    """List the caller's projects (where, order_by, limit, offset)."""
    store, user = caller(info)
    return select(info, "projects", store.visible_projects(user), where, order_by, limit, offset)


@resolver(registry, "query_root.projects_by_pk")
def query_root_projects_by_pk(obj: Any, info: Any, id: str) -> Project | None:
    """One project by Project ID, or null."""
    store, user = caller(info)
    return store.project(user, id)


@resolver(registry, "query_root.tenant")
def query_root_tenant(obj: Any, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                      offset: int | None = None) -> list[Tenant]:
    """List the caller's tenants (where, order_by, limit, offset)."""
    store, user = caller(info)
    return select(info, "tenant", store.visible_tenants(user), where, order_by, limit, offset)


@resolver(registry, "query_root.tenant_by_pk")
def query_root_tenant_by_pk(obj: Any, info: Any, id: str) -> Tenant | None:
    """One tenant by Tenant ID, or null."""
    store, user = caller(info)
    return store.tenant(user, id)


@resolver(registry, "query_root.getTenantEnv")
def query_root_get_tenant_env(obj: Any, info: Any, tenantId: str) -> dict[str, Any]:
    """A tenant's env vars and their current hash."""
    store, user = caller(info)
    tenant = store.tenant(user, tenantId)
    if tenant is None:
        raise CloudError(f"tenant {tenantId} does not exist or you do not have access to it")
    return tenant_env(tenant)


@resolver(registry, "query_root.jobs_by_pk")
def query_root_jobs_by_pk(obj: Any, info: Any, id: str) -> Job | None:
    """One job (preview-app creation or GitHub deployment) as of now, or null."""
    store, user = caller(info)
    return store.job(user, id)


@resolver(registry, "query_root.region")
def query_root_region(obj: Any, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                      offset: int | None = None) -> list[Any]:
    """List Cloud regions with their NAT IPs."""
    store, _ = caller(info)
    return select(info, "region", store.regions, where, order_by, limit, offset)


@resolver(registry, "query_root.custom_domain_by_pk")
def query_root_custom_domain_by_pk(obj: Any, info: Any, id: str) -> Any:
    """One custom domain of the caller's tenants, or null."""
    store, user = caller(info)
    domain = store.custom_domains.get(id)
    if domain is None or store.tenant(user, domain.tenant_id) is None:
        return None
    return domain
