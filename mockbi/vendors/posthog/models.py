"""The records a PostHog store holds. Field names keep the wire spelling where one exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: organization membership levels (PostHog's OrganizationMembership.Level)
MEMBER, ADMIN, OWNER = 1, 8, 15
#: dashboard restriction / privilege levels
EVERYONE_CAN_EDIT, ONLY_COLLABORATORS_CAN_EDIT = 21, 37
#: organization features that change behaviour
ADVANCED_PERMISSIONS = "advanced_permissions"
TAGGING = "tagging"


@dataclass(slots=True)
class Organization:
    id: str
    name: str
    slug: str
    created_at: datetime
    features: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Project:
    id: int
    uuid: str
    organization_id: str
    name: str
    api_token: str
    timezone: str = "UTC"


@dataclass(slots=True)
class User:
    id: int
    uuid: str
    distinct_id: str
    first_name: str
    last_name: str
    email: str
    organization_id: str
    membership_level: int
    date_joined: datetime
    current_project_id: int | None
    is_email_verified: bool | None = None
    role_at_organization: str | None = None
    is_active: bool = True


@dataclass(slots=True)
class ApiKey:
    id: str
    label: str
    value: str
    user_id: int
    scopes: list[str]
    created_at: datetime
    scoped_teams: list[int] | None = None
    scoped_organizations: list[str] | None = None
    last_used_at: datetime | None = None


@dataclass(slots=True)
class Insight:
    id: int
    short_id: str
    team_id: int
    name: str | None
    derived_name: str | None
    description: str | None
    query: dict[str, Any] | None
    created_at: datetime
    created_by: int | None
    last_modified_at: datetime
    last_modified_by: int | None
    tags: list[str] = field(default_factory=list)
    favorited: bool = False
    deleted: bool = False
    is_sample: bool = False
    last_refresh: datetime | None = None


@dataclass(slots=True)
class Text:
    id: int
    team_id: int
    body: str | None
    created_by: int | None
    last_modified_at: datetime
    last_modified_by: int | None


@dataclass(slots=True)
class Tile:
    id: int
    dashboard_id: int
    insight_id: int | None = None
    text_id: int | None = None
    layouts: dict[str, Any] = field(default_factory=dict)
    color: str | None = None
    filters_overrides: dict[str, Any] | None = field(default_factory=dict)
    show_description: bool | None = None
    transparent_background: bool | None = None
    deleted: bool | None = None


@dataclass(slots=True)
class Dashboard:
    id: int
    team_id: int
    name: str | None
    created_at: datetime
    created_by: int | None
    description: str = ""
    pinned: bool = False
    last_accessed_at: datetime | None = None
    deleted: bool = False
    creation_mode: str = "default"
    filters: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    breakdown_colors: Any = field(default_factory=list)
    data_color_theme_id: int | None = None
    tags: list[str] = field(default_factory=list)
    restriction_level: int = EVERYONE_CAN_EDIT
    last_refresh: datetime | None = None


@dataclass(slots=True)
class Collaborator:
    id: str
    dashboard_id: int
    user_id: int
    level: int
    added_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class SharingConfig:
    dashboard_id: int
    created_at: datetime
    access_token: str
    enabled: bool = False
    settings: dict[str, bool] | None = None
    password_required: bool = False


@dataclass(slots=True)
class SharePassword:
    id: int
    dashboard_id: int
    created_at: datetime
    note: str
    created_by: int | None
    is_active: bool = True
