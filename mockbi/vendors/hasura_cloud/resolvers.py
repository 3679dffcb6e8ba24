"""Query resolvers and the fields of Hasura Cloud's object types.

Root resolvers first let the store catch up with the clock (``tick``), so a polled job and the project it
creates move together. Rows of another account do not exist for the caller: ``*_by_pk`` answers null.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from mockbi.core.graphql import GraphQLContext
from mockbi.core.registry import Registry
from mockbi.vendors.hasura_cloud import envs
from mockbi.vendors.hasura_cloud.errors import VALIDATION_FAILED, CloudError
from mockbi.vendors.hasura_cloud.filters import Schema, Table
from mockbi.vendors.hasura_cloud.inputs import refuse_nul
from mockbi.vendors.hasura_cloud.models import Job, Project, Task, TaskEvent, Tenant, User
from mockbi.vendors.hasura_cloud.scalars import timestamptz_out
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

resolvers = Registry("hasura_cloud")
F = TypeVar("F", bound=Callable[..., Any])


def resolver(registry: Registry, key: str) -> Callable[[F], F]:
    """``registry.operation(key)`` typed for resolvers (graphql-core passes field arguments as keywords).
    A ``query_root`` field refuses arguments Postgres would refuse (``inputs.refuse_nul``) before it runs."""
    register: Any = registry.operation(key)

    def bind(fn: F) -> F:
        if not key.startswith("query_root."):
            register(fn)
            return fn

        @functools.wraps(fn)
        def checked(obj: Any, info: Any, **args: Any) -> Any:
            refuse_nul(args, action=False)
            return fn(obj, info, **args)

        register(checked)
        return fn

    return bind


def caller(info: Any) -> tuple[HasuraCloudStore, User]:
    """The store (caught up with the clock) and the account behind the token."""
    ctx: GraphQLContext = info.context
    store: HasuraCloudStore = ctx.store
    store.tick()
    return store, ctx.principal


def args_path(info: Any, arg: str) -> str:
    keys = [k for k in info.path.as_list() if isinstance(k, str)]
    return "$" + "".join(f".selectionSet.{k}" for k in keys) + f".args.{arg}"


def tables(store: HasuraCloudStore, now: Any) -> Schema:
    """How ``where``/``order_by`` read each table (relationships stay inside the caller's account)."""
    return Schema([
        Table("projects", {"id": lambda p: p.id, "name": lambda p: p.name, "endpoint": lambda p: p.endpoint,
                           "created_at": lambda p: p.created_at, "updated_at": lambda p: p.updated_at},
              {"tenant": ("tenant", lambda p: store.tenants.get(p.tenant_id))}),
        Table("tenant", {"id": lambda t: t.id, "slug": lambda t: store.projects[t.project_id].name,
                         "cloud": lambda t: t.cloud, "region": lambda t: t.region, "active": lambda t: t.active,
                         "created_at": lambda t: t.created_at, "updated_at": lambda t: t.updated_at},
              {"project": ("projects", lambda t: store.projects.get(t.project_id))}),
        Table("region", {"name": lambda r: r.name, "cloud": lambda r: r.cloud, "nat_ip": lambda r: r.nat_ip,
                         "is_active": lambda r: r.is_active}),
        Table("custom_domain", {"id": lambda d: d.id, "fqdn": lambda d: d.fqdn, "tenant_id": lambda d: d.tenant_id,
                                "created_at": lambda d: d.created_at}),
        Table("tasks", {"id": lambda t: t.id, "name": lambda t: t.name,
                        "created_at": lambda t: task_created(t), "updated_at": lambda t: task_updated(t, now)}),
        Table("task_events", {"id": lambda e: e.id, "event_type": lambda e: e.event_type,
                              "created_at": lambda e: e.at, "updated_at": lambda e: e.at}),
    ])


def select(info: Any, table: str, rows: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
           offset: int | None = None) -> list[Any]:
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and value < 0:
            raise CloudError("unexpected negative value", code=VALIDATION_FAILED, path=args_path(info, name))
    ctx: GraphQLContext = info.context
    return tables(ctx.store, ctx.now()).select(table, rows, where=where, order_by=order_by, limit=limit,
                                               offset=offset)


# --- root queries --------------------------------------------------------------------------------------
@resolver(resolvers, "query_root.projects")
def query_root_projects(obj: Any, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                        offset: int | None = None) -> list[Project]:
    """List the caller's projects (where, order_by, limit, offset)."""
    store, user = caller(info)
    return select(info, "projects", store.visible_projects(user), where, order_by, limit, offset)


@resolver(resolvers, "query_root.projects_by_pk")
def query_root_projects_by_pk(obj: Any, info: Any, id: str) -> Project | None:
    """One project by Project ID, or null."""
    store, user = caller(info)
    return store.project(user, id)


@resolver(resolvers, "query_root.tenant")
def query_root_tenant(obj: Any, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                      offset: int | None = None) -> list[Tenant]:
    """List the caller's tenants (where, order_by, limit, offset)."""
    store, user = caller(info)
    return select(info, "tenant", store.visible_tenants(user), where, order_by, limit, offset)


@resolver(resolvers, "query_root.tenant_by_pk")
def query_root_tenant_by_pk(obj: Any, info: Any, id: str) -> Tenant | None:
    """One tenant by Tenant ID, or null."""
    store, user = caller(info)
    return store.tenant(user, id)


@resolver(resolvers, "query_root.getTenantEnv")
def query_root_get_tenant_env(obj: Any, info: Any, tenantId: str) -> dict[str, Any]:
    """A tenant's env vars and their current hash."""
    store, user = caller(info)
    tenant = store.tenant(user, tenantId)
    if tenant is None:
        raise CloudError(f"tenant {tenantId} does not exist or you do not have access to it")
    return tenant_env(tenant)


@resolver(resolvers, "query_root.jobs_by_pk")
def query_root_jobs_by_pk(obj: Any, info: Any, id: str) -> Job | None:
    """One job (preview-app creation or GitHub deployment) as of now, or null."""
    store, user = caller(info)
    return store.job(user, id)


@resolver(resolvers, "query_root.region")
def query_root_region(obj: Any, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                      offset: int | None = None) -> list[Any]:
    """List Cloud regions with their NAT IPs."""
    store, _ = caller(info)
    return select(info, "region", store.regions, where, order_by, limit, offset)


@resolver(resolvers, "query_root.custom_domain_by_pk")
def query_root_custom_domain_by_pk(obj: Any, info: Any, id: str) -> Any:
    """One custom domain of the caller's tenants, or null."""
    store, user = caller(info)
    domain = store.custom_domains.get(id)
    if domain is None or store.tenant(user, domain.tenant_id) is None:
        return None
    return domain


# --- object fields -------------------------------------------------------------------------------------
def tenant_env(tenant: Tenant) -> dict[str, Any]:
    return {"hash": tenant.hash, "envVars": envs.env_vars(tenant.environment)}


@resolver(resolvers, "projects.tenant")
def projects_tenant(project: Project, info: Any) -> Tenant | None:
    """The project's tenant."""
    return info.context.store.tenants.get(project.tenant_id)  # type: ignore[no-any-return]


@resolver(resolvers, "tenant.slug")
def tenant_slug(tenant: Tenant, info: Any) -> str:
    """The project name."""
    return info.context.store.projects[tenant.project_id].name  # type: ignore[no-any-return]


@resolver(resolvers, "tenant.project")
def tenant_project(tenant: Tenant, info: Any) -> Project:
    """The tenant's project."""
    return info.context.store.projects[tenant.project_id]  # type: ignore[no-any-return]


@resolver(resolvers, "tenant.config")
def tenant_config(tenant: Tenant, info: Any) -> dict[str, str]:
    """The tenant's config (its env hash)."""
    return {"hash": tenant.hash}


@resolver(resolvers, "tenant.custom_domains")
def tenant_custom_domains(tenant: Tenant, info: Any, where: Any = None, order_by: Any = None,
                          limit: int | None = None, offset: int | None = None) -> list[Any]:
    """The tenant's custom domains."""
    rows = [d for d in info.context.store.custom_domains.values() if d.tenant_id == tenant.id]
    return select(info, "custom_domain", rows, where, order_by, limit, offset)


@resolver(resolvers, "tenant.health_status")
def tenant_health_status(tenant: Tenant, info: Any) -> dict[str, Any]:
    """A health summary of the project."""
    return {"status": "healthy" if tenant.active else "inactive", "checked_at": timestamptz_out(info.context.now())}


@resolver(resolvers, "tenant.status")
def tenant_status(tenant: Tenant, info: Any) -> dict[str, Any]:
    """The tenant's internal status."""
    return {"has_inconsistent_metadata": False, "is_active": tenant.active, "message": tenant.active_status_reason,
            "updated_at": tenant.updated_at}


@resolver(resolvers, "tenant.tenant_public_status")
def tenant_public_status(tenant: Tenant, info: Any) -> dict[str, Any]:
    """The tenant's public status."""
    project = info.context.store.projects[tenant.project_id]
    return {"endpoint": project.endpoint, "is_active": tenant.active, "message": tenant.active_status_reason}


@resolver(resolvers, "jobs.status")
def jobs_status(job: Job, info: Any) -> str:
    """The job's status as of now."""
    return job.status_at(info.context.now())


@resolver(resolvers, "jobs.updated_at")
def jobs_updated_at(job: Job, info: Any) -> Any:
    """When the job last changed (as of now)."""
    return job.updated_at(info.context.now())


@resolver(resolvers, "jobs.tasks")
def jobs_tasks(job: Job, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
               offset: int | None = None) -> list[Task]:
    """The job's tasks that have started by now."""
    now = info.context.now()
    started = [t for t in job.tasks if t.events and t.events[0].at <= now]
    return select(info, "tasks", started, where, order_by, limit, offset)


def task_created(task: Task) -> Any:
    return task.events[0].at


def task_updated(task: Task, now: Any) -> Any:
    return max(e.at for e in task.events if e.at <= now)


@resolver(resolvers, "tasks.task_events")
def tasks_task_events(task: Task, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                      offset: int | None = None) -> list[TaskEvent]:
    """The task's events that have happened by now."""
    now = info.context.now()
    return select(info, "task_events", [e for e in task.events if e.at <= now], where, order_by, limit, offset)


@resolver(resolvers, "tasks.created_at")
def tasks_created_at(task: Task, info: Any) -> Any:
    """When the task started."""
    return task_created(task)


@resolver(resolvers, "tasks.updated_at")
def tasks_updated_at(task: Task, info: Any) -> Any:
    """When the task last changed."""
    return task_updated(task, info.context.now())


@resolver(resolvers, "task_events.created_at")
def task_events_created_at(event: TaskEvent, info: Any) -> Any:
    """When the event happened."""
    return event.at


@resolver(resolvers, "task_events.updated_at")
def task_events_updated_at(event: TaskEvent, info: Any) -> Any:
    """When the event happened (events do not change)."""
    return event.at
