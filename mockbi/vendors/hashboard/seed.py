"""Build the Hashboard world from a scenario (``seeds/hashboard/<scenario>.yaml``); Faker fills the gaps.

Scenario keys: ``projects: [{name, members, datasources, custom_roles, models, metrics, dashboards}]``
(see ``seeds/hashboard/default.yaml``). Resources declared ``code: true`` get the UUIDv3 ids Hashboard gives
resources built from config files; the others get 16-character app ids.
"""

from __future__ import annotations

import uuid
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mockbi.vendors.hashboard.models import PERMISSIONS, Project, Resource

if TYPE_CHECKING:
    from mockbi.vendors.hashboard.store import HashboardStore

NIL = uuid.UUID(int=0)
SYSTEM_ROLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Owner", "Full control of the project, its members and its billing.", PERMISSIONS),
    ("Editor", "Create and edit every resource of the project.", PERMISSIONS[:-1]),
    ("Collaborator Plus", "Explore data, save explorations and edit dashboards.",
     ("READ_DATA_MODEL", "CREATE_SAVED_VIEW", "UPDATE_DASHBOARD", "READ_RAW_DATA")),
    ("Collaborator", "Explore data and save explorations.", ("READ_DATA_MODEL", "CREATE_SAVED_VIEW")),
    ("Viewer", "View dashboards and saved explorations.", ("READ_DATA_MODEL",)),
)
MEMBER_ROLES = ("Editor", "Collaborator Plus", "Collaborator", "Viewer")
#: the one project of the "empty" scenario when its file names none
DEFAULT_EMPTY_PROJECT = MappingProxyType({"name": "Empty Project", "members": 1})


def build_world(store: HashboardStore, data: dict[str, Any], *, empty: bool) -> None:
    projects = data.get("projects") or ([dict(DEFAULT_EMPTY_PROJECT)] if empty else [])
    for spec in projects:
        _project(store, spec)


def _project(store: HashboardStore, spec: dict[str, Any]) -> Project:
    project = store.add_project(str(spec["name"]))
    for source in spec.get("datasources") or []:
        project.datasources.append({"id": store.new_uuid(), "name": source["name"],
                                    "credentials": [{"id": store.new_uuid(), "name": c}
                                                    for c in source.get("credentials", [])]})
    for name, description, permissions in SYSTEM_ROLES:
        store.add_role(project.id, name, description, [{
            "name": f"{name} access", "resources": ["*"], "permissions": list(permissions),
            "datasourceCredentials": []}])
    for role in spec.get("custom_roles") or []:
        store.add_role(project.id, role["name"], role.get("description") or store.faker.sentence(),
                       [], system=False)
    owner = store.add_user(project.id, ["Owner"])
    for _ in range(int(spec.get("members", 1)) - 1):
        store.add_user(project.id, [store.rng.choice(MEMBER_ROLES)])
    models: dict[str, Resource] = {}
    for model in spec.get("models") or []:
        res = _model(store, project, model)
        models[model.get("alias") or res.id] = res
    for metric in spec.get("metrics") or []:
        _metric(store, project, metric, models[metric["model"]])
    for dashboard in spec.get("dashboards") or []:
        _dashboard(store, project, dashboard)
    for role in spec.get("custom_roles") or []:
        _custom_rules(store, project, role, models)
    for role_name, count in (spec.get("custom_role_members") or {}).items():
        for member_id in list(project.members)[1:1 + int(count)]:
            by_name = {store.roles[r].name: r for r in project.role_ids}
            project.members[member_id].append(by_name[role_name])
    store.create_access_key(project.id, owner.id, name="API token", age_days=30)
    return project


def _rid(store: HashboardStore, code: bool, seed: str) -> str:
    return str(uuid.uuid3(NIL, seed)) if code else store.short_id()


LABELS = ("finance", "core", "growth", "product", "ops")


def _metadata(store: HashboardStore, project: Project, code: bool) -> dict[str, Any]:
    """Code-managed resources carry ``resourceMetadata``; the owner is a project member."""
    if not code:
        return {}
    owner = store.users[store.rng.choice(list(project.members))].email
    return {"resourceMetadata": {"labels": [store.rng.choice(LABELS)],
                                 "status": store.rng.choice(["verified", "exploratory"]), "owner": owner}}


def _columns(store: HashboardStore, spec: dict[str, Any]) -> list[dict[str, Any]]:
    alias = spec.get("alias") or "record"
    cols: list[dict[str, Any]] = [
        {"id": f"{alias}_id", "type": "attribute", "name": "ID", "physicalName": "id", "primaryKey": True},
        {"id": "created_at", "type": "datetime", "name": "Created at", "physicalName": "created_at",
         "primaryDate": True},
    ]
    for attr in spec.get("attributes") or [store.faker.unique.word() for _ in range(2)]:
        cols.append({"id": attr, "type": "attribute", "name": attr.replace("_", " ").capitalize(),
                     "physicalName": attr, "description": store.faker.sentence()})
    cols.append({"id": "count", "type": "measure", "name": "Count", "aggregate": "count"})
    cols.append({"id": "total_amount", "type": "metric", "name": "Total amount", "physicalName": "amount",
                 "aggregate": "sum", "formattingOptions": {"currency": "USD"}})
    return cols


