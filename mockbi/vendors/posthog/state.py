"""What a PostHog store holds as portable state (``GET /__mockbi/state``, snapshots): every collection and
counter, typed for the codec in ``core/state_codec.py``."""

from __future__ import annotations

from mockbi.core.state_codec import StateSpec
from mockbi.vendors.posthog.models.entities import (
    ApiKey,
    Collaborator,
    Dashboard,
    Insight,
    Organization,
    Project,
    SharePassword,
    SharingConfig,
    Text,
    Tile,
    User,
)

STATE = StateSpec({
    "organizations": dict[str, Organization],
    "projects": dict[int, Project],
    "users": dict[int, User],
    "api_keys": dict[str, ApiKey],
    "key_refs": dict[str, str],
    "sessions": dict[str, int],
    "dashboards": dict[int, Dashboard],
    "insights": dict[int, Insight],
    "texts": dict[int, Text],
    "tiles": dict[int, Tile],
    "collaborators": dict[str, Collaborator],
    "sharing": dict[int, SharingConfig],
    "share_passwords": dict[int, SharePassword],
    "_next_ids": dict[str, int],
    "main_user_id": int,
    "main_project_id": int,
})
