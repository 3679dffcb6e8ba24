"""Helpers shared by the handler modules."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.vendors.lightdash.auth import Principal
from mockbi.vendors.lightdash.envelope import AuthorizationError
from mockbi.vendors.lightdash.models import User


def me(req: OpRequest) -> User:
    """The authenticated user (operations with auth always have one)."""
    principal = req.principal
    if not isinstance(principal, Principal):
        raise AuthorizationError("Failed to authorize user")
    return principal.user


def body(req: OpRequest) -> dict[str, Any]:
    return req.body if isinstance(req.body, dict) else {}
