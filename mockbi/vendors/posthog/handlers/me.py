"""Discovery endpoints real clients call first: the current user and the personal API key in use."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.posthog import errors, wire
from mockbi.vendors.posthog.handlers.dashboards import _who
from mockbi.vendors.posthog.store import PostHogStore

registry = Registry("posthog")


@registry.operation("users_me_retrieve")
def users_me_retrieve(store: PostHogStore, req: OpRequest) -> Any:
    """The authenticated user with their current team and organization (scope user:read)."""
    user = _who(req).user
    org = store.organizations[user.organization_id]
    projects = [p for p in store.projects.values() if p.organization_id == org.id]
    team = store.projects[user.current_project_id] if user.current_project_id else projects[0]
    teams = [{"id": p.id, "uuid": p.uuid, "organization": org.id, "project_id": p.id, "api_token": p.api_token,
              "name": p.name, "timezone": p.timezone, "is_demo": False} for p in projects]
    return {
        "date_joined": wire.ts(user.date_joined), "uuid": user.uuid, "distinct_id": user.distinct_id,
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email, "pending_email": None,
        "is_email_verified": user.is_email_verified, "has_password": True, "id": user.id, "is_staff": False,
        "is_impersonated": False, "team": next(t for t in teams if t["id"] == team.id),
        "organization": {"id": org.id, "name": org.name, "slug": org.slug, "membership_level": user.membership_level,
                         "teams": teams, "projects": [{"id": t["id"], "name": t["name"]} for t in teams],
                         "available_product_features": [{"key": f, "name": f.replace("_", " ").title()}
                                                        for f in org.features]},
        "organizations": [{"id": org.id, "name": org.name, "slug": org.slug,
                           "membership_level": user.membership_level}],
        "role_at_organization": user.role_at_organization, "hedgehog_config": None,
    }


@registry.operation("personal_api_keys_current_retrieve")
def personal_api_keys_current_retrieve(store: PostHogStore, req: OpRequest) -> Any:
    """The key making the request, with scopes, scoped_teams and scoped_organizations (any scope may read it)."""
    key = _who(req).key
    if key is None:
        raise errors.not_found()
    return {"id": key.id, "label": key.label, "value": None, "mask_value": f"phx_...{key.value[-4:]}",
            "created_at": wire.ts(key.created_at), "last_used_at": wire.ts(key.last_used_at), "last_rolled_at": None,
            "user_id": key.user_id, "scopes": list(key.scopes), "scoped_teams": key.scoped_teams,
            "scoped_organizations": key.scoped_organizations}
