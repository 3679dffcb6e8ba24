"""Fields of Hasura Cloud's object types that are computed rather than stored: a project's tenant, a
tenant's slug and status, a job's and a task's progress on the injected clock."""

from __future__ import annotations

from typing import Any

from mockbi.core.registry import Registry
from mockbi.vendors.hasura_cloud.models import Job, Project, Task, TaskEvent, Tenant
from mockbi.vendors.hasura_cloud.resolvers._common import resolver, select, task_created, task_updated
from mockbi.vendors.hasura_cloud.scalars import timestamptz_out

registry = Registry("hasura_cloud")


@resolver(registry, "projects.tenant")
def projects_tenant(project: Project, info: Any) -> Tenant | None:
    """The project's tenant."""
    return info.context.store.tenants.get(project.tenant_id)  # type: ignore[no-any-return]


@resolver(registry, "tenant.slug")
def tenant_slug(tenant: Tenant, info: Any) -> str:
    """The project name."""
    return info.context.store.projects[tenant.project_id].name  # type: ignore[no-any-return]


@resolver(registry, "tenant.project")
def tenant_project(tenant: Tenant, info: Any) -> Project:
    """The tenant's project."""
    return info.context.store.projects[tenant.project_id]  # type: ignore[no-any-return]


@resolver(registry, "tenant.config")
def tenant_config(tenant: Tenant, info: Any) -> dict[str, str]:
    """The tenant's config (its env hash)."""
    return {"hash": tenant.hash}


@resolver(registry, "tenant.custom_domains")
def tenant_custom_domains(tenant: Tenant, info: Any, where: Any = None, order_by: Any = None,
                          limit: int | None = None, offset: int | None = None) -> list[Any]:
    """The tenant's custom domains."""
    rows = [d for d in info.context.store.custom_domains.values() if d.tenant_id == tenant.id]
    return select(info, "custom_domain", rows, where, order_by, limit, offset)


@resolver(registry, "tenant.health_status")
def tenant_health_status(tenant: Tenant, info: Any) -> dict[str, Any]:
    """A health summary of the project."""
    return {"status": "healthy" if tenant.active else "inactive", "checked_at": timestamptz_out(info.context.now())}


@resolver(registry, "tenant.status")
def tenant_status(tenant: Tenant, info: Any) -> dict[str, Any]:
    """The tenant's internal status."""
    return {"has_inconsistent_metadata": False, "is_active": tenant.active, "message": tenant.active_status_reason,
            "updated_at": tenant.updated_at}


@resolver(registry, "tenant.tenant_public_status")
def tenant_public_status(tenant: Tenant, info: Any) -> dict[str, Any]:
    """The tenant's public status."""
    project = info.context.store.projects[tenant.project_id]
    return {"endpoint": project.endpoint, "is_active": tenant.active, "message": tenant.active_status_reason}


@resolver(registry, "jobs.status")
def jobs_status(job: Job, info: Any) -> str:
    """The job's status as of now."""
    return job.status_at(info.context.now())


@resolver(registry, "jobs.updated_at")
def jobs_updated_at(job: Job, info: Any) -> Any:
    """When the job last changed (as of now)."""
    return job.updated_at(info.context.now())


@resolver(registry, "jobs.tasks")
def jobs_tasks(job: Job, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
               offset: int | None = None) -> list[Task]:
    """The job's tasks that have started by now."""
    now = info.context.now()
    started = [t for t in job.tasks if t.events and t.events[0].at <= now]
    return select(info, "tasks", started, where, order_by, limit, offset)


@resolver(registry, "tasks.task_events")
def tasks_task_events(task: Task, info: Any, where: Any = None, order_by: Any = None, limit: int | None = None,
                      offset: int | None = None) -> list[TaskEvent]:
    """The task's events that have happened by now."""
    now = info.context.now()
    return select(info, "task_events", [e for e in task.events if e.at <= now], where, order_by, limit, offset)


@resolver(registry, "tasks.created_at")
def tasks_created_at(task: Task, info: Any) -> Any:
    """When the task started."""
    return task_created(task)


@resolver(registry, "tasks.updated_at")
def tasks_updated_at(task: Task, info: Any) -> Any:
    """When the task last changed."""
    return task_updated(task, info.context.now())


@resolver(registry, "task_events.created_at")
def task_events_created_at(event: TaskEvent, info: Any) -> Any:
    """When the event happened."""
    return event.at


@resolver(registry, "task_events.updated_at")
def task_events_updated_at(event: TaskEvent, info: Any) -> Any:
    """When the event happened (events do not change)."""
    return event.at
