"""Hasura Cloud API (control plane): ``POST /v1/graphql`` with ``Authorization: pat <token>``.

Hasura quirks reproduced here: every GraphQL-level failure is HTTP 200 with ``errors`` and no ``data``;
a missing or unknown token sees Hasura's schema for a role with no permissions (``anonymous.py``: only the
``no_queries_available`` placeholder, no mutation root), so any field is "not found in type: 'query_root'"
and any mutation "no mutations exist"; one error per response; ``*_by_pk`` answers null for a missing row.
See ``contracts/hasura_cloud/SOURCE.md``.
"""

from __future__ import annotations

from collections.abc import Collection
from types import MappingProxyType
from typing import Any

from aiohttp import web
from graphql import GraphQLError, GraphQLSchema, ValuesOfCorrectTypeRule
from graphql.validation import ASTValidationRule

from mockbi.core.errors import ApiError
from mockbi.core.graphql import GraphQLContract, GraphQLVendor
from mockbi.core.hook_context import GraphQLHookContext
from mockbi.core.messages import Reply
from mockbi.core.state_codec import StateSpec
from mockbi.vendors.hasura_cloud import wire
from mockbi.vendors.hasura_cloud.anonymous import NoMutationsRule, anonymous_schema, first_error
from mockbi.vendors.hasura_cloud.models import User
from mockbi.vendors.hasura_cloud.resolvers import registry
from mockbi.vendors.hasura_cloud.scalars import SCALARS, ValuesOfCorrectTypeExceptPostgresDefaults
from mockbi.vendors.hasura_cloud.state import STATE
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

JSON_UTF8 = "application/json; charset=utf-8"
#: HTTP-level failures in Hasura's non-GraphQL error shape ``{"path", "error", "code"}``
HTTP_ERRORS = MappingProxyType({
    "invalid-json": ("invalid-json", "Error in $: Failed reading: not a valid json value"),
    "bad-request": ("parse-failed", 'key "query" not found'),
    # a bad ``variables`` / ``operationName`` in the body: Aeson's wording, at the key's path
    "bad-variables": ("parse-failed", "parsing HashMap ~Text failed, expected Object, but encountered another type"),
    "bad-operation-name": ("parse-failed", "parsing Text failed, expected String, but encountered another type"),
    "method-not-allowed": ("method-not-allowed", "only POST method is allowed on /v1/graphql"),
    "payload-too-large": ("payload-too-large", None),
    "fault": ("unexpected", "there was an internal error while serving your request"),
    "server-error": ("unexpected", "there was an internal error while serving your request"),
})

#: where Aeson reports each refused key of the body
BODY_KEY_PATHS = MappingProxyType({"bad-variables": "$.variables", "bad-operation-name": "$.operationName"})

class HasuraCloud(GraphQLVendor[HasuraCloudStore]):
    name = "hasura_cloud"
    title = "Hasura Cloud API"
    api_version = "v2.x docs (2024) + 2020 docs"
    endpoint = "/v1/graphql"
    store_class = HasuraCloudStore
    registry = registry
    scalars = SCALARS
    # Cloud publishes no limits for this API; these are mockbi's, answered the Hasura way (validation-failed at
    # ``$``). The deepest documented selection is 4 fields (jobs_by_pk.tasks.task_events.id).
    max_depth = 10
    max_fields = 1000
    max_aliases = 50
    max_body_bytes = 1_048_576

    async def authenticate(self, ctx: GraphQLHookContext[HasuraCloudStore]) -> User | None:
        """``Authorization: pat <token>``; anything else is an anonymous caller (not an HTTP error)."""
        scheme, _, token = ctx.request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "pat":
            return None
        return ctx.store.user_for_token(token.strip())

    def schema_for(self, principal: Any, contract: GraphQLContract) -> GraphQLSchema:
        return contract.schema if principal is not None else anonymous_schema(contract)

    def validation_rules(self, principal: Any) -> Collection[type[ASTValidationRule]] | None:
        return (NoMutationsRule,) if principal is None else None

    def replace_rule(self, rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
        return ValuesOfCorrectTypeExceptPostgresDefaults if rule is ValuesOfCorrectTypeRule else rule

    def error(self, status: int, message: str, *, code: str | None = None) -> ApiError:
        hasura_code, wording = HTTP_ERRORS.get(code or "", ("unexpected", None))
        path = BODY_KEY_PATHS.get(code or "", "$")
        return ApiError(status, {"path": path, "error": wording or message, "code": hasura_code},
                        content_type=JSON_UTF8, code=code)

    def limit_error(self, kind: str, actual: int, maximum: int) -> GraphQLError:
        wording = {"depth": f"the query depth {actual} exceeds the depth limit of {maximum}",
                   "fields": f"the query selects {actual} fields, more than the limit of {maximum}",
                   "aliases": f"the query uses {actual} aliases, more than the limit of {maximum}"}
        return GraphQLError(wording[kind])

    def format_error(self, error: Any, phase: str) -> dict[str, Any]:
        return wire.format_error(error, phase)

    def error_response(self, phase: str, errors: list[dict[str, Any]]) -> Reply:
        return Reply(body={"errors": first_error(errors)}, status=200, content_type=JSON_UTF8)

    def result_response(self, data: Any, errors: list[dict[str, Any]] | None) -> Reply:
        # Hasura never sends partial results: any error replaces ``data``
        return Reply(body={"errors": first_error(errors)} if errors else {"data": data}, status=200,
                     content_type=JSON_UTF8)

    def admin_routes(self) -> list[web.RouteDef]:
        from mockbi.vendors.hasura_cloud.admin import admin_routes

        return admin_routes()

    def state_spec(self) -> StateSpec:
        return STATE

    def arrange(self, store: HasuraCloudStore, fragment: dict[str, Any]) -> None:
        from mockbi.vendors.hasura_cloud.arrange import arrange
        arrange(store, fragment)
