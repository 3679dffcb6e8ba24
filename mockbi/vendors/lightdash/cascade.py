"""Deletes that cascade, so a removed record disappears from every list and relation that named it
(pins, dashboard tiles, schedulers and their logs, comments, validations, access grants, tokens...).

Functions of the store rather than methods, to keep ``store.py`` to lookups, access checks and auth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore


def unpin(store: LightdashStore, item_uuid: str) -> None:
    """Remove a chart, dashboard or space from every pinned list."""
    for plist in store.pinned_lists.values():
        plist.items = [i for i in plist.items if i.uuid != item_uuid]


def delete_chart(store: LightdashStore, chart_uuid: str) -> None:
    """A chart, its dashboard tiles, pins, schedulers and validation results."""
    chart = store.saved_charts.pop(chart_uuid)
    unpin(store, chart_uuid)
    for dashboard in store.dashboards.values():
        dashboard.tiles = [t for t in dashboard.tiles
                           if t.get("properties", {}).get("savedChartUuid") != chart.uuid]
    for sched in [s for s in store.schedulers.values() if s.savedChartUuid == chart_uuid]:
        delete_scheduler(store, sched.schedulerUuid)
    store.validations = {k: v for k, v in store.validations.items() if v.chartUuid != chart_uuid}


def delete_dashboard(store: LightdashStore, dashboard_uuid: str) -> None:
    """A dashboard, the charts saved in it, its pins, schedulers, comments and validation results."""
    store.dashboards.pop(dashboard_uuid)
    unpin(store, dashboard_uuid)
    for chart in [c for c in store.saved_charts.values() if c.dashboardUuid == dashboard_uuid]:
        delete_chart(store, chart.uuid)
    for sched in [s for s in store.schedulers.values() if s.dashboardUuid == dashboard_uuid]:
        delete_scheduler(store, sched.schedulerUuid)
    store.comments = {k: c for k, c in store.comments.items() if c.dashboardUuid != dashboard_uuid}
    store.validations = {k: v for k, v in store.validations.items() if v.dashboardUuid != dashboard_uuid}


def delete_space(store: LightdashStore, space_uuid: str) -> None:
    """A space with its pins and every dashboard and chart in it."""
    store.spaces.pop(space_uuid)
    unpin(store, space_uuid)
    for dashboard in [d for d in store.dashboards.values() if d.spaceUuid == space_uuid]:
        delete_dashboard(store, dashboard.uuid)
    for chart in [c for c in store.saved_charts.values() if c.spaceUuid == space_uuid]:
        delete_chart(store, chart.uuid)


def delete_scheduler(store: LightdashStore, scheduler_uuid: str) -> None:
    """A scheduler and its logs (unknown uuids are ignored)."""
    store.schedulers.pop(scheduler_uuid, None)
    store.scheduler_logs = [log for log in store.scheduler_logs if log.schedulerUuid != scheduler_uuid]


def delete_group(store: LightdashStore, group_uuid: str) -> None:
    """A group and its access to projects, spaces and user attributes."""
    store.groups.pop(group_uuid)
    for project in store.projects.values():
        project.groupAccess.pop(group_uuid, None)
    for space in store.spaces.values():
        space.groupAccess.pop(group_uuid, None)
    for attribute in store.user_attributes.values():
        attribute.groups.pop(group_uuid, None)


def delete_project(store: LightdashStore, project_uuid: str) -> None:
    """A project with its spaces (and their content), pinned list, tags and validation results."""
    for space in [s for s in store.spaces.values() if s.projectUuid == project_uuid]:
        delete_space(store, space.uuid)
    project = store.projects.pop(project_uuid)
    store.pinned_lists.pop(project.pinnedListUuid or "", None)
    store.tags = {k: t for k, t in store.tags.items() if t.projectUuid != project_uuid}
    store.validations = {k: v for k, v in store.validations.items() if v.projectUuid != project_uuid}
    for org in store.organizations.values():
        if org.defaultProjectUuid == project_uuid:
            org.defaultProjectUuid = None


def delete_user(store: LightdashStore, user_uuid: str) -> None:
    """A user with memberships, access grants, tokens, sessions, notifications and credentials."""
    store.users.pop(user_uuid)
    for group in store.groups.values():
        if user_uuid in group.memberUuids:
            group.memberUuids.remove(user_uuid)
    for project in store.projects.values():
        project.members.pop(user_uuid, None)
    for space in store.spaces.values():
        space.access.pop(user_uuid, None)
    for attribute in store.user_attributes.values():
        attribute.users.pop(user_uuid, None)
    store.tokens = {k: t for k, t in store.tokens.items() if t.userUuid != user_uuid}
    store.sessions = {k: u for k, u in store.sessions.items() if u != user_uuid}
    store.notifications = {k: n for k, n in store.notifications.items() if n.userUuid != user_uuid}
    store.warehouse_credentials = {k: c for k, c in store.warehouse_credentials.items()
                                  if c.userUuid != user_uuid}
