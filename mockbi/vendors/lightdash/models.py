"""The Lightdash world's records. Fields keep the contract's spelling; relations are held by uuid and
joined when a response is built (``wire/``), so a rename or delete shows everywhere at once.
Timestamps are ISO-8601 strings as the API sends them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Organization:
    organizationUuid: str
    name: str
    createdAt: str
    chartColors: list[str] = field(default_factory=list)
    defaultProjectUuid: str | None = None
    emailDomains: list[str] = field(default_factory=list)
    emailDomainsRole: str = "viewer"
    emailDomainsProjects: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class User:
    userUuid: str
    email: str
    firstName: str
    lastName: str
    password: str
    organizationUuid: str | None
    role: str  # organization role: member | viewer | interactive_viewer | editor | developer | admin
    createdAt: str
    updatedAt: str
    isActive: bool = True
    isPending: bool = False
    isEmailVerified: bool = True
    isTrackingAnonymized: bool = False
    isMarketingOptedIn: bool = False
    isSetupComplete: bool = True
    inviteCode: str | None = None
    inviteExpiresAt: str | None = None


@dataclass(slots=True)
class Group:
    uuid: str
    name: str
    organizationUuid: str
    createdAt: str
    createdByUserUuid: str | None
    updatedAt: str
    updatedByUserUuid: str | None
    memberUuids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Project:
    projectUuid: str
    name: str
    type: str  # DEFAULT | PREVIEW
    organizationUuid: str
    createdAt: str
    createdByUserUuid: str | None
    upstreamProjectUuid: str | None
    dbtVersion: str
    dbtConnection: dict[str, Any]
    warehouseConnection: dict[str, Any]
    schedulerTimezone: str = "UTC"
    pinnedListUuid: str | None = None
    semanticLayerConnection: dict[str, Any] | None = None
    #: role of each direct member (userUuid -> ProjectMemberRole)
    members: dict[str, str] = field(default_factory=dict)
    #: role of each group with access (groupUuid -> ProjectMemberRole)
    groupAccess: dict[str, str] = field(default_factory=dict)
    #: explores pushed with SetExplores (None: the data plane's defaults)
    explores: list[Any] | None = None


@dataclass(slots=True)
class Space:
    uuid: str
    projectUuid: str
    name: str
    slug: str
    isPrivate: bool
    createdAt: str
    createdByUserUuid: str | None
    #: direct user access (userUuid -> SpaceMemberRole)
    access: dict[str, str] = field(default_factory=dict)
    #: group access (groupUuid -> SpaceMemberRole)
    groupAccess: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ChartVersion:
    versionUuid: str
    chartUuid: str
    createdAt: str
    createdByUserUuid: str | None
    #: the chart's content at this version (metricQuery, chartConfig, tableConfig, pivotConfig, name...)
    snapshot: dict[str, Any]


@dataclass(slots=True)
class SavedChart:
    uuid: str
    projectUuid: str
    spaceUuid: str
    name: str
    description: str | None
    tableName: str
    metricQuery: dict[str, Any]
    chartConfig: dict[str, Any]
    tableConfig: dict[str, Any]
    pivotConfig: dict[str, Any] | None
    slug: str
    createdAt: str
    updatedAt: str
    updatedByUserUuid: str | None
    dashboardUuid: str | None = None
    colorPalette: list[str] = field(default_factory=list)
    views: int = 0
    firstViewedAt: str | None = None
    versions: list[ChartVersion] = field(default_factory=list)


@dataclass(slots=True)
class Dashboard:
    uuid: str
    projectUuid: str
    spaceUuid: str
    name: str
    description: str | None
    slug: str
    createdAt: str
    updatedAt: str
    updatedByUserUuid: str | None
    tiles: list[dict[str, Any]] = field(default_factory=list)
    tabs: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=lambda: {"dimensions": [], "metrics": [], "tableCalculations": []})
    config: dict[str, Any] = field(default_factory=lambda: {"isDateZoomDisabled": False})
    dashboardVersionId: int = 1
    views: int = 0
    firstViewedAt: str | None = None


@dataclass(slots=True)
class PinnedItem:
    """One pinned chart, dashboard or space in a project's pinned list."""

    type: str  # chart | dashboard | space
    uuid: str
    order: int