def _model(store: HashboardStore, project: Project, spec: dict[str, Any]) -> Resource:
    code = bool(spec.get("code"))
    alias = spec.get("alias")
    rid = _rid(store, code, f"{project.id}|/tmp/repos/{project.id}/models/{alias or spec['name']}.yml")
    connection = project.datasources[0]["name"] if project.datasources else "warehouse"
    cols = _columns(store, spec)
    body = {"description": store.faker.sentence(),
            "source": {"connectionName": connection, "physicalName": spec.get("table", alias or "events"),
                       "schema": spec.get("schema", "analytics")},
            "cols": cols, **_metadata(store, project, code)}
    model, _ = store.upsert_resource(project.id, "model", name=spec["name"], alias=alias, resource_id=rid,
                                     spec=body, views=store.rng.randint(0, 250))
    attributes = [c["id"] for c in cols if c["type"] == "attribute" and not c.get("primaryKey")]
    for sv in spec.get("saved_explorations") or []:
        sv_alias = sv.get("alias")
        data: dict[str, Any] = {"x": "created_at", "y": ["count"], "filters": [],
                                "sort": [{"column": "created_at", "direction": "asc"}], "limit": 500}
        if sv.get("breakout", True) and attributes:
            data["breakout"] = store.rng.choice(attributes)
        sv_body = {"data": data,
                   "visualization": {"chartType": sv.get("chart", "bar"), "legend": True, "showAxisLabels": True},
                   "hidden": False, **_metadata(store, project, code)}
        store.upsert_resource(project.id, "saved_exploration", name=sv["name"], alias=sv_alias,
                              resource_id=_rid(store, code, model.id + (sv_alias or sv["name"])),
                              model=model.key, spec=sv_body, views=store.rng.randint(0, 120))
    return model


def _metric(store: HashboardStore, project: Project, spec: dict[str, Any], model: Resource) -> None:
    code = bool(spec.get("code"))
    alias = spec.get("alias")
    body = {"description": store.faker.sentence(),
            "config": {"metricType": "timeseries", "measureId": spec.get("measure", "total_amount"),
                       "dimensionId": "created_at", "granularity": spec.get("granularity", "week"),
                       "displayOptions": {"comparison": "previous_period"}, "filters": [], "goals": []},
            **_metadata(store, project, code)}
    store.upsert_resource(project.id, "metric", name=spec["name"], alias=alias,
                          resource_id=_rid(store, code, model.id + (alias or spec["name"])),
                          model=model.key, spec=body)


def _dashboard(store: HashboardStore, project: Project, spec: dict[str, Any]) -> None:
    code = bool(spec.get("code"))
    alias = spec.get("alias")
    blocks = [{"type": "savedExploration", "savedExploration": f"sv::{a}", "width": 6}
              for a in spec.get("saved_explorations") or []]
    rows: list[dict[str, Any]] = [{"blocks": [{"type": "markdown", "text": f"## {spec['name']}", "width": 12}]}]
    rows += [{"blocks": blocks[i:i + 2], "height": 4} for i in range(0, len(blocks), 2)]
    body = {"description": store.faker.sentence(), "globalFilters": [],
            "sections": [{"filters": [], "rows": rows}], **_metadata(store, project, code)}
    rid = _rid(store, code, f"{project.id}|/tmp/repos/{project.id}/dashboards/{alias or spec['name']}.yml")
    store.upsert_resource(project.id, "dashboard", name=spec["name"], alias=alias, resource_id=rid, spec=body,
                          views=store.rng.randint(0, 400))


def _custom_rules(store: HashboardStore, project: Project, spec: dict[str, Any],
                  models: dict[str, Resource]) -> None:
    role = next(store.roles[r] for r in project.role_ids if store.roles[r].name == spec["name"])
    grants = []
    for source in project.datasources:
        for cred in source["credentials"]:
            if cred["name"] in (spec.get("credentials") or []):
                grants.append({"datasourceName": source["name"], "datasourceId": source["id"],
                               "credentialName": cred["name"], "credentialId": cred["id"]})
    role.permissionRules.append({
        "name": spec.get("rule", f"{spec['name']} models"),
        "resources": [models[a].key for a in spec.get("models") or []],  # rendered as GRNs when read
        "permissions": list(spec.get("permissions") or ["READ_DATA_MODEL"]),
        "datasourceCredentials": grants})
