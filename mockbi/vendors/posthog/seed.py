"""Build a PostHog world from a scenario mapping (``seeds/posthog/<scenario>.yaml``); Faker fills the gaps.

Every value comes from the store's RNG, its Faker instance or its clock, so the same seed and scenario
give the same world byte for byte.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mockbi.core.errors import ConfigError
from mockbi.vendors.posthog.models import (
    ADMIN,
    MEMBER,
    OWNER,
    ApiKey,
    Dashboard,
    Insight,
    Organization,
    Project,
    Text,
    Tile,
    User,
)

if TYPE_CHECKING:
    from mockbi.vendors.posthog.store import PostHogStore

MEMBERSHIP = MappingProxyType({"member": MEMBER, "admin": ADMIN, "owner": OWNER})
EVENTS = ("$pageview", "$autocapture", "signed_up", "file_uploaded", "purchase", "$screen")
ROLES = ("engineering", "data", "product", "founder", "leadership", "marketing", "sales", "other")


def build_world(store: PostHogStore, data: dict[str, Any]) -> None:
    """Populate ``store`` from ``data`` (an empty mapping gives the bare minimum: org, project, one user, one key)."""
    now = store.now()
    orgs = {"main": _organization(store, data.get("organization") or {}, now)}
    orgs["other"] = _organization(store, data.get("other_organization") or {}, now)
    projects = {"main": _project(store, data.get("project") or {}, orgs["main"]),
                "other": _project(store, data.get("other_project") or {}, orgs["other"])}
    store.main_project_id = projects["main"].id
    users = _users(store, data.get("users") or [{"ref": "me", "membership": "owner"}], orgs, projects, now)
    store.main_user_id = users["me"].id
    store.sessions[store.token(32, "abcdefghijklmnopqrstuvwxyz0123456789")] = users["me"].id
    _keys(store, data.get("api_keys") or [{"ref": "full", "scopes": ["*"]}], users, projects, now)
    team = projects["main"].id
    for spec in data.get("dashboards") or []:
        _dashboard(store, spec, team, users, now)
    for _ in range(int(data.get("generated_dashboards") or 0)):
        name = f"{store.faker.catch_phrase()}"[:60]
        tiles = [{"insight": store.faker.bs().capitalize(), "kind": store.rng.choice(["trends", "funnel", "sql"])}
                 for _ in range(store.rng.randint(1, 3))]
        _dashboard(store, {"name": name, "created_by": store.rng.choice(["me", "teammate"]), "tiles": tiles},
                   team, users, now)


def _ago(store: PostHogStore, now: datetime, max_days: int = 300) -> datetime:
    return now - timedelta(days=store.rng.randint(1, max_days), minutes=store.rng.randint(0, 1439))


def _organization(store: PostHogStore, spec: dict[str, Any], now: datetime) -> Organization:
    name = spec.get("name") or store.faker.company()
    slug = "-".join(name.lower().replace(".", "").replace(",", "").split())
    org = Organization(id=store.new_uuid(), name=name, slug=slug, created_at=_ago(store, now, 900),
                       features=list(spec.get("features") or []))
    store.organizations[org.id] = org
    return org


def _project(store: PostHogStore, spec: dict[str, Any], org: Organization) -> Project:
    pid = int(spec.get("id") or store.rng.randint(10_000, 199_999))
    while pid in store.projects:
        pid += 1
    project = Project(id=pid, uuid=store.new_uuid(), organization_id=org.id,
                      name=spec.get("name") or "Default project",
                      api_token="phc_" + store.token(43), timezone=spec.get("timezone") or "UTC")
    store.projects[pid] = project
    return project


def _users(store: PostHogStore, specs: list[dict[str, Any]], orgs: dict[str, Organization],
           projects: dict[str, Project], now: datetime) -> dict[str, User]:
    users: dict[str, User] = {}
    for spec in specs:
        where = spec.get("organization", "main")
        if where not in orgs:
            raise ConfigError(f"posthog scenario: user {spec.get('ref')!r} names unknown organization {where!r}")
        first = spec.get("first_name") or store.faker.first_name()
        last = spec.get("last_name") or store.faker.last_name()
        email = spec.get("email") or f"{first}.{last}".lower().replace(" ", "").replace("'", "") + "@example.com"
        user = User(id=store.next_id("user"), uuid=store.new_uuid(), distinct_id=store.token(43),
                    first_name=first, last_name=last, email=email, organization_id=orgs[where].id,
                    membership_level=MEMBERSHIP[spec.get("membership", "member")], date_joined=_ago(store, now, 700),
                    current_project_id=projects[where].id, is_email_verified=True,
                    role_at_organization=spec.get("role") or store.rng.choice(ROLES))
        store.users[user.id] = user
        users[spec["ref"]] = user
    if "me" not in users:
        raise ConfigError("posthog scenario: one user must have ref 'me' (the owner of the keys)")
    return users


def _keys(store: PostHogStore, specs: list[dict[str, Any]], users: dict[str, User],
          projects: dict[str, Project], now: datetime) -> None:
    for spec in specs:
        scoped = spec.get("scoped_teams")
        key = ApiKey(id=store.new_uuid(), label=spec.get("label") or spec["ref"], value=store.personal_key(),
                     user_id=users[spec.get("user", "me")].id, scopes=list(spec.get("scopes") or ["*"]),
                     created_at=_ago(store, now, 60),
                     scoped_teams=[projects[p].id for p in scoped] if scoped else None)
        store.api_keys[key.value] = key
        store.key_refs[spec["ref"]] = key.value


def query_for(kind: str, store: PostHogStore) -> dict[str, Any]:
    """A plausible saved query of ``kind`` (trends, funnel, retention, sql)."""
    event = store.rng.choice(EVENTS)
    if kind == "funnel":
        return {"kind": "InsightVizNode", "source": {"kind": "FunnelsQuery", "series": [
            {"kind": "EventsNode", "event": "$pageview", "name": "$pageview"},
            {"kind": "EventsNode", "event": event, "name": event}], "funnelsFilter": {"funnelVizType": "steps"}}}
    if kind == "retention":
        return {"kind": "InsightVizNode", "source": {"kind": "RetentionQuery", "retentionFilter": {
            "period": "Week", "totalIntervals": 8, "targetEntity": {"id": event, "type": "events"}}}}
    if kind == "sql":
        return {"kind": "DataVisualizationNode", "source": {
            "kind": "HogQLQuery", "query": f"select toDate(timestamp) as day, count() from events "
                                           f"where event = '{event}' group by day order by day"}}
    return {"kind": "InsightVizNode", "source": {"kind": "TrendsQuery", "interval": "day", "series": [
        {"kind": "EventsNode", "event": event, "name": event, "math": store.rng.choice(["total", "dau"])}],
        "dateRange": {"date_from": "-30d"}}}


def layout_for(position: int, tile_id: int) -> dict[str, Any]:
    """The two-column grid PostHog's clients compute (w 6, h 5)."""
    return {"sm": {"i": str(tile_id), "x": (position % 2) * 6, "y": (position // 2) * 5, "w": 6, "h": 5,
                   "minW": 3, "minH": 5},
            "xs": {"i": str(tile_id), "x": 0, "y": position * 5, "w": 1, "h": 5, "minW": 1, "minH": 5}}


def new_insight(store: PostHogStore, team: int, name: str | None, query: dict[str, Any] | None,
                user_id: int | None, when: datetime, *, description: str | None = None,
                is_sample: bool = False) -> Insight:
    insight = Insight(id=store.next_id("insight"), short_id=store.short_id(), team_id=team, name=name,
                      derived_name=None, description=description, query=query, created_at=when,
                      created_by=user_id, last_modified_at=when, last_modified_by=user_id, is_sample=is_sample)
    store.insights[insight.id] = insight
    return insight


def new_text(store: PostHogStore, team: int, body: str | None, user_id: int | None, when: datetime) -> Text:
    text = Text(id=store.next_id("text"), team_id=team, body=body, created_by=user_id, last_modified_at=when,
                last_modified_by=user_id)
    store.texts[text.id] = text
    return text


def _dashboard(store: PostHogStore, spec: dict[str, Any], team: int, users: dict[str, User], now: datetime) -> None:
    creator = users.get(spec.get("created_by", "me"))
    created = _ago(store, now)
    dash = Dashboard(id=store.next_id("dashboard"), team_id=team, name=str(spec["name"]), created_at=created,
                     created_by=creator.id if creator else None, description=spec.get("description") or "",
                     pinned=bool(spec.get("pinned", False)), deleted=bool(spec.get("deleted", False)),
                     tags=[str(t) for t in spec.get("tags") or []], filters=dict(spec.get("filters") or {}),
                     restriction_level=int(spec.get("restriction_level", 21)),
                     last_accessed_at=_ago(store, now, 20) if spec.get("accessed", True) else None)
    store.dashboards[dash.id] = dash
    tile_specs = list(spec.get("tiles") or [])
    positions = list(range(len(tile_specs)))
    store.rng.shuffle(positions)  # grid order differs from creation order, as on a rearranged dashboard
    for tspec, position in zip(tile_specs, positions, strict=True):
        tile = Tile(id=store.next_id("tile"), dashboard_id=dash.id, color=tspec.get("color"))
        if "text" in tspec:
            tile.text_id = new_text(store, team, str(tspec["text"]), dash.created_by, created).id
        else:
            when = created + timedelta(minutes=store.rng.randint(1, 600))
            insight = new_insight(store, team, str(tspec["insight"]), query_for(tspec.get("kind", "trends"), store),
                                  dash.created_by, when, description=tspec.get("description"))
            if tspec.get("derived_name"):
                insight.derived_name = str(tspec["derived_name"])
            tile.insight_id = insight.id
        tile.layouts = layout_for(position, tile.id)
        store.tiles[tile.id] = tile