@dataclass(slots=True)
class PinnedList:
    pinnedListUuid: str
    projectUuid: str
    items: list[PinnedItem] = field(default_factory=list)


@dataclass(slots=True)
class Scheduler:
    schedulerUuid: str
    name: str
    message: str | None
    createdAt: str
    updatedAt: str
    createdBy: str
    format: str  # csv | image | gsheets
    cron: str
    timezone: str | None
    savedChartUuid: str | None
    dashboardUuid: str | None
    options: dict[str, Any]
    enabled: bool = True
    thresholds: list[dict[str, Any]] = field(default_factory=list)
    notificationFrequency: str | None = None
    filters: list[dict[str, Any]] | None = None
    customViewportWidth: int | None = None
    selectedTabs: list[str] | None = None
    targets: list[dict[str, Any]] = field(default_factory=list)
    includeLinks: bool = True


@dataclass(slots=True)
class Job:
    """An asynchronous job (CSV download, scheduler delivery, validation, gsheets upload)."""

    jobId: str
    kind: str
    createdByUserUuid: str
    createdAt: str
    status: str = "scheduled"  # scheduled | started | completed | error
    details: dict[str, Any] | None = None
    projectUuid: str | None = None
    schedulerUuid: str | None = None
    #: kind-specific payload (csv content, validation results...)
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SchedulerLog:
    schedulerUuid: str
    jobId: str
    jobGroup: str
    scheduledTime: str
    createdAt: str
    task: str
    status: str
    target: str | None = None
    targetType: str | None = None
    details: dict[str, Any] | None = None


@dataclass(slots=True)
class ShareUrl:
    nanoid: str
    path: str
    params: str
    organizationUuid: str
    createdByUserUuid: str
    createdAt: str


@dataclass(slots=True)
class Tag:
    tagUuid: str
    projectUuid: str
    name: str
    color: str
    createdAt: str
    createdByUserUuid: str | None


@dataclass(slots=True)
class UserAttribute:
    uuid: str
    organizationUuid: str
    name: str
    description: str | None
    attributeDefault: str | None
    createdAt: str
    #: userUuid -> value
    users: dict[str, str] = field(default_factory=dict)
    #: groupUuid -> value
    groups: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PersonalAccessToken:
    uuid: str
    userUuid: str
    token: str
    description: str
    createdAt: str
    expiresAt: str | None
    rotatedAt: str | None = None
    lastUsedAt: str | None = None


@dataclass(slots=True)
class SshKeyPair:
    publicKey: str
    privateKey: str
    createdAt: str


@dataclass(slots=True)
class Notification:
    notificationId: str
    userUuid: str
    resourceType: str
    resourceUuid: str | None
    message: str | None
    url: str | None
    createdAt: str
    viewed: bool = False
    metadata: dict[str, Any] | None = None


@dataclass(slots=True)
class Comment:
    commentId: str
    dashboardUuid: str
    dashboardTileUuid: str
    text: str
    textHtml: str
    createdAt: str
    userUuid: str
    replyTo: str | None = None
    resolved: bool = False
    mentions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ValidationResult:
    validationId: int
    projectUuid: str
    createdAt: str
    name: str
    error: str
    errorType: str
    source: str  # chart | dashboard | table
    chartUuid: str | None = None
    dashboardUuid: str | None = None
    fieldName: str | None = None
    #: the ValidateProject job that found this error (None: seeded)
    jobId: str | None = None


@dataclass(slots=True)
class UserWarehouseCredentials:
    uuid: str
    userUuid: str
    name: str
    credentials: dict[str, Any]
    createdAt: str
    updatedAt: str


@dataclass(slots=True)
class EmailOtp:
    passcode: str
    createdAt: str
    expiresAt: str
    numberOfAttempts: int = 0
