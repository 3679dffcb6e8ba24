"""Records → wire JSON, field by field in PostHog's key order (DashboardSerializer, DashboardBasic...)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

from mockbi.core.clock import isoformat_z
from mockbi.vendors.posthog import permissions as perms
from mockbi.vendors.posthog.models import (
    TAGGING,
    Dashboard,
    Insight,
    SharePassword,
    SharingConfig,
    Text,
    Tile,
    User,
)

if TYPE_CHECKING:
    from mockbi.vendors.posthog.store import PostHogStore


def ts(value: datetime | None) -> str | None:
    return None if value is None else isoformat_z(value)


def user_basic(store: PostHogStore, user_id: int | None) -> dict[str, Any] | None:
    user = store.users.get(user_id) if user_id is not None else None
    if user is None:
        return None
    return {"id": user.id, "uuid": user.uuid, "distinct_id": user.distinct_id, "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email, "is_email_verified": user.is_email_verified,
            "hedgehog_config": None, "role_at_organization": user.role_at_organization}


def _access(store: PostHogStore, viewer: User, d: Dashboard) -> dict[str, Any]:
    return {"restriction_level": d.restriction_level,
            "effective_restriction_level": perms.effective_restriction_level(store, d),
            "effective_privilege_level": perms.effective_privilege_level(store, viewer, d),
            "user_access_level": perms.user_access_level(store, viewer, d),
            "access_control_version": "v1" if d.restriction_level > 21 else "v2",
            "last_refresh": ts(d.last_refresh)}


def _head(store: PostHogStore, d: Dashboard) -> dict[str, Any]:
    sharing = store.sharing.get(d.id)
    return {"id": d.id, "name": d.name, "description": d.description, "pinned": d.pinned,
            "created_at": ts(d.created_at), "created_by": user_basic(store, d.created_by),
            "last_accessed_at": ts(d.last_accessed_at), "last_viewed_at": None,
            "is_shared": bool(sharing and sharing.enabled), "deleted": d.deleted, "creation_mode": d.creation_mode}


def _tags(store: PostHogStore, d: Dashboard) -> list[str]:
    return list(d.tags) if store.has_feature(store.projects[d.team_id], TAGGING) else []


def dashboard_basic(store: PostHogStore, viewer: User, d: Dashboard) -> dict[str, Any]:
    """DashboardBasic, cached per (dashboard, viewer) until a write (``store.writes``: memberships, sharing,
    users, collaborators only change that way) or a change to one of the dashboard's own fields (GETs stamp
    ``last_accessed_at``). The dict is the cached one: the list handler sends it as it is, and nothing may
    change it (``tests/vendors/posthog/test_list_cache.py``)."""
    fingerprint = (store.writes, d.name, d.description, d.pinned, d.created_at, d.created_by, d.last_accessed_at,
                   d.last_refresh, d.deleted, d.creation_mode, d.team_id, d.restriction_level, len(d.tags))
    key = (d.id, viewer.id)
    cached = store.wire_cache.get(key)
    if cached is None or cached[0] != fingerprint or cached[1] is not d or cached[2] is not viewer:
        wire = {**_head(store, d), "tags": _tags(store, d), **_access(store, viewer, d), "team_id": d.team_id}
        store.wire_cache[key] = cached = (fingerprint, d, viewer, wire)
    cached_wire: dict[str, Any] = cached[3]
    return cached_wire


def layout_key(tile: Tile, size: str) -> tuple[int, int]:
    layout = tile.layouts.get(size) or {}
    y, x = layout.get("y", 100), layout.get("x", 100)
    return (y if isinstance(y, int) else 100, x if isinstance(x, int) else 100)


def sorted_tiles(store: PostHogStore, dashboard_id: int, size: str = "sm") -> list[Tile]:
    return sorted(store.tiles_of(dashboard_id), key=lambda t: (*layout_key(t, size), t.id))


def dashboard(store: PostHogStore, viewer: User, d: Dashboard, *, filters_override: dict[str, Any] | None = None,
              tiles: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    filters = {**d.filters, **(filters_override or {})}
    if tiles is None:
        tiles = [tile(store, viewer, t, i) for i, t in enumerate(sorted_tiles(store, d.id))]
    return {**_head(store, d), "filters": filters, "variables": dict(d.variables),
            "breakdown_colors": d.breakdown_colors, "data_color_theme_id": d.data_color_theme_id,
            "tags": _tags(store, d), **_access(store, viewer, d),
            "persisted_filters": dict(d.filters) or None, "persisted_variables": dict(d.variables) or None,
            "team_id": d.team_id, "tiles": tiles}


def _tile_refs(store: PostHogStore, *, insight_id: int | None = None,
               text_id: int | None = None) -> list[dict[str, Any]]:
    return [{"id": t.id, "dashboard_id": t.dashboard_id, "deleted": t.deleted}
            for t in store.tiles.values()
            if (insight_id is not None and t.insight_id == insight_id)
            or (text_id is not None and t.text_id == text_id)]


def insight(store: PostHogStore, viewer: User, i: Insight, d: Dashboard) -> dict[str, Any]:
    refs = _tile_refs(store, insight_id=i.id)
    live = sorted({r["dashboard_id"] for r in refs if not r["deleted"]})
    return {"id": i.id, "short_id": i.short_id, "name": i.name, "derived_name": i.derived_name, "query": i.query,
            "order": None, "deleted": i.deleted, "dashboards": live, "dashboard_tiles": refs,
            "last_refresh": ts(i.last_refresh), "cache_target_age": None, "next_allowed_client_refresh": None,
            "result": None, "hasMore": None, "columns": None, "created_at": ts(i.created_at),
            "created_by": user_basic(store, i.created_by), "description": i.description,
            "updated_at": ts(i.last_modified_at), "tags": list(i.tags), "favorited": i.favorited,
            "last_modified_at": ts(i.last_modified_at), "last_modified_by": user_basic(store, i.last_modified_by),
            "is_sample": i.is_sample, "effective_restriction_level": perms.effective_restriction_level(store, d),
            "effective_privilege_level": perms.effective_privilege_level(store, viewer, d),
            "user_access_level": perms.user_access_level(store, viewer, d), "timezone": "UTC",
            "is_cached": False, "query_status": None, "hogql": None, "types": None, "alerts": [],
            "last_viewed_at": None, "filters": {}, "filters_hash": filters_hash(i, d), "saved": True,
            "resolved_date_range": None}


def filters_hash(i: Insight, d: Dashboard) -> str:
    """A stable cache key for the insight in the dashboard's context (``cache_`` + 32 hex, as PostHog's)."""
    seed = orjson.dumps([i.team_id, i.id, d.id, i.query, d.filters], option=orjson.OPT_SORT_KEYS)
    return "cache_" + hashlib.md5(seed, usedforsecurity=False).hexdigest()


def text(store: PostHogStore, t: Text) -> dict[str, Any]:
    return {"id": t.id, "body": t.body, "created_by": user_basic(store, t.created_by),
            "last_modified_at": ts(t.last_modified_at), "last_modified_by": user_basic(store, t.last_modified_by),
            "team": t.team_id, "dashboard_tiles": _tile_refs(store, text_id=t.id)}


def tile(store: PostHogStore, viewer: User, t: Tile, order: int) -> dict[str, Any]:
    d = store.dashboards[t.dashboard_id]
    ins = store.insights.get(t.insight_id) if t.insight_id is not None else None
    txt = store.texts.get(t.text_id) if t.text_id is not None else None
    return {"id": t.id, "insight": insight(store, viewer, ins, d) if ins else None,
            "text": text(store, txt) if txt else None, "layouts": t.layouts, "color": t.color,
            "filters_overrides": t.filters_overrides, "show_description": t.show_description,
            "transparent_background": t.transparent_background, "order": order,
            "last_refresh": ts(ins.last_refresh) if ins else None, "is_cached": False}


def share_password(store: PostHogStore, p: SharePassword) -> dict[str, Any]:
    creator = store.users.get(p.created_by) if p.created_by is not None else None
    return {"id": p.id, "created_at": ts(p.created_at), "note": p.note,
            "created_by_email": creator.email if creator else "deleted user", "is_active": p.is_active}


def sharing(store: PostHogStore, config: SharingConfig | None, access_token: str, saved: bool) -> dict[str, Any]:
    if config is None or not saved:
        return {"created_at": None, "enabled": False, "access_token": access_token, "settings": None,
                "password_required": False, "share_passwords": []}
    passwords = [share_password(store, p) for p in store.share_passwords.values()
                 if p.dashboard_id == config.dashboard_id and p.is_active]
    return {"created_at": ts(config.created_at), "enabled": config.enabled, "access_token": config.access_token,
            "settings": config.settings, "password_required": config.password_required,
            "share_passwords": passwords}
