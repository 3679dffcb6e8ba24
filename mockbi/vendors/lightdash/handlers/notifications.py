"""Notifications: the caller's dashboard-comment notifications."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash.errors import NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import people

registry = Registry("lightdash")


@registry.operation("getNotifications")
def get_notifications(store: LightdashStore, req: OpRequest) -> Any:
    """The caller's notifications of one ``type``, newest first."""
    user = me(req)
    rows = [n for n in store.notifications.values()
            if n.userUuid == user.userUuid and n.resourceType == req.query["type"]]
    return [people.notification(n) for n in sorted(rows, key=lambda n: n.createdAt, reverse=True)]


@registry.operation("updateNotification")
def update_notification(store: LightdashStore, req: OpRequest) -> Any:
    """Mark one of the caller's notifications viewed or unviewed."""
    note = store.notifications.get(req.path["notificationId"])
    if note is None or note.userUuid != me(req).userUuid:
        raise NotFoundError("Notification not found")
    note.viewed = bool(body(req)["viewed"])
    return None
