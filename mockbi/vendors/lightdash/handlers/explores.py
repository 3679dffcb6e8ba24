"""Explores: list, fetch and deploy a project's explores, and compile a metric query to SQL."""

from __future__ import annotations

import copy
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash.dataplane.metrics import catalog_fields
from mockbi.vendors.lightdash.handlers._common import body
from mockbi.vendors.lightdash.handlers._dataplane import EXPLORE_ROLE, project_plane, translated
from mockbi.vendors.lightdash.store import LightdashStore

registry = Registry("lightdash")


@registry.operation("SetExplores")
def set_explores(store: LightdashStore, req: OpRequest) -> Any:
    """Replace the project's explores (the CLI deploy); entries without a ``name`` are ignored."""
    project, plane = project_plane(store, req, "developer")
    explores = [copy.deepcopy(e) for e in (req.body or []) if isinstance(e, dict) and isinstance(e.get("name"), str)]
    for explore in explores:  # an ExploreError may come without tables
        if not isinstance(explore.get("tables"), dict):
            explore["tables"] = {}
        explore.setdefault("baseTable", explore["name"])
    project.explores = copy.deepcopy(explores)
    plane.set_explores(explores)
    plane.catalog = catalog_fields(plane.explores, store.rng)  # the deploy re-indexes the catalog
    return None


@registry.operation("GetExplores")
def get_explores(store: LightdashStore, req: OpRequest) -> Any:
    """Summaries of the project's explores (name, label, tags, database and schema)."""
    _, plane = project_plane(store, req)
    return plane.list_explores()


@registry.operation("GetExplore")
def get_explore(store: LightdashStore, req: OpRequest) -> Any:
    """One compiled explore with its tables, dimensions, metrics and joins; 404 NotExistsError if unknown."""
    _, plane = project_plane(store, req)
    with translated():
        return plane.get_explore(req.path["exploreId"])


@registry.operation("CompileQuery")
def compile_query(store: LightdashStore, req: OpRequest) -> Any:
    """The SQL Lightdash would send to the warehouse for a metric query."""
    _, plane = project_plane(store, req, EXPLORE_ROLE)
    with translated():
        return plane.compile(req.path["exploreId"], body(req), now=store.now())
