"""Arranging a Hashboard world at runtime (``mockbi.arrange("hashboard", {...})``, ``POST
/__mockbi/hashboard/arrange``) with the keys of ``seeds/hashboard/*.yaml``:

``projects``      ``[{name, members?, datasources?, custom_roles?, models?, metrics?, dashboards?}]``: new projects
``models``        ``[{name, alias?, table?, schema?, code?, attributes?, saved_explorations?}]``  into ``project_id``
``metrics``       ``[{name, model: alias, alias?, code?, measure?, granularity?}]``                into ``project_id``
``dashboards``    ``[{name, alias?, code?, saved_explorations?: [alias]}]``                        into ``project_id``
``resources``     ``[{type, name?, alias?, id?, model?, spec?, viewsLastTwoWeeks?}]``: create or update one
                  resource, as ``POST /__mockbi/hashboard/resources`` does
``access_keys``   ``[{user_id?, name?, age_days?, valid_days?}]``

``project_id`` (default: the first project) says where models, metrics, dashboards, resources and keys go.
"""

from __future__ import annotations

from typing import Any

from mockbi.core.errors import ConfigError
from mockbi.vendors.hashboard.models import Project, Resource
from mockbi.vendors.hashboard.seed import _dashboard, _metric, _model, _project
from mockbi.vendors.hashboard.store import HashboardStore

KEYS = ("project_id", "projects", "models", "metrics", "dashboards", "resources", "access_keys")
RESOURCE_KEYS = ("type", "name", "alias", "id", "model", "spec", "viewsLastTwoWeeks")


def _target(store: HashboardStore, fragment: dict[str, Any]) -> Project:
    project_id = fragment.get("project_id") or next(iter(store.projects), None)
    project = store.projects.get(str(project_id)) if project_id else None
    if project is None:
        raise ConfigError(f"hashboard arrange: no project {project_id!r}")
    return project


def _model_of(store: HashboardStore, project: Project, made: dict[str, Resource], alias: Any) -> Resource:
    return made.get(str(alias)) or store.resolve_ref(project, f"m::{alias}", "model")


def arrange(store: HashboardStore, fragment: dict[str, Any]) -> None:
    unknown = sorted(set(fragment) - set(KEYS))
    if unknown:
        raise ConfigError(f"hashboard arrange: unknown key(s) {unknown}; use {', '.join(KEYS)}")
    for spec in fragment.get("projects") or []:
        _project(store, spec)
    if not any(fragment.get(k) for k in KEYS[2:]):
        return
    project = _target(store, fragment)
    made: dict[str, Resource] = {}
    for spec in fragment.get("models") or []:
        res = _model(store, project, spec)
        made[spec.get("alias") or res.id] = res
    for spec in fragment.get("metrics") or []:
        _metric(store, project, spec, _model_of(store, project, made, spec["model"]))
    for spec in fragment.get("dashboards") or []:
        _dashboard(store, project, spec)
    for spec in fragment.get("resources") or []:
        extra = sorted(set(spec) - set(RESOURCE_KEYS))
        if extra:
            raise ConfigError(f"hashboard arrange: unknown resource field(s) {extra}")
        store.upsert_resource(project.id, str(spec.get("type", "")), name=spec.get("name"), alias=spec.get("alias"),
                              resource_id=spec.get("id"), model=spec.get("model"), spec=spec.get("spec"),
                              views=spec.get("viewsLastTwoWeeks"))
    for spec in fragment.get("access_keys") or []:
        store.create_access_key(project.id, spec.get("user_id"), name=spec.get("name", "API token"),
                                age_days=spec.get("age_days", 0), valid_days=spec.get("valid_days", 365))
