"""Dashboards: list, create, retrieve, update (PATCH/PUT) and the refused hard delete."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

import orjson

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.core.rendered import Encoded
from mockbi.core.storable import first_unstorable
from mockbi.vendors.posthog import editing, errors, wire
from mockbi.vendors.posthog.auth import Principal
from mockbi.vendors.posthog.models import Dashboard
from mockbi.vendors.posthog.pagination import paginate, window
from mockbi.vendors.posthog.permissions import can_restrict
from mockbi.vendors.posthog.store import PostHogStore

registry = Registry("posthog")

RESTRICT_DENIED = ("Only the dashboard owner and project admins have the restriction rights required to change "
                   "the dashboard's restriction level.")
#: names of dashboards PostHog generates for a feature (hidden by ``?exclude_generated=true``)
GENERATED_PREFIX = "Generated Dashboard"
#: list pages kept per team between writes (distinct viewer and URL pairs)
KEPT_PAGES = 64
#: what a page's validity is checked against, per dashboard on it (a GET stamps it)
LAST_ACCESSED = attrgetter("last_accessed_at")
SIMPLE_FIELDS = ("name", "description", "pinned", "breakdown_colors", "data_color_theme_id")


def _who(req: OpRequest) -> Principal:
    principal = req.principal
    assert isinstance(principal, Principal)
    return principal


def _order(d: Dashboard) -> tuple[Any, ...]:
    return (not d.pinned, d.name is None, (d.name or "").lower(), d.name or "", d.id)


@registry.operation("dashboards_list")
def dashboards_list(store: PostHogStore, req: OpRequest) -> Any:
    """Pinned first then by name, soft-deleted excluded, limit/offset pages, ?tags= and ?exclude_generated=true."""
    who = _who(req)
    assert who.project is not None
    team = who.project.id
    # the ordering only changes with a write (GETs never rename, pin or delete): kept between requests
    rows = store.memo(("dashboards_list", team), lambda: sorted(store.live_dashboards(team), key=_order))
    tags = req.query.get("tags")
    if tags:  # exact tag names (stored tags are already normalized; the query values are not)
        wanted = set(tags)
        rows = [d for d in rows if wanted & set(d.tags)]
    if req.raw_query.get("exclude_generated") == "true":
        rows = [d for d in rows if not (d.name or "").startswith(GENERATED_PREFIX)]
    return _page(store, req, who, rows)


def _page(store: PostHogStore, req: OpRequest, who: Principal, rows: list[Dashboard]) -> Encoded:
    """The page of ``rows`` as sent, kept per (viewer, URL) until a write or a GET stamping one of its
    dashboards' ``last_accessed_at`` (the only field a GET changes); at most :data:`KEPT_PAGES` a project."""
    assert who.project is not None
    limit, offset = window(req)
    stamps = tuple(map(LAST_ACCESSED, rows[offset:offset + limit]))
    kept: dict[tuple[Any, ...], tuple[tuple[Any, ...], Encoded]] = store.memo(("dashboard_pages", who.project.id), dict)
    key = (who.user.id, req.origin, req.prefix, req.target)
    hit = kept.get(key)
    if hit is not None and hit[0] == stamps:
        return hit[1]
    page, envelope_fields = paginate(req, rows)
    encoded = Encoded.of({**envelope_fields, "results": [wire.dashboard_basic(store, who.user, d) for d in page]})
    if len(kept) >= KEPT_PAGES:
        kept.clear()
    kept[key] = (stamps, encoded)
    return encoded


def _check_common(body: dict[str, Any]) -> dict[str, Any]:
    """Field checks the contract cannot express (datetimes); returns the parsed values."""
    return {name: editing.parse_datetime(body, name) for name in ("last_accessed_at", "last_refresh") if name in body}


