"""Content: a project's pinned list (charts, dashboards and spaces pinned to the home page) and its order."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.handlers._common import me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")

CHART_KEYS = ("uuid", "name", "chartType", "chartKind", "firstViewedAt", "views", "pinnedListUuid",
              "pinnedListOrder", "spaceUuid", "description", "updatedAt", "updatedByUser", "validationErrors",
              "slug", "source")
DASHBOARD_KEYS = ("uuid", "spaceUuid", "description", "name", "views", "firstViewedAt", "pinnedListUuid",
                  "pinnedListOrder", "updatedAt", "updatedByUser", "validationErrors")
SPACE_KEYS = ("projectUuid", "uuid", "name", "isPrivate", "pinnedListUuid", "pinnedListOrder", "organizationUuid",
              "chartCount", "dashboardCount", "access")


def _pick(d: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: d[k] for k in keys if k in d}


def pinned_item(store: LightdashStore, user: m.User, item: m.PinnedItem) -> dict[str, Any] | None:
    """A ``ResourceView*Item`` for one pin, or None if it is gone or the caller cannot see it."""
    if item.type == "chart":
        chart = store.saved_charts.get(item.uuid)
        if chart is None or store.space_role(user, store.spaces[chart.spaceUuid]) is None:
            return None
        return {"type": "chart", "category": "pinned", "data": _pick(content.space_query(store, chart), CHART_KEYS)}
    if item.type == "dashboard":
        dashboard = store.dashboards.get(item.uuid)
        if dashboard is None or store.space_role(user, store.spaces[dashboard.spaceUuid]) is None:
            return None
        return {"type": "dashboard", "category": "pinned",
                "data": _pick(content.dashboard_basic(store, dashboard), DASHBOARD_KEYS)}
    space = store.spaces.get(item.uuid)
    if space is None or store.space_role(user, space) is None:
        return None
    data = _pick(content.space_summary(store, space, user), SPACE_KEYS)
    data["accessListLength"] = len(content.space_access(store, space))
    return {"type": "space", "data": data}


def pinned_items(store: LightdashStore, user: m.User, project_uuid: str, pinned_list_uuid: str,
                 ) -> list[dict[str, Any]]:
    plist = store.pinned_lists.get(pinned_list_uuid)
    if plist is None or plist.projectUuid != project_uuid:
        return []
    views = (pinned_item(store, user, item) for item in sorted(plist.items, key=lambda i: i.order))
    return [v for v in views if v is not None]


@registry.operation("getPinnedItems")
def get_pinned_items(store: LightdashStore, req: OpRequest) -> Any:
    """The pinned charts, dashboards and spaces the caller can see, in pinned order (an unknown list is empty)."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"])
    return pinned_items(store, user, project.projectUuid, req.path["pinnedListUuid"])


@registry.operation("updatePinnedItemsOrder")
def update_pinned_items_order(store: LightdashStore, req: OpRequest) -> Any:
    """Set ``pinnedListOrder`` of pinned items (editors); items not in the list are ignored."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    plist = store.pinned_lists.get(req.path["pinnedListUuid"])
    if plist is not None and plist.projectUuid == project.projectUuid:
        orders = {(o["type"], o["data"].get("uuid")): o["data"].get("pinnedListOrder") for o in req.body}
        for item in plist.items:
            order = orders.get((item.type, item.uuid))
            if isinstance(order, int | float) and not isinstance(order, bool):
                item.order = int(order)
    return pinned_items(store, user, project.projectUuid, req.path["pinnedListUuid"])
