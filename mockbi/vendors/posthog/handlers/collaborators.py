"""Dashboard collaborators (explicit edit access on restricted dashboards)."""

from __future__ import annotations

import uuid
from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.posthog import errors, wire
from mockbi.vendors.posthog.handlers.dashboards import _who
from mockbi.vendors.posthog.models import EVERYONE_CAN_EDIT, ONLY_COLLABORATORS_CAN_EDIT, Collaborator
from mockbi.vendors.posthog.permissions import can_restrict, effective_restriction_level
from mockbi.vendors.posthog.store import PostHogStore

registry = Registry("posthog")


def _wire(store: PostHogStore, c: Collaborator) -> dict[str, Any]:
    return {"id": c.id, "dashboard_id": c.dashboard_id, "user": wire.user_basic(store, c.user_id), "level": c.level,
            "added_at": wire.ts(c.added_at), "updated_at": wire.ts(c.updated_at)}


@registry.operation("dashboards_collaborators_list")
def dashboards_collaborators_list(store: PostHogStore, req: OpRequest) -> Any:
    """A plain array of the dashboard's collaborators (active users only)."""
    dashboard = _who(req).dashboard
    assert dashboard is not None
    return [_wire(store, c) for c in store.collaborators.values()
            if c.dashboard_id == dashboard.id and store.users[c.user_id].is_active]


@registry.operation("dashboards_collaborators_create")
def dashboards_collaborators_create(store: PostHogStore, req: OpRequest) -> Reply:
    """Add edit access (level 37) for a project member on a restricted dashboard (201)."""
    who = _who(req)
    dashboard = who.dashboard
    assert dashboard is not None and who.project is not None
    body: dict[str, Any] = req.body or {}
    # field errors first, in the serializer's field order: level (a model field without default, so
    # required) comes before user_uuid; then the serializer's validate()
    for name in ("level", "user_uuid"):
        if body.get(name) is None:
            raise errors.invalid("This field is required." if name not in body else "This field may not be null.",
                                   name, "required" if name not in body else "null")
    try:
        wanted = str(uuid.UUID(str(body["user_uuid"])))
    except ValueError:
        raise errors.invalid("Must be a valid UUID.", "user_uuid") from None
    if effective_restriction_level(store, dashboard) <= EVERYONE_CAN_EDIT:
        raise errors.invalid("Cannot add collaborators to a dashboard on the lowest restriction level.")
    level = body["level"]
    if level != ONLY_COLLABORATORS_CAN_EDIT:
        raise errors.invalid("Only edit access can be explicitly specified currently.")
    user = store.user_by_uuid(wanted)
    if user is None or not user.is_active:
        raise errors.invalid("User does not exist.")
    if not store.is_member(user, who.project):
        raise errors.invalid("Cannot add collaborators that have no access to the project.")
    if can_restrict(store, user, dashboard):
        raise errors.invalid("Cannot add collaborators that already have inherent access "
                               "(the dashboard owner or a project admins).")
    if store.collaborator(dashboard.id, user.id) is not None:
        raise errors.invalid("User already is a collaborator.")
    now = store.now()
    record = Collaborator(id=store.new_uuid(), dashboard_id=dashboard.id, user_id=user.id, level=level,
                          added_at=now, updated_at=now)
    store.collaborators[record.id] = record
    return Reply(status=201, body=_wire(store, record))


@registry.operation("dashboards_collaborators_destroy")
def dashboards_collaborators_destroy(store: PostHogStore, req: OpRequest) -> Reply:
    """Remove by the user's uuid (204); 404 when not a collaborator; 400 on the lowest restriction level."""
    dashboard = _who(req).dashboard
    assert dashboard is not None
    user = store.user_by_uuid(str(req.path["user__uuid"]))
    record = store.collaborator(dashboard.id, user.id) if user else None
    if record is None:
        raise errors.not_found()
    if effective_restriction_level(store, dashboard) <= EVERYONE_CAN_EDIT:
        raise errors.invalid("Cannot remove collaborators from a dashboard on the lowest restriction level.")
    del store.collaborators[record.id]
    return Reply.no_content()
