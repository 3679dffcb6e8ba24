"""Arranging a Hasura Cloud world at runtime (``mockbi.arrange("hasura_cloud", {...})``, ``POST
/__mockbi/hasura_cloud/arrange``) with the keys of ``seeds/hasura_cloud/*.yaml``:

``users``               ``[{email, token?}]``
``projects``            ``[{name, owner?, id?, tenant_id?, cloud?, region?, plan?, env?, hash?, days_ago?,
                        custom_domains?}]``; ``owner`` is a user's email (default: the first user)
``generated_projects``  how many more projects with generated names the first user owns
``jobs``                ``[{id?, app_name, outcome: success|failed|skipped, seconds_ago?, failing_task?, owner?,
                        cloud?, region?, plan?}]``: preview-app jobs that ran before now
"""

from __future__ import annotations

from typing import Any

from mockbi.core.errors import ConfigError
from mockbi.vendors.hasura_cloud.models import User
from mockbi.vendors.hasura_cloud.seed import PAT_ALPHABET, _seed_job, _seed_project
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

KEYS = ("users", "projects", "generated_projects", "jobs")


def _owner(store: HasuraCloudStore, email: Any) -> User:
    owner = next(iter(store.users.values()))
    if email is None:
        return owner
    found = next((u for u in store.users.values() if u.email == email), None)
    if found is None:
        raise ConfigError(f"hasura_cloud arrange: no user with email {email!r}")
    return found


def arrange(store: HasuraCloudStore, fragment: dict[str, Any]) -> None:
    unknown = sorted(set(fragment) - set(KEYS))
    if unknown:
        raise ConfigError(f"hasura_cloud arrange: unknown key(s) {unknown}; use {', '.join(KEYS)}")
    for spec in fragment.get("users") or []:
        if any(u.email == spec["email"] for u in store.users.values()):
            raise ConfigError(f"hasura_cloud arrange: a user with email {spec['email']!r} exists")
        user = User(store.new_uuid(), str(spec["email"]), [str(spec.get("token") or store.token(64, PAT_ALPHABET))])
        store.users[user.id] = user
        store.tokens[user.tokens[0]] = user.id
    now = store.now()
    for spec in fragment.get("projects") or []:
        _seed_project(store, _owner(store, spec.get("owner")), spec, now)
    for _ in range(int(fragment.get("generated_projects") or 0)):
        region = store.rng.choice([r for r in store.regions if r.is_active and r.cloud == "aws"])
        _seed_project(store, _owner(store, None), {"name": store.random_name(), "region": region.name,
                                                   "days_ago": store.rng.randint(1, 400)}, now)
    for spec in fragment.get("jobs") or []:
        _seed_job(store, _owner(store, spec.get("owner")), spec, now)
    store.tick(now)
