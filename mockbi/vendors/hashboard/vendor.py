"""The Hashboard vendor: ``POST /api/graphql`` with a raw API token in ``Authorization``."""

from __future__ import annotations

import hmac
from typing import Any

from aiohttp import web

from mockbi.core.errors import ApiError
from mockbi.core.graphql import GraphQLVendor
from mockbi.core.hook_context import GraphQLHookContext
from mockbi.core.state_codec import StateSpec
from mockbi.vendors.hashboard.admin import admin_routes
from mockbi.vendors.hashboard.errors import (
    BEARER_HINT,
    EXPIRED_TOKEN,
    INVALID_TOKEN,
    MALFORMED_TOKEN,
    MISSING_TOKEN,
    http_error,
)
from mockbi.vendors.hashboard.models import AccessKey, decode_token
from mockbi.vendors.hashboard.resolvers import registry
from mockbi.vendors.hashboard.state import STATE
from mockbi.vendors.hashboard.store import HashboardStore
from mockbi.vendors.hashboard.wire import serialize_grn

#: the date of the published schema (the API is unversioned)
API_VERSION = "2024-11-08"


class Hashboard(GraphQLVendor[HashboardStore]):
    name = "hashboard"
    title = "Hashboard GraphQL API"
    api_version = API_VERSION
    endpoint = "/api/graphql"
    store_class = HashboardStore
    registry = registry
    scalars = {"GRN": {"coerce_output_value": serialize_grn}}
    # Hashboard publishes no limits; these are mockbi's (the schema's deepest path is 5 fields).
    max_depth = 10
    max_fields = 500
    max_aliases = 50
    max_body_bytes = 100_000

    async def authenticate(self, ctx: GraphQLHookContext[HashboardStore]) -> AccessKey:
        """The access key behind the raw token in ``Authorization``; HTTP 401 when there is none."""
        store = ctx.store
        raw = ctx.request.headers.get("Authorization", "").strip()
        if not raw:
            raise self.error(401, MISSING_TOKEN, code="unauthenticated")
        fields = decode_token(raw)
        if fields is None:
            hint = BEARER_HINT if raw.split(" ", 1)[0].lower() in ("bearer", "token", "basic") else ""
            raise self.error(401, MALFORMED_TOKEN + hint, code="unauthenticated")
        key = store.access_keys.get(fields["access_key_id"])
        if (key is None or key.project_id != fields["project_id"]
                or not hmac.compare_digest(key.secret, fields["access_key_token"])
                or key.project_id not in store.projects
                or key.user_id not in store.projects[key.project_id].members):
            raise self.error(401, INVALID_TOKEN, code="unauthenticated")
        if store.now() >= key.expires_at:
            raise self.error(401, EXPIRED_TOKEN, code="unauthenticated")
        return key

    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        return http_error(status, message, code)

    def admin_routes(self) -> list[web.RouteDef]:
        return admin_routes()

    def state_spec(self) -> StateSpec:
        return STATE

    def arrange(self, store: HashboardStore, fragment: dict[str, Any]) -> None:
        from mockbi.vendors.hashboard.arrange import arrange
        arrange(store, fragment)
