"""What the Hasura Cloud resolvers share: the typed registration (``resolver``), the caller, argument
paths for errors, and how ``where``/``order_by``/``limit`` read each table. Binds no field itself."""

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
from mockbi.vendors.hasura_cloud.models import Task, Tenant, User
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

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
    """How ``where``/``order_by`` read each table (relationships stay inside the caller's account), kept by the
    store for the instant ``now`` (the getters read the store's current rows when called)."""
    kept = store.filter_tables
    if kept is None or kept[0] != now:
        store.filter_tables = kept = (now, _tables(store, now))
    schema: Schema = kept[1]
    return schema


def _tables(store: HasuraCloudStore, now: Any) -> Schema:
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


def tenant_env(tenant: Tenant) -> dict[str, Any]:
    return {"hash": tenant.hash, "envVars": envs.env_vars(tenant.environment)}


def task_created(task: Task) -> Any:
    return task.events[0].at


def task_updated(task: Task, now: Any) -> Any:
    return max(e.at for e in task.events if e.at <= now)
