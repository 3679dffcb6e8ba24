"""Hashboard's world: projects, resources managed as code, users, roles, access keys.

Field names that the GraphQL API reads through the default resolver keep the SDL's spelling
(``name``, ``grn``, ``viewsLastTwoWeeks``, ``permissionRules``...).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

HB_VERSION = "1.0"
#: config ``type`` -> GRN prefix (resource-identifiers docs)
PREFIX = MappingProxyType({"model": "m", "saved_exploration": "sv", "metric": "mtr", "dashboard": "dsb"})
TYPE_OF_PREFIX = MappingProxyType({v: k for k, v in PREFIX.items()})
ALIAS = re.compile(r"^[A-Za-z0-9_]{1,119}$")
URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
#: permission names documented in Hashboard's permissions reference
PERMISSIONS = ("READ_DATA_MODEL", "UPDATE_DATA_MODEL", "DELETE_DATA_MODEL", "CREATE_SAVED_VIEW",
               "UPDATE_DASHBOARD", "READ_RAW_DATA", "APPLY_DRAFT")


@dataclass(slots=True)
class Resource:
    """A model, saved exploration, metric or dashboard. ``body`` holds the per-type keys of its spec;
    references to other resources are kept as keys (``m:<id>``) and rendered as GRNs when read."""

    type: str
    id: str
    project_id: str
    name: str
    alias: str | None
    body: dict[str, Any]
    viewsLastTwoWeeks: int | None = None  # SDL spelling
    model_key: str | None = None  # saved exploration / metric: the model it is built on
    saved_exploration_keys: list[str] = field(default_factory=list)  # model: its saved explorations

    @property
    def key(self) -> str:
        return f"{PREFIX[self.type]}:{self.id}"

    @property
    def grn(self) -> str:
        """Canonical GRN: ``type:id`` plus ``:alias`` when the resource has one."""
        return f"{self.key}:{self.alias}" if self.alias else self.key

    @property
    def ref(self) -> str:
        """How configs refer to it: ``type::alias`` when it has an alias, else ``type:id``."""
        return f"{PREFIX[self.type]}::{self.alias}" if self.alias else self.key


@dataclass(slots=True)
class Project:
    id: str
    name: str
    #: config type -> resource keys, in creation order
    resource_keys: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in PREFIX})
    #: user id -> role ids
    members: dict[str, list[str]] = field(default_factory=dict)
    role_ids: list[str] = field(default_factory=list)
    datasources: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class User:
    id: str
    fullName: str | None
    displayName: str | None
    email: str | None


@dataclass(slots=True)
class Role:
    id: str
    project_id: str
    name: str
    description: str
    permissionRules: list[dict[str, Any]]
    system: bool = True


@dataclass(slots=True)
class AccessKey:
    id: str
    project_id: str
    user_id: str
    secret: str
    name: str
    created_at: datetime
    expires_at: datetime

    @property
    def api_token(self) -> str:
        return encode_token(self.project_id, self.id, self.secret)


def encode_token(project_id: str, access_key_id: str, access_key_token: str) -> str:
    """An API token: standard base64 of the JSON ``{project_id, access_key_id, access_key_token}``."""
    doc = {"project_id": project_id, "access_key_id": access_key_id, "access_key_token": access_key_token}
    return base64.b64encode(json.dumps(doc).encode()).decode()


def decode_token(token: str) -> dict[str, str] | None:
    """The three token fields, or ``None`` when the token is not of that shape."""
    try:
        doc = json.loads(base64.b64decode(token.strip(), validate=True))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    keys = ("project_id", "access_key_id", "access_key_token")
    if not isinstance(doc, dict) or not all(isinstance(doc.get(k), str) for k in keys):
        return None
    return {k: doc[k] for k in keys}


def parse_grn(text: str) -> tuple[str, str, str] | None:
    """``type:id``, ``type:id:alias`` or ``type::alias`` -> (prefix, id, alias); ``None`` if malformed."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0]:
        return None
    prefix, rid = parts[0], parts[1]
    alias = parts[2] if len(parts) == 3 else ""
    if not rid and not alias:
        return None
    return prefix, rid, alias
