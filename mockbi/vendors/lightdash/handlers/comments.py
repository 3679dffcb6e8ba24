"""Comments on dashboard tiles: threads (one level of replies), resolve, delete, and a notification for
every user a comment mentions."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import ForbiddenError, NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, dashboard_in_path, me
from mockbi.vendors.lightdash.store import PROJECT_ROLES, LightdashStore

registry = Registry("lightdash")


def can_remove(store: LightdashStore, user: m.User, dashboard: m.Dashboard, comment: m.Comment) -> bool:
    """Authors manage their own comments; editors and above manage every comment."""
    if comment.userUuid == user.userUuid:
        return True
    role = store.project_role(user, store.projects[dashboard.projectUuid]) or "viewer"
    return PROJECT_ROLES.index(role) >= PROJECT_ROLES.index("editor")


def comment_view(store: LightdashStore, user: m.User, dashboard: m.Dashboard, c: m.Comment) -> dict[str, Any]:
    author = store.users.get(c.userUuid)
    out: dict[str, Any] = {
        "commentId": c.commentId, "text": c.text, "textHtml": c.textHtml, "createdAt": c.createdAt,
        "user": {"name": f"{author.firstName} {author.lastName}" if author else ""}, "resolved": c.resolved,
        "mentions": list(c.mentions), "canRemove": can_remove(store, user, dashboard, c)}
    if c.replyTo is not None:
        out["replyTo"] = c.replyTo
    return out


def _comment(store: LightdashStore, dashboard: m.Dashboard, comment_id: str) -> m.Comment:
    comment = store.comments.get(comment_id)
    if comment is None or comment.dashboardUuid != dashboard.uuid:
        raise NotFoundError("Comment not found")
    return comment


def _removable_comment(store: LightdashStore, req: OpRequest) -> m.Comment:
    """The comment in the path (404 unless on the path's dashboard), 403 unless the caller may remove it."""
    user = me(req)
    dashboard = dashboard_in_path(store, req)
    comment = _comment(store, dashboard, req.path["commentId"])
    if not can_remove(store, user, dashboard, comment):
        raise ForbiddenError()
    return comment


@registry.operation("createComment")
def create_comment(store: LightdashStore, req: OpRequest) -> Any:
    """Comment on (or reply in a thread on) a tile; mentioned users get a notification. Returns the id."""
    user, data = me(req), body(req)
    dashboard = dashboard_in_path(store, req, project_role="interactive_viewer")
    tile = next((t for t in dashboard.tiles if t["uuid"] == req.path["dashboardTileUuid"]), None)
    if tile is None:
        raise NotFoundError("Dashboard tile not found")
    reply_to = data.get("replyTo")
    if reply_to is not None:
        parent = _comment(store, dashboard, reply_to)
        reply_to = parent.replyTo or parent.commentId
    comment = m.Comment(commentId=store.new_uuid(), dashboardUuid=dashboard.uuid, dashboardTileUuid=tile["uuid"],
                        text=data["text"], textHtml=data["textHtml"], createdAt=store.now_iso(),
                        userUuid=user.userUuid, replyTo=reply_to, mentions=list(data["mentions"]))
    store.comments[comment.commentId] = comment
    title = tile.get("properties", {}).get("title") or tile.get("properties", {}).get("chartName") or ""
    for mentioned in dict.fromkeys(comment.mentions):
        if mentioned == user.userUuid or mentioned not in store.users:
            continue
        note = m.Notification(
            notificationId=store.new_uuid(), userUuid=mentioned, resourceType="dashboardComments",
            resourceUuid=dashboard.uuid, message=f"{user.firstName} {user.lastName} mentioned you in a comment",
            url=f"/projects/{dashboard.projectUuid}/dashboards/{dashboard.uuid}/view", createdAt=comment.createdAt,
            metadata={"dashboardUuid": dashboard.uuid, "dashboardName": dashboard.name,
                      "dashboardTileUuid": tile["uuid"], "dashboardTileName": title})
        store.notifications[note.notificationId] = note
    return comment.commentId


@registry.operation("getComments")
def get_comments(store: LightdashStore, req: OpRequest) -> Any:
    """Open comment threads keyed by tile uuid, oldest first, each with its replies."""
    user = me(req)
    dashboard = dashboard_in_path(store, req)
    rows = sorted((c for c in store.comments.values() if c.dashboardUuid == dashboard.uuid and not c.resolved),
                  key=lambda c: c.createdAt)
    out: dict[str, list[dict[str, Any]]] = {}
    for c in rows:
        if c.replyTo is None:
            thread = comment_view(store, user, dashboard, c)
            thread["replies"] = [comment_view(store, user, dashboard, r) for r in rows if r.replyTo == c.commentId]
            out.setdefault(c.dashboardTileUuid, []).append(thread)
    return out


@registry.operation("resolveComment")
def resolve_comment(store: LightdashStore, req: OpRequest) -> Any:
    """Resolve a thread (its author or an editor): it leaves getComments; ``{"status":"ok"}``."""
    comment = _removable_comment(store, req)
    for c in store.comments.values():
        if c.commentId == comment.commentId or c.replyTo == comment.commentId:
            c.resolved = True
    return None


@registry.operation("deleteComment")
def delete_comment(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a comment and its replies (its author or an editor); ``{"status":"ok"}``."""
    comment = _removable_comment(store, req)
    store.comments = {k: c for k, c in store.comments.items()
                      if k != comment.commentId and c.replyTo != comment.commentId}
    return None
