"""Domain operations shared by the handlers: templates, duplication, tile edits, soft delete/restore.

Each ``check_*`` function only reads; each ``apply_*`` function mutates. Handlers call every check before
the first apply, so a rejected request changes nothing.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mockbi.vendors.posthog import errors, writable
from mockbi.vendors.posthog.models import Dashboard, Tile, User
from mockbi.vendors.posthog.seed import layout_for, new_insight, new_text
from mockbi.vendors.posthog.templates import BUILTIN_TEMPLATES

if TYPE_CHECKING:
    from mockbi.vendors.posthog.store import PostHogStore

TILE_FIELDS = ("layouts", "color", "filters_overrides", "show_description", "transparent_background")


def parse_datetime(body: dict[str, Any], name: str) -> datetime | None:
    """A DRF DateTimeField value (ISO-8601; naive means UTC)."""
    raw = body.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise errors.invalid("Datetime has wrong format. Use one of these formats instead: "
                               "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].", name) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def normalize_tags(tags: list[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        clean = tag.strip().lower()
        if clean and clean not in seen:
            seen.append(clean)
    return seen


def apply_template(store: PostHogStore, dashboard: Dashboard, template: dict[str, Any], user: User, *,
                   sample: bool) -> None:
    """Fill ``dashboard`` from a template (name only when empty)."""
    if not dashboard.name:
        dashboard.name = template.get("template_name")
    dashboard.description = template.get("dashboard_description") or ""
    dashboard.filters = dict(template.get("dashboard_filters") or {})
    if template.get("tags"):
        dashboard.tags = normalize_tags([str(t) for t in template["tags"]])
    now = store.now()
    for position, spec in enumerate(template.get("tiles") or []):
        tile = Tile(id=store.next_id("tile"), dashboard_id=dashboard.id, color=spec.get("color"))
        if str(spec.get("type", "INSIGHT")).upper() == "TEXT":
            tile.text_id = new_text(store, dashboard.team_id, spec.get("body"), user.id, now).id
        else:
            # a private copy: built-in templates are module-level and must never share state with a store
            query = copy.deepcopy(spec["query"]) if isinstance(spec.get("query"), dict) else None
            tile.insight_id = new_insight(store, dashboard.team_id, spec.get("name"), query, user.id, now,
                                          description=spec.get("description"), is_sample=sample).id
        layouts = spec.get("layouts")
        has_layouts = isinstance(layouts, dict) and bool(layouts)
        tile.layouts = copy.deepcopy(layouts) if has_layouts else layout_for(position, tile.id)
        store.tiles[tile.id] = tile


def find_template(key: str) -> dict[str, Any] | None:
    return BUILTIN_TEMPLATES.get(key)


def apply_duplicate(store: PostHogStore, target: Dashboard, source: Dashboard, body: dict[str, Any],
                    user: User, *, deep: bool) -> None:
    """Copy ``source`` into ``target`` (new tile rows; with ``deep`` new insights/texts named "… (Copy)")."""
    if not body.get("filters"):
        target.filters = dict(source.filters)
    target.variables = dict(source.variables)
    target.breakdown_colors = source.breakdown_colors
    target.data_color_theme_id = source.data_color_theme_id
    now = store.now()
    for old in sorted(store.tiles_of(source.id), key=lambda t: t.id):
        tile = Tile(id=store.next_id("tile"), dashboard_id=target.id, insight_id=old.insight_id, text_id=old.text_id,
                    layouts=dict(old.layouts), color=old.color, filters_overrides=old.filters_overrides,
                    show_description=old.show_description, transparent_background=old.transparent_background)
        if deep and old.insight_id is not None:
            src = store.insights[old.insight_id]
            copy = new_insight(store, target.team_id, f"{src.name} (Copy)" if src.name else None, src.query,
                               user.id, now, description=src.description)
            tile.insight_id = copy.id
        if deep and old.text_id is not None:
            tile.text_id = new_text(store, target.team_id, store.texts[old.text_id].body, user.id, now).id
        store.tiles[tile.id] = tile


def check_tile_edits(store: PostHogStore, dashboard: Dashboard, edits: Any) -> list[dict[str, Any]]:
    if not isinstance(edits, list):
        raise errors.invalid(f'Expected a list of items but got type "{type(edits).__name__}".', "tiles",
                               "not_a_list")
    for edit in edits:
        if not isinstance(edit, dict):
            raise errors.invalid("Invalid data. Expected a dictionary.", "tiles")
        if "id" in edit:
            tile = store.tiles.get(edit["id"]) if isinstance(edit["id"], int) else None
            if tile is None or tile.dashboard_id != dashboard.id:
                raise errors.not_found()
        elif not isinstance(edit.get("text"), dict) or not edit["text"]:
            raise errors.invalid("Invalid data. Expected a tile id or a text.", "tiles")
        if isinstance(edit.get("text"), dict) and edit["text"]:
            _check_text(store, dashboard, edit["text"])
        err = writable.tile_edit_error(edit)
        if err is not None:
            raise err
    return edits


def _author(store: PostHogStore, dashboard: Dashboard, text: dict[str, Any]) -> User | None:
    """The ``created_by`` a text edit names (the frontend sends the whole text back), if any."""
    ref = text.get("created_by")
    if not ref:
        return None
    ref_id = ref.get("id") if isinstance(ref, dict) else None
    user = store.users.get(ref_id) if isinstance(ref_id, int) else None
    org = store.projects[dashboard.team_id].organization_id
    if user is None or user.organization_id != org:
        raise errors.invalid("User not found in this organization.")
    return user


def _check_text(store: PostHogStore, dashboard: Dashboard, text: dict[str, Any]) -> None:
    _author(store, dashboard, text)
    text_id = text.get("id")
    if text_id:
        record = store.texts.get(text_id) if isinstance(text_id, int) else None
        if record is None or record.team_id != dashboard.team_id:
            raise errors.invalid("Text tile not found in this team.", "text")
        if not any(t.text_id == text_id for t in store.tiles_of(dashboard.id)):
            raise errors.invalid("Text tile not found.", "text")


def _save_text(store: PostHogStore, dashboard: Dashboard, text: dict[str, Any], user: User) -> int:
    """PostHog's text upsert: without ``created_by`` in the edit the caller becomes the author and
    ``last_modified_by`` is null; with it, the caller is the last modifier. No ``text.id`` -> a new Text."""
    author = _author(store, dashboard, text)
    created_by, modified_by = (author.id, user.id) if author else (user.id, None)
    now = store.now()
    if text.get("id"):
        record = store.texts[text["id"]]
        if "body" in text:
            record.body = text["body"]
    else:
        record = new_text(store, dashboard.team_id, text.get("body"), created_by, now)
    record.created_by, record.last_modified_by, record.last_modified_at = created_by, modified_by, now
    return record.id


def apply_tile_edits(store: PostHogStore, dashboard: Dashboard, edits: list[dict[str, Any]], user: User) -> None:
    for edit in edits:
        if "id" in edit:
            tile = store.tiles[edit["id"]]
        else:
            tile = Tile(id=store.next_id("tile"), dashboard_id=dashboard.id)
            store.tiles[tile.id] = tile
        if isinstance(edit.get("text"), dict) and edit["text"]:
            tile.text_id = _save_text(store, dashboard, edit["text"], user)
        if "deleted" in edit:
            tile.deleted = bool(edit["deleted"])
        for name in TILE_FIELDS:
            if name in edit:
                setattr(tile, name, _tile_value(name, edit[name]))


def _tile_value(name: str, value: Any) -> Any:
    """A checked display value as the tile model keeps it (Django's BooleanField turns 0/1 into booleans)."""
    if name == "layouts":
        return dict(value or {})
    if name in writable.TILE_BOOLEANS and value is not None:
        return bool(value)
    return value


def apply_soft_delete(store: PostHogStore, dashboard: Dashboard, *, delete_insights: bool) -> None:
    tiles = [t for t in store.tiles.values() if t.dashboard_id == dashboard.id]
    if delete_insights:
        for t in tiles:
            if t.insight_id is None or t.deleted:
                continue
            elsewhere = [o for o in store.tiles.values()
                         if o.insight_id == t.insight_id and o.dashboard_id != dashboard.id
                         and not o.deleted and not store.dashboards[o.dashboard_id].deleted]
            if not elsewhere:
                store.insights[t.insight_id].deleted = True
    for t in tiles:
        t.deleted = True
    dashboard.deleted = True


def apply_restore(store: PostHogStore, dashboard: Dashboard) -> None:
    dashboard.deleted = False
    for t in store.tiles.values():
        if t.dashboard_id == dashboard.id:
            t.deleted = False
            if t.insight_id is not None:
                store.insights[t.insight_id].deleted = False
