"""Dashboard restriction rules (PostHog's legacy dashboard privileges, ADVANCED_PERMISSIONS feature)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockbi.vendors.posthog.models import (
    ADVANCED_PERMISSIONS,
    EVERYONE_CAN_EDIT,
    ONLY_COLLABORATORS_CAN_EDIT,
    Dashboard,
    User,
)

if TYPE_CHECKING:
    from mockbi.vendors.posthog.store import PostHogStore


def effective_restriction_level(store: PostHogStore, dashboard: Dashboard) -> int:
    project = store.projects[dashboard.team_id]
    return dashboard.restriction_level if store.has_feature(project, ADVANCED_PERMISSIONS) else EVERYONE_CAN_EDIT


def can_restrict(store: PostHogStore, user: User, dashboard: Dashboard) -> bool:
    """The creator and project admins may change the restriction level (and have inherent access)."""
    return dashboard.created_by == user.id or store.is_admin(user, store.projects[dashboard.team_id])


def effective_privilege_level(store: PostHogStore, user: User, dashboard: Dashboard) -> int:
    if effective_restriction_level(store, dashboard) == EVERYONE_CAN_EDIT or can_restrict(store, user, dashboard):
        return ONLY_COLLABORATORS_CAN_EDIT
    collaborator = store.collaborator(dashboard.id, user.id)
    return collaborator.level if collaborator else EVERYONE_CAN_EDIT


def can_edit(store: PostHogStore, user: User, dashboard: Dashboard) -> bool:
    return (effective_restriction_level(store, dashboard) < ONLY_COLLABORATORS_CAN_EDIT
            or effective_privilege_level(store, user, dashboard) >= ONLY_COLLABORATORS_CAN_EDIT)


def user_access_level(store: PostHogStore, user: User, dashboard: Dashboard) -> str:
    """The newer access-control level, which knows nothing of the legacy restriction level: "manager" for
    the creator and project admins, the project default "editor" for everyone else (even on a restricted
    dashboard they cannot edit)."""
    return "manager" if can_restrict(store, user, dashboard) else "editor"
