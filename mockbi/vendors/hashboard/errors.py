"""Hashboard's errors: the HTTP-level answers (``{"error", "errors"}``, for hq-style readers and GraphQL
clients alike), the GraphQL errors resolvers raise, and what the arrange routes refuse."""

from __future__ import annotations

from graphql import GraphQLError

from mockbi.core.errors import ApiError, MockbiError

MISSING_TOKEN = "Missing API token. Set the Authorization header to your Hashboard API token."
MALFORMED_TOKEN = "Malformed API token."
BEARER_HINT = " Send the API token itself as the Authorization header, without a 'Bearer' prefix."
INVALID_TOKEN = "Invalid API token."
EXPIRED_TOKEN = "API token has expired."


def http_error(status: int, message: str, code: str | None = None) -> ApiError:
    """Hashboard's non-200 body: ``error`` for hq-style readers, ``errors`` for GraphQL clients."""
    return ApiError(status, {"error": message, "errors": [{"message": message}]}, code=code)


def project_not_found(project_id: str) -> GraphQLError:
    return GraphQLError(f"Project {project_id} not found, or this API token does not have access to it.")


class ArrangeError(MockbiError):
    """A request to arrange the world that the real Hashboard could not hold (answered 400 by the admin API)."""
