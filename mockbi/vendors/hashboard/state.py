"""What a Hashboard store holds as portable state (``GET /__mockbi/state``, snapshots), typed for the codec
in ``core/state_codec.py``."""

from __future__ import annotations

from mockbi.core.state_codec import StateSpec
from mockbi.vendors.hashboard.models import AccessKey, Project, Resource, Role, User

STATE = StateSpec({
    "projects": dict[str, Project],
    "resources": dict[str, Resource],
    "users": dict[str, User],
    "roles": dict[str, Role],
    "access_keys": dict[str, AccessKey],
})
