"""Arranging a Lightdash world at runtime (``mockbi.arrange("lightdash", {...})``, ``POST
/__mockbi/lightdash/arrange``).

Lightdash's world is built in code (``seed.py``; a scenario file, ``seeds/lightdash/default.yaml`` included,
only sets ``organization_name``, ``admin``, ``members``, ``charts_per_space`` and the warehouse), so a
fragment is not in the scenario format; it takes these keys, applied in this order, built the way the
seeded records are:

``users``       ``[{first_name, last_name, email?, role?: viewer, password?, token?: false}]``: organization
                members (``token: true`` also issues a personal access token)
``spaces``      ``[{name, private?: false, project?: uuid}]`` (default: the default project)
``charts``      ``[{name, space: name|uuid, explore?: orders, dimensions?, metrics?, kind?: cartesian}]``
``dashboards``  ``[{name, space: name|uuid, charts?: [name|uuid], tabs?: false}]``

Records are created by the organization's admin; a space, chart or dashboard is looked up in the project
of the record that names it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from mockbi.core.errors import ConfigError
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.seed import _chart, _dashboard, _space, _user
from mockbi.vendors.lightdash.store import PROJECT_ROLES, LightdashStore

KEYS = ("users", "spaces", "charts", "dashboards")
DEFAULT_CHART = ("orders", ["orders_status"], ["orders_total_order_amount"])


Named = TypeVar("Named", m.Space, m.SavedChart)


def _named(items: dict[str, Named], project: m.Project, ref: Any, kind: str) -> Named:
    """A space or chart of ``project`` by uuid, else by name."""
    found = items.get(str(ref))
    if found is None or found.projectUuid != project.projectUuid:
        found = next((i for i in items.values() if i.projectUuid == project.projectUuid and i.name == ref), None)
    if found is None:
        raise ConfigError(f"lightdash arrange: no {kind} {ref!r} in project {project.name!r}")
    return found


def _users(store: LightdashStore, specs: list[dict[str, Any]]) -> None:
    org = store.organization()
    for spec in specs:
        role = spec.get("role", "viewer")
        if role not in (*PROJECT_ROLES, "member"):
            raise ConfigError(f"lightdash arrange: role must be one of member, {', '.join(PROJECT_ROLES)}")
        if spec.get("email") and any(u.email == spec["email"] for u in store.users.values()):
            raise ConfigError(f"lightdash arrange: a user with email {spec['email']!r} exists")
        user = _user(store, org, str(spec["first_name"]), str(spec["last_name"]), role, store.now_iso(),
                     email=spec.get("email"), password=spec.get("password"))
        if spec.get("token"):
            store.issue_token(user.userUuid, f"{user.firstName}'s token")


def arrange(store: LightdashStore, fragment: dict[str, Any]) -> None:
    unknown = sorted(set(fragment) - set(KEYS))
    if unknown:
        raise ConfigError(f"lightdash arrange: unknown key(s) {unknown}; use {', '.join(KEYS)}")
    admin = store.get_user(store.admin_uuid)
    _users(store, fragment.get("users") or [])
    for spec in fragment.get("spaces") or []:
        project = store.get_project(str(spec.get("project") or store.default_project_uuid))
        _space(store, project, admin, str(spec["name"]), bool(spec.get("private", False)))
    for spec in fragment.get("charts") or []:
        project = store.get_project(str(spec.get("project") or store.default_project_uuid))
        explore, dimensions, metrics = DEFAULT_CHART
        _chart(store, project, _named(store.spaces, project, spec["space"], "space"), admin, str(spec["name"]),
               str(spec.get("explore", explore)), list(spec.get("dimensions", dimensions)),
               list(spec.get("metrics", metrics)), str(spec.get("kind", "cartesian")))
    for spec in fragment.get("dashboards") or []:
        project = store.get_project(str(spec.get("project") or store.default_project_uuid))
        charts = [_named(store.saved_charts, project, ref, "chart") for ref in spec.get("charts") or []]
        space = _named(store.spaces, project, spec["space"], "space")
        _dashboard(store, project, space, admin, str(spec["name"]), charts, tabs=bool(spec.get("tabs", False)))
