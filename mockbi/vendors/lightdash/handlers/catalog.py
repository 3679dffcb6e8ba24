"""Catalog: the project's indexed tables and fields (search, metadata, chart usage), the metrics
catalog, categories and icons on catalog items, and the metrics tree.

The index is derived from the data plane on every read: one table item per explore's base table and
one field item per visible dimension (interval children left out) and metric of it. Metric items keep
the data plane's ``catalogSearchUuid``; tables and dimensions get a stable uuid5 of (project, table,
field), so every id survives a reset. ``chartUsage`` counts the project's saved charts that use the field;
``categories`` and ``icon`` come from the store (``catalog_categories``, ``catalog_icons``).
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash.dataplane import DataPlane
from mockbi.vendors.lightdash.dataplane.metrics import search_catalog
from mockbi.vendors.lightdash.errors import AlreadyExistsError, NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.handlers._dataplane import project_plane, translated
from mockbi.vendors.lightdash.pagination import page_args
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")

#: editing categories, icons and the metrics tree needs ``manage Tags`` / ``manage MetricsTree``
EDIT_ROLE = "editor"


def _search_uuid(project_uuid: str, *parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(("lightdash-catalog", project_uuid, *parts))))


def _usage(store: LightdashStore, project_uuid: str) -> dict[str, list[Any]]:
    """fieldId -> saved charts of the project that use it (as a dimension or a metric)."""
    usage: dict[str, list[Any]] = {}
    for chart in store.saved_charts.values():
        if chart.projectUuid != project_uuid:
            continue
        query = chart.metricQuery
        for fid in {*query.get("dimensions", []), *query.get("metrics", [])}:
            usage.setdefault(fid, []).append(chart)
    return usage


def _decorate(store: LightdashStore, item: dict[str, Any]) -> dict[str, Any]:
    tags = [store.tags[t] for t in store.catalog_categories.get(item["catalogSearchUuid"], []) if t in store.tags]
    item["categories"] = [{"name": t.name, "color": t.color, "tagUuid": t.tagUuid} for t in tags]
    item["icon"] = copy.deepcopy(store.catalog_icons.get(item["catalogSearchUuid"]))
    return item


def catalog_items(store: LightdashStore, project_uuid: str, plane: DataPlane) -> list[dict[str, Any]]:
    """Every table and field item of the project's catalog, decorated with categories, icon and usage."""
    usage = _usage(store, project_uuid)
    metric_uuids = {(e["tableName"], e["name"]): e["catalogSearchUuid"] for e in plane.catalog}
    items: list[dict[str, Any]] = []
    for explore in plane.explores.values():
        table = explore["tables"].get(explore["baseTable"])
        if table is None or explore.get("errors"):
            continue
        name = explore["baseTable"]
        table_item: dict[str, Any] = {
            "name": name, "label": table.get("label", name), "description": table.get("description", ""),
            "requiredAttributes": copy.deepcopy(table.get("requiredAttributes") or {}),
            "chartUsage": sum(len(c) for f, c in usage.items() if f.startswith(f"{name}_")),
            "joinedTables": copy.deepcopy(explore.get("joinedTables", [])), "tags": list(explore.get("tags", [])),
            "type": "table", "catalogSearchUuid": _search_uuid(project_uuid, name)}
        if explore.get("groupLabel"):
            table_item["groupLabel"] = explore["groupLabel"]
        items.append(_decorate(store, table_item))
        fields = [*table.get("dimensions", {}).values(), *table.get("metrics", {}).values()]
        for field in fields:
            if field.get("hidden") or field.get("timeIntervalBaseDimensionName"):
                continue
            is_metric = field.get("fieldType") == "metric"
            search_uuid = metric_uuids.get((name, field["name"])) if is_metric else None
            item: dict[str, Any] = {
                "name": field["name"], "label": field.get("label", field["name"]),
                "fieldType": field.get("fieldType", "dimension"), "tableLabel": field.get("tableLabel", ""),
                "description": field.get("description", ""),
                "requiredAttributes": copy.deepcopy(field.get("requiredAttributes") or {}),
                "chartUsage": len(usage.get(f"{name}_{field['name']}", [])), "tags": list(explore.get("tags", [])),
                "tableName": name, "basicType": "number" if is_metric else field.get("type", "string"),
                "type": "field", "catalogSearchUuid": search_uuid or _search_uuid(project_uuid, name, field["name"])}
            if explore.get("groupLabel"):
                item["tableGroupLabel"] = explore["groupLabel"]
            items.append(_decorate(store, item))
    return items


