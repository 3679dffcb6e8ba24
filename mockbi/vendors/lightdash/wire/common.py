"""Helpers every wire module uses: optional fields left out, and the ``updatedByUser`` shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore


def compact(d: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is ``None`` (optional fields Express would leave out)."""
    return {k: v for k, v in d.items() if v is not None}


def updated_by(store: LightdashStore, user_uuid: str | None) -> dict[str, Any] | None:
    user = store.users.get(user_uuid or "")
    if user is None:
        return None
    return {"userUuid": user.userUuid, "firstName": user.firstName, "lastName": user.lastName}
