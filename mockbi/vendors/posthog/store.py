"""The PostHog world: organizations, projects, users, personal API keys, dashboards and what hangs off them."""

from __future__ import annotations

import string
from typing import Any

from mockbi.core.store import SeedContext, Store
from mockbi.vendors.posthog.models import (
    ADMIN,
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

BASE62 = string.digits + string.ascii_letters
URLSAFE = string.ascii_letters + string.digits + "-_"

#: optional organization features the rules depend on


class PostHogStore(Store):
    """One seeded PostHog Cloud world (read from ``seeds/posthog/<scenario>.yaml``)."""

    vendor = "posthog"
    scenario_keys = {"organization": dict, "project": dict, "other_organization": dict, "other_project": dict,
                     "users": list, "api_keys": list, "dashboards": list, "generated_dashboards": int}
    #: ``wire_cache``: (dashboard id, viewer id) -> (fingerprint, dashboard, viewer, DashboardBasic); derived data,
    #: never copied into world images (see serializers.dashboard_basic)
    _infrastructure = Store._infrastructure | {"wire_cache"}
    # the world's state, as the portable-state codec reads it (``state.py``: StateSpec.from_annotations)
    organizations: dict[str, Organization]
    projects: dict[int, Project]
    users: dict[int, User]
    api_keys: dict[str, ApiKey]
    key_refs: dict[str, str]
    sessions: dict[str, int]
    dashboards: dict[int, Dashboard]
    insights: dict[int, Insight]
    texts: dict[int, Text]
    tiles: dict[int, Tile]
    collaborators: dict[str, Collaborator]
    sharing: dict[int, SharingConfig]
    share_passwords: dict[int, SharePassword]
    _next_ids: dict[str, int]
    main_user_id: int
    main_project_id: int

    def __init__(self, ctx: SeedContext) -> None:
        self.wire_cache: dict[tuple[int, int], tuple[tuple[Any, ...], Dashboard, User, dict[str, Any]]] = {}
        super().__init__(ctx)

    def build(self) -> None:
        from mockbi.vendors.posthog.seed import build_world

        self.organizations = {}
        self.projects = {}
        self.users = {}
        self.api_keys = {}
        self.key_refs = {}
        self.sessions = {}
        self.dashboards = {}
        self.insights = {}
        self.texts = {}
        self.tiles = {}
        self.collaborators = {}
        self.sharing = {}
        self.share_passwords = {}
        self._next_ids = {}
        self.main_user_id = 0
        self.main_project_id = 0
        build_world(self, self.ctx.scenario_data)

    # --- ids and secrets (all from the store RNG) --------------------------------------------------
    def next_id(self, kind: str, start: int = 1) -> int:
        value = self._next_ids.get(kind, start)
        self._next_ids[kind] = value + 1
        return value

    def personal_key(self) -> str:
        return "phx_" + self.token(47, BASE62)

    def access_token(self) -> str:
        """Like ``secrets.token_urlsafe(22)``: 30 URL-safe characters."""
        return self.token(30, URLSAFE)

    def short_id(self) -> str:
        return self.token(8, BASE62)

    # --- lookups ---------------------------------------------------------------------------------
    def has_feature(self, project: Project, feature: str) -> bool:
        return feature in self.organizations[project.organization_id].features

    def is_member(self, user: User, project: Project) -> bool:
        return user.is_active and user.organization_id == project.organization_id

    def is_admin(self, user: User, project: Project) -> bool:
        return self.is_member(user, project) and user.membership_level >= ADMIN

    def live_dashboards(self, team_id: int) -> list[Dashboard]:
        return [d for d in self.dashboards.values() if d.team_id == team_id and not d.deleted]

    def tiles_of(self, dashboard_id: int) -> list[Tile]:
        return [t for t in self.tiles.values() if t.dashboard_id == dashboard_id and not t.deleted]

    def collaborator(self, dashboard_id: int, user_id: int) -> Collaborator | None:
        for c in self.collaborators.values():
            if c.dashboard_id == dashboard_id and c.user_id == user_id:
                return c
        return None

    def user_by_uuid(self, uuid: str) -> User | None:
        return next((u for u in self.users.values() if u.uuid == uuid), None)

    # --- introspection ---------------------------------------------------------------------------
    def credentials(self) -> dict[str, Any]:
        session = next((s for s, uid in self.sessions.items() if uid == self.main_user_id), None)
        return {
            "personal_api_key": self.key_refs.get("full"),
            "project_id": self.main_project_id,
            "keys": {ref: value for ref, value in self.key_refs.items() if ref != "full"},
            "session_cookie": {"sessionid": session} if session else {},
            "user_email": self.users[self.main_user_id].email if self.main_user_id else None,
        }
