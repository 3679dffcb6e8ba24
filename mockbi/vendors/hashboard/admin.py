"""Admin routes to arrange a Hashboard project from tests (``/__mockbi/hashboard/...``).

- ``POST /__mockbi/hashboard/resources``: create or update a model, saved exploration, metric or
  dashboard: ``{"project_id", "type", "name"?, "alias"?, "id"?, "model"?, "spec"?, "viewsLastTwoWeeks"?}``.
  ``model`` (a GRN or id) is required for a new saved exploration or metric; dashboard blocks may refer to
  saved explorations by GRN. Answers 201 (created) or 200 (updated) with ``{grn, name, spec, viewsLastTwoWeeks}``.
- ``POST /__mockbi/hashboard/access-keys``: ``{"project_id", "user_id"?, "age_days"?, "valid_days"?}`` ->
  ``{"api_token", "access_key_id", "project_id", "user_id", "expires_at"}``; ``valid_days`` (default 365)
  is more than 0 and ``age_days`` (default 0) at least 0, both at most ``MAX_DAYS``.

Bad input answers 400 ``{"error": ...}`` and changes nothing, including what Hashboard could not store
(NUL or lone surrogates in text, a ``spec`` nested deeper than 200 levels, a view count beyond a GraphQL
Int). The store offers the same as ``upsert_resource`` / ``create_access_key``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mockbi.core.clock import isoformat_z
from mockbi.core.vendor_admin import AdminCall, admin_route
from mockbi.vendors.hashboard.arrange import RESOURCE_KEYS
from mockbi.vendors.hashboard.errors import ArrangeError
from mockbi.vendors.hashboard.models import PREFIX as GRN_PREFIX
from mockbi.vendors.hashboard.store import HashboardStore

#: a century: far beyond any token a test needs, well inside what ``datetime`` can hold
MAX_DAYS = 36_500


def _project_id(body: dict[str, Any]) -> str:
    project_id = body.get("project_id")
    if not isinstance(project_id, str):
        raise ArrangeError("the body must be a JSON object with a 'project_id'")
    return project_id


def upsert_resource(call: AdminCall[HashboardStore]) -> tuple[dict[str, Any], int]:
    body, store = call.body, call.store
    project_id = _project_id(body)
    for key, kind in (("type", str), ("name", str), ("alias", str), ("id", str), ("model", str), ("spec", dict)):
        if body.get(key) is not None and not isinstance(body[key], kind):
            raise ArrangeError(f"{key} must be a {'string' if kind is str else 'JSON object'}")
    # one case of ``POST /__mockbi/hashboard/arrange`` (core/arrange.py: all or nothing, ids reported)
    resource = {k: body[k] for k in RESOURCE_KEYS if k in body}
    made = call.arrange({"project_id": project_id, "resources": [resource]})
    created = bool(made.get("resources"))
    key = made["resources"][0] if created else f"{GRN_PREFIX.get(str(body.get('type')), '')}:{body.get('id')}"
    res = store.resources[key]
    out = {"grn": res.grn, "name": res.name, "spec": store.spec(res), "viewsLastTwoWeeks": res.viewsLastTwoWeeks}
    return out, 201 if created else 200


def create_access_key(call: AdminCall[HashboardStore]) -> tuple[dict[str, Any], int]:
    body = call.body
    project_id = _project_id(body)
    if body.get("user_id") is not None and not isinstance(body["user_id"], str):
        raise ArrangeError("user_id must be a string")
    numbers = {k: body[k] for k in ("age_days", "valid_days") if k in body}
    if any(not isinstance(v, int | float) or isinstance(v, bool) for v in numbers.values()):
        raise ArrangeError("age_days and valid_days are numbers of days")
    if not 0 < numbers.get("valid_days", 365) <= MAX_DAYS:
        raise ArrangeError(f"valid_days must be more than 0 and at most {MAX_DAYS}")
    if not 0 <= numbers.get("age_days", 0) <= MAX_DAYS:
        raise ArrangeError(f"age_days must be between 0 and {MAX_DAYS}")
    key = call.store.create_access_key(project_id, body.get("user_id"), **numbers)
    return {"api_token": key.api_token, "access_key_id": key.id, "project_id": key.project_id,
            "user_id": key.user_id, "expires_at": isoformat_z(key.expires_at)}, 201


def admin_routes() -> list[web.RouteDef]:
    return [admin_route("POST", "hashboard", "resources", HashboardStore, upsert_resource),
            admin_route("POST", "hashboard", "access-keys", HashboardStore, create_access_key)]