@registry.operation("dashboards_create")
def dashboards_create(store: PostHogStore, req: OpRequest) -> Any:
    """Create (empty body valid); use_template / use_dashboard (+duplicate_tiles) set creation_mode."""
    who = _who(req)
    assert who.project is not None
    body: dict[str, Any] = req.body or {}
    times = _check_common(body)
    source = None
    if body.get("use_dashboard") is not None:
        source = store.dashboards.get(body["use_dashboard"])
        if source is None or source.team_id != who.project.id or source.deleted:
            raise errors.invalid("Invalid value provided", "use_dashboard")
    if source is not None and body.get("use_template"):
        raise errors.invalid("`use_dashboard` and `use_template` cannot be used together")
    template = None
    if body.get("use_template"):
        template = editing.find_template(body["use_template"])
        if template is None:
            raise errors.invalid(f"Invalid template provided: {body['use_template']}", "use_template")
    now = store.now()
    dashboard = Dashboard(id=store.next_id("dashboard"), team_id=who.project.id, name=body.get("name"),
                          created_at=now, created_by=who.user.id,
                          creation_mode="template" if template else "duplicate" if source else "default")
    for name in SIMPLE_FIELDS[1:]:
        if name in body:
            setattr(dashboard, name, body[name])
    dashboard.last_accessed_at, dashboard.last_refresh = times.get("last_accessed_at"), times.get("last_refresh")
    if "restriction_level" in body:
        dashboard.restriction_level = body["restriction_level"]
    if body.get("filters"):
        dashboard.filters = dict(body["filters"])
    store.dashboards[dashboard.id] = dashboard
    if template is not None:
        editing.apply_template(store, dashboard, template, who.user, sample=True)
    if source is not None:
        editing.apply_duplicate(store, dashboard, source, body, who.user, deep=body.get("duplicate_tiles") is True)
    if "tags" in body:
        dashboard.tags = editing.normalize_tags(body["tags"])
    return wire.dashboard(store, who.user, dashboard)


@registry.operation("dashboards_retrieve")
def dashboards_retrieve(store: PostHogStore, req: OpRequest) -> Any:
    """One dashboard with its tiles; sets last_accessed_at to now (the response shows it)."""
    who = _who(req)
    assert who.dashboard is not None
    who.dashboard.last_accessed_at = store.now()
    override = None
    raw = req.query.get("filters_override")
    if raw:
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            parsed = None
        # an override too deep to be sent back inside the dashboard is ignored like one that is no JSON object
        override = parsed if isinstance(parsed, dict) and first_unstorable(parsed, nul=False) is None else None
    return wire.dashboard(store, who.user, who.dashboard, filters_override=override)


def _update(store: PostHogStore, req: OpRequest) -> Any:
    who = _who(req)
    dashboard = who.dashboard
    assert dashboard is not None
    body: dict[str, Any] = req.body or {}
    times = _check_common(body)
    if "restriction_level" in body and not can_restrict(store, who.user, dashboard):
        raise errors.permission_denied(RESTRICT_DENIED)
    edits = editing.check_tile_edits(store, dashboard, body["tiles"]) if body.get("tiles") is not None else None
    # every check passed: mutate
    for name in SIMPLE_FIELDS:
        if name in body:
            setattr(dashboard, name, body[name])
    for name, value in times.items():
        setattr(dashboard, name, value)
    if "restriction_level" in body:
        dashboard.restriction_level = body["restriction_level"]
    if "tags" in body:
        dashboard.tags = editing.normalize_tags(body["tags"])
    if body.get("filters"):
        dashboard.filters = dict(body["filters"])
    if body.get("variables"):
        dashboard.variables = dict(body["variables"])
    if edits:
        editing.apply_tile_edits(store, dashboard, edits, who.user)
    if body.get("deleted") is True and not dashboard.deleted:
        editing.apply_soft_delete(store, dashboard, delete_insights=body.get("delete_insights") is True)
    elif body.get("deleted") is False and dashboard.deleted:
        editing.apply_restore(store, dashboard)
    return wire.dashboard(store, who.user, dashboard)


@registry.operation("dashboards_partial_update")
def dashboards_partial_update(store: PostHogStore, req: OpRequest) -> Any:
    """PATCH: fields, tiles edits, soft delete ({deleted:true}, +delete_insights) and restore ({deleted:false})."""
    return _update(store, req)


@registry.operation("dashboards_update")
def dashboards_update(store: PostHogStore, req: OpRequest) -> Any:
    """PUT: no field is required, so it behaves like PATCH."""
    return _update(store, req)


@registry.operation("dashboards_destroy")
def dashboards_destroy(store: PostHogStore, req: OpRequest) -> Reply:
    """Hard delete is refused: 405 with an empty body, for any id (after auth and scope checks)."""
    return Reply(status=405, empty=True)
