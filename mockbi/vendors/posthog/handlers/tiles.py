"""Session-only dashboard actions: move_tile, stream_tiles and create_from_template_json."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.posthog import editing, errors, sse, wire
from mockbi.vendors.posthog.handlers.dashboards import _who
from mockbi.vendors.posthog.models import Dashboard
from mockbi.vendors.posthog.permissions import can_edit
from mockbi.vendors.posthog.store import PostHogStore
from mockbi.vendors.posthog.templates import template_json_validator

registry = Registry("posthog")


@registry.operation("dashboards_move_tile_partial_update")
def dashboards_move_tile_partial_update(store: PostHogStore, req: OpRequest) -> Any:
    """Move {tile:{id}} to toDashboard; returns the source dashboard (200), without the moved tile."""
    who = _who(req)
    source = who.dashboard
    assert source is not None and who.project is not None
    body: dict[str, Any] = req.body or {}
    tile_ref = body.get("tile")
    target_id = body.get("toDashboard", body.get("to_dashboard"))
    if not isinstance(tile_ref, dict) or not isinstance(tile_ref.get("id"), int) or not isinstance(target_id, int):
        raise errors.invalid("Invalid request data for moving tile.")
    tile = store.tiles.get(tile_ref["id"])
    if tile is None or tile.dashboard_id != source.id or tile.deleted:
        raise errors.not_found()
    target = store.dashboards.get(target_id)
    if target is None or target.team_id != who.project.id or target.deleted:
        raise errors.not_found()
    if not can_edit(store, who.user, target):
        raise errors.permission_denied("You don't have edit permissions for the destination dashboard.")
    tile.dashboard_id = target.id
    return wire.dashboard(store, who.user, source)


@registry.operation("dashboards_stream_tiles_retrieve")
def dashboards_stream_tiles_retrieve(store: PostHogStore, req: OpRequest) -> Reply:
    """Server-sent events: metadata (first 2 tiles), one tile event each (order from 2), complete."""
    who = _who(req)
    dashboard = who.dashboard
    assert dashboard is not None
    size = req.query.get("layoutSize") or req.query.get("layout_size") or "sm"
    size = size if size in ("sm", "xs") else "sm"
    dashboard.last_accessed_at = store.now()
    tiles = [wire.tile(store, who.user, t, i) for i, t in enumerate(wire.sorted_tiles(store, dashboard.id, size))]
    body = sse.stream(wire.dashboard(store, who.user, dashboard, tiles=[]), tiles)
    return Reply(body=body, content_type=sse.MEDIA)  # a plain StreamingHttpResponse: no cache headers


@registry.operation("dashboards_create_from_template_json_create")
def dashboards_create_from_template_json_create(store: PostHogStore, req: OpRequest) -> Any:
    """Create from {template: DashboardTemplateJSON}: 200, creation_mode default; schema errors 400 invalid_input."""
    who = _who(req)
    assert who.project is not None
    body = req.body if isinstance(req.body, dict) else {}
    if "template" not in body:
        raise errors.server_error()  # the service indexes request.data["template"]: a KeyError, i.e. a 500
    template = body["template"]
    import jsonschema  # first use only: see templates.template_json_validator

    error = jsonschema.exceptions.best_match(template_json_validator().iter_errors(template))
    if error is not None:
        raise errors.invalid(str(error))
    dashboard = Dashboard(id=store.next_id("dashboard"), team_id=who.project.id, name=None,
                          created_at=store.now(), created_by=who.user.id)
    store.dashboards[dashboard.id] = dashboard
    editing.apply_template(store, dashboard, template, who.user, sample=False)
    return wire.dashboard(store, who.user, dashboard)
