"""Arranging a PostHog world at runtime (``mockbi.arrange("posthog", {...})``, ``POST
/__mockbi/posthog/arrange``) with the keys of ``seeds/posthog/*.yaml``:

``users``                 ``[{ref, membership?, role?, first_name?, last_name?, email?, organization?: main|other}]``
``api_keys``              ``[{ref, label?, scopes?, scoped_teams?: [main|other], user?: ref}]``
``dashboards``            ``[{name, created_by?, description?, pinned?, deleted?, tags?, filters?,
                          restriction_level?, tiles?: [{insight, kind?, description?} | {text}]}]``
``generated_dashboards``  how many Faker-named dashboards to add

A user is named by the ``ref`` given here or in the scenario (``me``, ``admin``...), by id or by email.
"""

from __future__ import annotations

from typing import Any

from mockbi.core.errors import ConfigError
from mockbi.vendors.posthog.models import Organization, Project, User
from mockbi.vendors.posthog.seed import MEMBERSHIP, ROLES, _ago, _dashboard, _keys
from mockbi.vendors.posthog.store import PostHogStore

KEYS = ("users", "api_keys", "dashboards", "generated_dashboards")


def _places(store: PostHogStore) -> tuple[dict[str, Organization], dict[str, Project]]:
    """``main`` and ``other``: the keys' project and the one the keys' owner cannot see."""
    main = store.projects[store.main_project_id]
    other = next((p for p in store.projects.values() if p.id != main.id), main)
    projects = {"main": main, "other": other}
    return {k: store.organizations[p.organization_id] for k, p in projects.items()}, projects


def _known_users(store: PostHogStore) -> dict[str, User]:
    """Scenario refs (users are created in the scenario's order with ids from 1), ids and emails."""
    specs = store.ctx.scenario_data.get("users") or [{"ref": "me"}]
    ordered = sorted(store.users.values(), key=lambda u: u.id)
    users = {str(spec["ref"]): user for spec, user in zip(specs, ordered, strict=False)}
    users["me"] = store.users[store.main_user_id]
    for user in ordered:
        users.setdefault(str(user.id), user)
        users.setdefault(user.email, user)
    return users


def _new_user(store: PostHogStore, spec: dict[str, Any], orgs: dict[str, Organization],
              projects: dict[str, Project]) -> User:
    where = spec.get("organization", "main")
    if where not in orgs or spec.get("membership", "member") not in MEMBERSHIP:
        raise ConfigError(f"posthog arrange: user {spec.get('ref')!r}: organization is main or other, "
                          f"membership one of {', '.join(MEMBERSHIP)}")
    first = spec.get("first_name") or store.faker.first_name()
    last = spec.get("last_name") or store.faker.last_name()
    email = spec.get("email") or f"{first}.{last}".lower().replace(" ", "").replace("'", "") + "@example.com"
    if any(u.email == email for u in store.users.values()):
        raise ConfigError(f"posthog arrange: a user with email {email!r} exists")
    user = User(id=store.next_id("user"), uuid=store.new_uuid(), distinct_id=store.token(43), first_name=first,
                last_name=last, email=email, organization_id=orgs[where].id,
                membership_level=MEMBERSHIP[spec.get("membership", "member")],
                date_joined=_ago(store, store.now(), 700), current_project_id=projects[where].id,
                is_email_verified=True, role_at_organization=spec.get("role") or store.rng.choice(ROLES))
    store.users[user.id] = user
    return user


def arrange(store: PostHogStore, fragment: dict[str, Any]) -> None:
    unknown = sorted(set(fragment) - set(KEYS))
    if unknown:
        raise ConfigError(f"posthog arrange: unknown key(s) {unknown}; use {', '.join(KEYS)}")
    now = store.now()
    orgs, projects = _places(store)
    users = _known_users(store)
    for spec in fragment.get("users") or []:
        users[str(spec["ref"])] = _new_user(store, spec, orgs, projects)
    key_specs = fragment.get("api_keys") or []
    taken = [s["ref"] for s in key_specs if s["ref"] in store.key_refs]
    if taken:
        raise ConfigError(f"posthog arrange: api key ref(s) {taken} exist")
    _keys(store, [{**s, "user": str(s.get("user", "me"))} for s in key_specs], users, projects, now)
    team = store.main_project_id
    for spec in fragment.get("dashboards") or []:
        creator = spec.get("created_by", "me")
        if str(creator) not in users:
            raise ConfigError(f"posthog arrange: dashboard {spec.get('name')!r}: no user {creator!r}")
        _dashboard(store, {**spec, "created_by": str(creator)}, team, users, now)
    for _ in range(int(fragment.get("generated_dashboards") or 0)):
        tiles = [{"insight": store.faker.bs().capitalize(), "kind": store.rng.choice(["trends", "funnel", "sql"])}
                 for _ in range(store.rng.randint(1, 3))]
        _dashboard(store, {"name": store.faker.catch_phrase()[:60], "created_by": "me", "tiles": tiles},
                   team, users, now)