def _item(store: LightdashStore, req: OpRequest, minimum: str = EDIT_ROLE) -> dict[str, Any]:
    project, plane = project_plane(store, req, minimum)
    search_uuid = req.path["catalogSearchUuid"]
    found = next((i for i in catalog_items(store, project.projectUuid, plane)
                  if i["catalogSearchUuid"] == search_uuid), None)
    if found is None:
        raise NotFoundError(f"Catalog item with uuid {search_uuid} not found")
    return found


def _base_table(plane: DataPlane, explore_name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The explore (404 NotExistsError if unknown) and its base table (``{}`` if it has none)."""
    with translated():
        explore = plane.get_explore(explore_name)
    return explore, explore["tables"].get(explore["baseTable"], {})


def _matches(item: dict[str, Any], needle: str) -> bool:
    return any(needle in str(item.get(k) or "").lower() for k in ("name", "label", "description"))


@registry.operation("getCatalog")
def get_catalog(store: LightdashStore, req: OpRequest) -> Any:
    """Catalog tables and fields, narrowed by ``search``, ``type`` (table|field) and ``filter``."""
    project, plane = project_plane(store, req)
    items = catalog_items(store, project.projectUuid, plane)
    search, kind, narrow = req.query.get("search"), req.query.get("type"), req.query.get("filter")
    if search:
        items = [i for i in items if _matches(i, search.lower())]
    if kind:
        items = [i for i in items if i["type"] == kind]
    if narrow == "tables":
        items = [i for i in items if i["type"] == "table"]
    elif narrow in ("dimensions", "metrics"):
        items = [i for i in items if i.get("fieldType") == narrow[:-1]]
    return items


@registry.operation("getMetadata")
def get_metadata(store: LightdashStore, req: OpRequest) -> Any:
    """A table's catalog metadata: label, description, joined tables and its fields."""
    project, plane = project_plane(store, req)
    explore, base = _base_table(plane, req.path["table"])
    fields = [i for i in catalog_items(store, project.projectUuid, plane)
              if i["type"] == "field" and i["tableName"] == explore["baseTable"]]
    return {"name": explore["name"], "label": explore.get("label", explore["name"]),
            "description": base.get("description", ""), "modelName": explore["baseTable"],
            "source": explore.get("sqlPath", ""), "joinedTables": [j["table"] for j in explore["joinedTables"]],
            "fields": fields}


def _chart_refs(store: LightdashStore, charts: list[Any]) -> dict[str, list[dict[str, Any]]]:
    out = []
    for chart in charts:
        space = store.spaces[chart.spaceUuid]
        dashboard = store.dashboards.get(chart.dashboardUuid or "")
        out.append({"uuid": chart.uuid, "name": chart.name, "spaceUuid": space.uuid, "spaceName": space.name,
                    "dashboardUuid": chart.dashboardUuid, "dashboardName": dashboard.name if dashboard else None,
                    "chartKind": content.chart_kind(chart)})
    return {"charts": out}


@registry.operation("getAnalytics")
def get_analytics(store: LightdashStore, req: OpRequest) -> Any:
    """The saved charts built on a table's explore."""
    project, plane = project_plane(store, req)
    with translated():
        plane.get_explore(req.path["table"])
    charts = [c for c in store.saved_charts.values()
              if c.projectUuid == project.projectUuid and c.tableName == req.path["table"]]
    return _chart_refs(store, charts)


@registry.operation("getAnalyticsField")
def get_analytics_field(store: LightdashStore, req: OpRequest) -> Any:
    """The saved charts that use one field of a table (as a dimension or a metric)."""
    project, plane = project_plane(store, req)
    with translated():
        plane.get_explore(req.path["table"])
    field = req.path["field"]
    fid = field if field.startswith(f"{req.path['table']}_") else f"{req.path['table']}_{field}"
    return _chart_refs(store, _usage(store, project.projectUuid).get(fid, []))


@registry.operation("getMetricsCatalog")
def get_metrics_catalog(store: LightdashStore, req: OpRequest) -> Any:
    """The metrics catalog: search, sort/order, category filter, Knex pagination (page and pageSize)."""
    project, plane = project_plane(store, req)
    q = req.query
    items = [i for i in catalog_items(store, project.projectUuid, plane) if i.get("fieldType") == "metric"]
    wanted = set(q.get("categories") or [])
    if wanted:
        items = [i for i in items if any(c["tagUuid"] in wanted or c["name"] in wanted for c in i["categories"])]
    page, size = page_args(q) or (None, None)
    with translated():
        return search_catalog(items, search=q.get("search"), sort=q.get("sort"), order=q.get("order"),
                              page=page, page_size=size)


@registry.operation("getMetric")
def get_metric(store: LightdashStore, req: OpRequest) -> Any:
    """One metric with its default and available time dimensions."""
    _, plane = project_plane(store, req)
    with translated():
        return plane.metric(req.path["tableName"], req.path["metricName"])


@registry.operation("getMetricsWithTimeDimensions")
def get_metrics_with_time_dimensions(store: LightdashStore, req: OpRequest) -> Any:
    """Every metric that has a time dimension (what the metrics explorer can chart)."""
    _, plane = project_plane(store, req)
    return plane.metrics_with_time_dimensions()


@registry.operation("getSegmentDimensions")
def get_segment_dimensions(store: LightdashStore, req: OpRequest) -> Any:
    """The string and boolean dimensions of a table a metric can be segmented by."""
    _, plane = project_plane(store, req)
    _, base = _base_table(plane, req.path["tableName"])
    return [d for d in base.get("dimensions", {}).values()
            if not d.get("hidden") and d.get("type") in ("string", "boolean")]


@registry.operation("getMetricsTree")
def get_metrics_tree(store: LightdashStore, req: OpRequest) -> Any:
    """The metrics tree edges touching any of ``metricUuids``."""
    project, plane = project_plane(store, req)
    wanted = set(req.query.get("metricUuids") or [])
    nodes = {i["catalogSearchUuid"]: {"catalogSearchUuid": i["catalogSearchUuid"], "name": i["name"],
                                      "tableName": i["tableName"]}
             for i in catalog_items(store, project.projectUuid, plane) if i.get("fieldType") == "metric"}
    edges = []
    for source, target, created_at, by in store.metrics_tree_edges.get(project.projectUuid, []):
        if (source in wanted or target in wanted) and source in nodes and target in nodes:
            edges.append({"source": nodes[source], "target": nodes[target], "createdAt": created_at,
                          "createdByUserUuid": by, "projectUuid": project.projectUuid})
    return {"edges": edges}


@registry.operation("createMetricsTreeEdge")
def create_metrics_tree_edge(store: LightdashStore, req: OpRequest) -> Any:
    """Link two metrics in the metrics tree (source -> target)."""
    project, plane = project_plane(store, req, EDIT_ROLE)
    data = body(req)
    source, target = data["sourceCatalogSearchUuid"], data["targetCatalogSearchUuid"]
    metrics = {i["catalogSearchUuid"] for i in catalog_items(store, project.projectUuid, plane)
               if i.get("fieldType") == "metric"}
    for search_uuid in (source, target):
        if search_uuid not in metrics:
            raise NotFoundError(f"Catalog item with uuid {search_uuid} not found")
    edges = store.metrics_tree_edges.setdefault(project.projectUuid, [])
    if any(e[0] == source and e[1] == target for e in edges):
        raise AlreadyExistsError("Edge already exists")
    edges.append((source, target, store.now_iso(), me(req).userUuid))
    return None


@registry.operation("deleteMetricsTreeEdge")
def delete_metrics_tree_edge(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a metrics tree edge (nothing to remove is fine)."""
    project, _ = project_plane(store, req, EDIT_ROLE)
    source, target = req.path["sourceCatalogSearchUuid"], req.path["targetCatalogSearchUuid"]
    edges = store.metrics_tree_edges.get(project.projectUuid, [])
    store.metrics_tree_edges[project.projectUuid] = [e for e in edges if not (e[0] == source and e[1] == target)]
    return None


@registry.operation("addCategoryToCatalogItem")
def add_category_to_catalog_item(store: LightdashStore, req: OpRequest) -> Any:
    """Tag a catalog item with one of the project's tags (a category)."""
    item = _item(store, req)
    tag = store.tags.get(body(req)["tagUuid"])
    if tag is None or tag.projectUuid != req.path["projectUuid"]:
        raise NotFoundError(f"Tag with uuid {body(req)['tagUuid']} not found")
    tags = store.catalog_categories.setdefault(item["catalogSearchUuid"], [])
    if tag.tagUuid not in tags:
        tags.append(tag.tagUuid)
    return None


@registry.operation("removeCategoryFromCatalogItem")
def remove_category_from_catalog_item(store: LightdashStore, req: OpRequest) -> Any:
    """Remove a category from a catalog item."""
    item = _item(store, req)
    tags = store.catalog_categories.get(item["catalogSearchUuid"], [])
    store.catalog_categories[item["catalogSearchUuid"]] = [t for t in tags if t != req.path["tagUuid"]]
    return None


@registry.operation("updateCatalogItemIcon")
def update_catalog_item_icon(store: LightdashStore, req: OpRequest) -> Any:
    """Set (or clear, with ``null``) a catalog item's emoji or custom icon."""
    item = _item(store, req)
    store.catalog_icons[item["catalogSearchUuid"]] = copy.deepcopy(body(req)["icon"])
    return None

