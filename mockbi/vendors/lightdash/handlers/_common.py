"""Helpers shared by the handler modules: the caller, the body, the chart or dashboard in the path, and
content looked up by slug."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from mockbi.core.messages import OpRequest
from mockbi.vendors.lightdash.auth import Principal
from mockbi.vendors.lightdash.errors import AuthorizationError
from mockbi.vendors.lightdash.models import Dashboard, SavedChart, Space, User

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore

Content = TypeVar("Content", Space, SavedChart, Dashboard)


def me(req: OpRequest) -> User:
    """The authenticated user (operations with auth always have one)."""
    principal = req.principal
    if not isinstance(principal, Principal):
        raise AuthorizationError("Failed to authorize user")
    return principal.user


def body(req: OpRequest) -> dict[str, Any]:
    return req.body if isinstance(req.body, dict) else {}


def require_content(store: LightdashStore, user: User, item: SavedChart | Dashboard, *,
                    project_role: str = "viewer", space_role: str = "viewer") -> None:
    """403 unless ``user`` has ``project_role`` on the item's project and ``space_role`` in its space."""
    store.require_project(user, item.projectUuid, project_role)
    store.require_space(user, store.spaces[item.spaceUuid], space_role)


def chart_in_path(store: LightdashStore, req: OpRequest, *, project_role: str = "viewer",
                  space_role: str = "viewer") -> SavedChart:
    """The saved chart in ``req.path["chartUuid"]`` (uuid or slug): 404 if unknown, 403 unless the caller
    has ``project_role`` on its project and ``space_role`` in its space."""
    user = me(req)
    chart = store.get_chart(req.path["chartUuid"])
    require_content(store, user, chart, project_role=project_role, space_role=space_role)
    return chart


def dashboard_in_path(store: LightdashStore, req: OpRequest, *, project_role: str = "viewer",
                      space_role: str = "viewer") -> Dashboard:
    """The dashboard in ``req.path["dashboardUuid"]`` (uuid or slug), checked like ``chart_in_path``."""
    user = me(req)
    dashboard = store.get_dashboard(req.path["dashboardUuid"])
    require_content(store, user, dashboard, project_role=project_role, space_role=space_role)
    return dashboard


def count_view(store: LightdashStore, item: SavedChart | Dashboard) -> None:
    """One more view of a chart or dashboard; the first one sets ``firstViewedAt``."""
    item.views += 1
    item.firstViewedAt = item.firstViewedAt or store.now_iso()


def by_slug(items: Iterable[Content], project_uuid: str, slug: str) -> Content | None:
    """The space, chart or dashboard of the project with this slug, or None."""
    return next((i for i in items if i.projectUuid == project_uuid and i.slug == slug), None)


def in_project(items: Iterable[Content], project_uuid: str) -> list[Content]:
    """The project's spaces, charts or dashboards, ordered by slug."""
    return sorted((i for i in items if i.projectUuid == project_uuid), key=lambda i: i.slug)
