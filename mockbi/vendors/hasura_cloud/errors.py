"""Errors the Hasura way: HTTP 200, ``{"errors": [{"message", "extensions": {"path", "code"}}]}``, no ``data``.

:class:`CloudError` is what the store and resolvers raise on purpose; it is a ``GraphQLError`` whose
extensions already carry Hasura's ``path`` and ``code``. Errors of Cloud's own actions (createTenant,
updateTenantEnv, ...) use code ``unexpected`` at path ``$``, as Hasura reports action errors.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from mockbi.core.errors import MockbiError

#: Hasura error codes used by the mock
VALIDATION_FAILED = "validation-failed"
DATA_EXCEPTION = "data-exception"
UNEXPECTED = "unexpected"
NOT_SUPPORTED = "not-supported"


class CloudError(GraphQLError):
    """A deliberate Hasura-shaped error."""

    def __init__(self, message: str, *, code: str = UNEXPECTED, path: str = "$", nodes: Any = None) -> None:
        super().__init__(message, nodes, extensions={"path": path, "code": code})

    @property
    def code(self) -> str:
        return str((self.extensions or {}).get("code", UNEXPECTED))


def entry(message: str, code: str, path: str = "$") -> dict[str, object]:
    """One ``errors`` entry, keys in the order Hasura sends them."""
    return {"extensions": {"path": path, "code": code}, "message": message}


class ArrangeError(MockbiError):
    """What a test asked of the admin routes that cannot be arranged (the admin API's 400)."""
